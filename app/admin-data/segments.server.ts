import type { PrismaClient } from "@prisma/client";
import { getLoyaltyProgram } from "~/recompute/loyalty.server";
import { describeRule } from "~/segments/rules/describe";
import { compileRule } from "~/segments/rules/rule";
import { LIFECYCLE_STAGES } from "~/segments/lifecycle/stage";
import { builtinSegmentLabel, lifecycleLabel, rfmGroupLabel } from "~/segments/names";
import { RFM_GROUPS } from "~/segments/rfm/groups";
import { BUILTIN_SEGMENTS } from "~/segments/winback/occasions";
import type { BuiltinSegment } from "~/segments/winback/occasions";
import { membershipMovement, membershipWeeks, movementWindow, tierMovement, tierWeeks } from "./movement.server";
import type { Movement } from "./movement.server";
import { CUSTOM_PREFIX } from "~/segments/classify";
import { memberCondition, parseSegmentKey } from "~/segments/segment-key";
import type { SegmentRef } from "~/segments/segment-key";

// Every segment a shop has, with its size (and share of the shop's customers), its members' net spend, and its
// movement over the last 30 days. Sizes come from the stored profiles (what the last full pass or refresh decided);
// movement from the transition logs (tier changes, segment entries and exits) after the import's baseline
// (movement.server.ts). RFM groups and lifecycle stages keep no log, so they have no trend. Names that two families
// share carry their family ("At risk (RFM group)"): app/segments/names.ts.

export type SegmentGroup = "tiers" | "winback" | "custom" | "rfm" | "lifecycle";

export interface SegmentSummary {
  key: string;
  name: string;
  group: SegmentGroup;
  customers: number;
  netSpendMinor: string;
  /** Customers in the segment ÷ customers with a profile; null when the shop has none. */
  shareOfCustomers: number | null;
  /** Entries and exits since the movement window's start; null where no history is kept or none counts yet. */
  trend30d: { entered: number; exited: number } | null;
}

export interface SegmentList {
  segments: SegmentSummary[];
  /** Customers with a profile: what "% of customers" divides by. */
  customers: number;
  /** Where movement counts from (ISO); null while the order history is still being imported. */
  movementFrom: string | null;
  /** Whether movement starts at the import's end (less than 30 days ago) rather than 30 days back. */
  movementSinceImport: boolean;
}

interface CountRow {
  value: string | null;
  customers: number;
  spend: string | null;
}

async function countsBy(prisma: PrismaClient, shopId: string, expression: string): Promise<Map<string, CountRow>> {
  const rows = await prisma.$queryRawUnsafe<CountRow[]>(
    `SELECT ${expression} AS value, count(*)::int AS customers, sum(p."netSpendMinor")::text AS spend
       FROM "CustomerListing" p WHERE p."shopId" = $1 GROUP BY 1`,
    shopId,
  );
  return new Map(rows.filter((row) => row.value !== null).map((row) => [row.value as string, row]));
}

export async function listSegments(prisma: PrismaClient, shopId: string): Promise<SegmentList> {
  const window = await movementWindow(prisma, shopId);
  const [program, customs, tiers, rfm, lifecycle, memberships, movedIn, tierMoves, customers] = await Promise.all([
    getLoyaltyProgram(prisma, shopId),
    prisma.segmentDefinition.findMany({
      where: { shopId, archivedAt: null },
      select: { key: true, name: true },
      orderBy: { name: "asc" },
    }),
    countsBy(prisma, shopId, `p."tierId"`),
    countsBy(prisma, shopId, `p."rfmGroup"`),
    countsBy(prisma, shopId, "p.lifecycle"),
    countsBy(prisma, shopId, "unnest(p.segments)"),
    membershipMovement(prisma, shopId, window.from),
    tierMovement(prisma, shopId, window.from),
    prisma.customerListing.count({ where: { shopId } }),
  ]);
  const none = { entered: 0, exited: 0 };
  const logged = (moves: Movement, key: string) => (window.from ? (moves.get(key) ?? none) : null);
  const summary = (
    key: string,
    name: string,
    group: SegmentGroup,
    counts: CountRow | undefined,
    trend: SegmentSummary["trend30d"],
  ): SegmentSummary => ({
    key,
    name,
    group,
    customers: counts?.customers ?? 0,
    shareOfCustomers: customers ? (counts?.customers ?? 0) / customers : null,
    netSpendMinor: counts?.spend ?? "0",
    trend30d: trend,
  });
  const segments = [
    ...[...(program?.program.tiers ?? [])]
      .reverse()
      .map((tier) => summary(`tier:${tier.id}`, tier.name, "tiers", tiers.get(tier.id), logged(tierMoves, tier.id))),
    ...BUILTIN_SEGMENTS.map((key) =>
      summary(key, builtinSegmentLabel(key), "winback", memberships.get(key), logged(movedIn, key)),
    ),
    ...customs.map((custom) =>
      summary(custom.key, custom.name, "custom", memberships.get(custom.key), logged(movedIn, custom.key)),
    ),
    ...RFM_GROUPS.map((group) => summary(`rfm:${group}`, rfmGroupLabel(group), "rfm", rfm.get(group), null)),
    ...LIFECYCLE_STAGES.map((stage) =>
      summary(`lifecycle:${stage}`, lifecycleLabel(stage), "lifecycle", lifecycle.get(stage), null),
    ),
  ];
  return {
    segments,
    customers,
    movementFrom: window.from?.toISOString() ?? null,
    movementSinceImport: Boolean(
      window.from && window.baselineAt && window.from.getTime() === window.baselineAt.getTime(),
    ),
  };
}

export interface SegmentDetail extends SegmentSummary {
  ref: SegmentRef;
  /** Entries and exits per week over the last 26 weeks, after the import's baseline (memberships and tiers only). */
  weekly: { week: string; entered: number; exited: number }[];
  /** When movement starts to count (ISO); null while the order history is still being imported. */
  baselineAt: string | null;
  description: string | null;
  /** What the segment's family is and how it differs from same-named ones: shown under the title. */
  family: string;
}

/**
 * One segment by key: null when the key names nothing this shop has (an unknown tier or custom segment). Only this
 * segment is counted (one filtered scan of the shop's profiles), so paging through its members stays cheap.
 */
export async function segmentDetail(prisma: PrismaClient, shopId: string, key: string): Promise<SegmentDetail | null> {
  const ref = parseSegmentKey(key);
  if (!ref) return null;
  const named = await namedSegment(prisma, shopId, ref);
  if (!named) return null;
  const condition = memberCondition(ref, "$2");
  const [[counted], customers, window] = await Promise.all([
    prisma.$queryRawUnsafe<{ customers: number; spend: string }[]>(
      `SELECT count(*)::int AS customers, COALESCE(sum(p."netSpendMinor"), 0)::text AS spend FROM "CustomerListing" p WHERE p."shopId" = $1 AND ${condition.sql}`,
      shopId,
      condition.value,
    ),
    prisma.customerListing.count({ where: { shopId } }),
    movementWindow(prisma, shopId),
  ]);
  const weekly =
    ref.kind === "membership"
      ? await membershipWeeks(prisma, shopId, ref.segmentKey, window.baselineAt)
      : ref.kind === "tier"
        ? await tierWeeks(prisma, shopId, ref.tierId, window.baselineAt)
        : [];
  // The same count as the Segments page's (weeks would cut the window at a Monday, not at its start).
  const logged =
    ref.kind === "membership"
      ? { moves: await membershipMovement(prisma, shopId, window.from), key: ref.segmentKey }
      : ref.kind === "tier"
        ? { moves: await tierMovement(prisma, shopId, window.from), key: ref.tierId }
        : null;
  const trend30d = logged && window.from ? (logged.moves.get(logged.key) ?? { entered: 0, exited: 0 }) : null;
  const description =
    named.group === "custom" && ref.kind === "membership"
      ? await customDescription(prisma, shopId, ref.segmentKey)
      : null;
  const size = counted?.customers ?? 0;
  return {
    key,
    name: named.name,
    group: named.group,
    customers: size,
    shareOfCustomers: customers ? size / customers : null,
    netSpendMinor: counted?.spend ?? "0",
    trend30d,
    ref,
    weekly,
    baselineAt: window.baselineAt?.toISOString() ?? null,
    description,
    family: FAMILY_DESCRIPTIONS[named.group],
  };
}

/** One line per family, under a segment's title: which kind of segment this is and how it is decided. */
export const FAMILY_DESCRIPTIONS: Record<SegmentGroup, string> = {
  tiers: "Loyalty tier: from your loyalty program's thresholds.",
  winback:
    "Win-back and occasion segment: customers to reach out to now. Offers and Cadence-created codes can target it.",
  custom: "Custom segment: your own rule over customer figures.",
  rfm: "RFM group: where the customer ranks against your other customers on recency, frequency and spend, as in Shopify's customer segments.",
  lifecycle:
    "Lifecycle stage: judged against the customer's own buying rhythm (at risk after twice their usual gap between orders, by default).",
};

/** A segment's name and group in the admin, or null when this shop has no such segment (an unknown tier, an archived custom segment). */
export async function namedSegment(
  prisma: PrismaClient,
  shopId: string,
  ref: SegmentRef,
): Promise<{ name: string; group: SegmentGroup } | null> {
  switch (ref.kind) {
    case "tier": {
      const tier = (await getLoyaltyProgram(prisma, shopId))?.program.tiers.find((t) => t.id === ref.tierId);
      return tier ? { name: tier.name, group: "tiers" } : null;
    }
    case "rfm":
      return { name: rfmGroupLabel(ref.group), group: "rfm" };
    case "lifecycle":
      return { name: lifecycleLabel(ref.stage), group: "lifecycle" };
    case "membership": {
      if (!ref.segmentKey.startsWith(CUSTOM_PREFIX))
        return { name: builtinSegmentLabel(ref.segmentKey as BuiltinSegment), group: "winback" };
      const custom = await prisma.segmentDefinition.findUnique({
        where: { shopId_key: { shopId, key: ref.segmentKey } },
        select: { name: true, archivedAt: true },
      });
      return custom && !custom.archivedAt ? { name: custom.name, group: "custom" } : null;
    }
  }
}

async function customDescription(prisma: PrismaClient, shopId: string, key: string): Promise<string | null> {
  const [definition, shop, program] = await Promise.all([
    prisma.segmentDefinition.findUnique({ where: { shopId_key: { shopId, key } }, select: { rule: true } }),
    prisma.shop.findUniqueOrThrow({ where: { id: shopId }, select: { currencyCode: true } }),
    getLoyaltyProgram(prisma, shopId),
  ]);
  if (!definition) return null;
  const tiers = program?.program.tiers ?? [];
  const compiled = compileRule(definition.rule, { currency: shop.currencyCode, tierIds: tiers.map((tier) => tier.id) });
  return describeRule(compiled, {
    currency: shop.currencyCode,
    tierNames: new Map(tiers.map((tier) => [tier.id, tier.name])),
  });
}
