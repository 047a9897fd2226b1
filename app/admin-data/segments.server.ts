import { Prisma, type PrismaClient } from "@prisma/client";
import { customerRedactionPending } from "~/privacy/gone";
import { getLoyaltyProgram } from "~/profiles/loyalty.server";
import { describeRule } from "~/segments/rules/describe";
import { compileRule } from "~/segments/rules/rule";
import { LIFECYCLE_NAMES, LIFECYCLE_STAGES } from "~/segments/lifecycle/stage";
import { RFM_GROUP_NAMES, RFM_GROUPS } from "~/segments/rfm/groups";
import { BUILTIN_SEGMENT_NAMES, BUILTIN_SEGMENTS, type BuiltinSegment } from "~/segments/winback/occasions";
import { CUSTOM_PREFIX } from "~/segments/classify";
import { memberCondition, parseSegmentKey, type SegmentRef } from "./segment-key";

// Every segment a shop has, with its size, its members' net spend, and its movement over the last 30 days. Sizes
// come from the stored profiles (what the last full pass or refresh decided); movement from the transition logs
// (tier changes, segment entries and exits). RFM groups and lifecycle stages keep no log, so they have no trend.

export type SegmentGroup = "tiers" | "winback" | "custom" | "rfm" | "lifecycle";

export interface SegmentSummary {
  key: string;
  name: string;
  group: SegmentGroup;
  customers: number;
  netSpendMinor: string;
  /** Entries minus exits over the last 30 days; null where no history is kept. */
  trend30d: { entered: number; exited: number } | null;
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

/** Movement logs leave out customers whose redaction is pending (app/privacy/gone.ts): they count nowhere. */
const KEPT = Prisma.raw(`NOT ${customerRedactionPending(`t."shopId"`, `t."customerShopifyId"`)}`);

async function membershipTrends(prisma: PrismaClient, shopId: string): Promise<Map<string, { entered: number; exited: number }>> {
  const rows = await prisma.$queryRaw<{ key: string; entered: number; exited: number }[]>`
    SELECT "segmentKey" AS key, count(*) FILTER (WHERE kind = 'entered')::int AS entered, count(*) FILTER (WHERE kind = 'exited')::int AS exited
      FROM "SegmentTransition" t WHERE "shopId" = ${shopId} AND at >= now() - interval '30 days' AND ${KEPT} GROUP BY 1`;
  return new Map(rows.map((row) => [row.key, { entered: row.entered, exited: row.exited }]));
}

async function tierTrends(prisma: PrismaClient, shopId: string): Promise<Map<string, { entered: number; exited: number }>> {
  const rows = await prisma.$queryRaw<{ tier: string; entered: number; exited: number }[]>`
    SELECT tier, sum(entered)::int AS entered, sum(exited)::int AS exited FROM (
      SELECT "toTierId" AS tier, 1 AS entered, 0 AS exited FROM "TierChange" t WHERE "shopId" = ${shopId} AND "createdAt" >= now() - interval '30 days' AND "toTierId" IS NOT NULL AND ${KEPT}
      UNION ALL
      SELECT "fromTierId", 0, 1 FROM "TierChange" t WHERE "shopId" = ${shopId} AND "createdAt" >= now() - interval '30 days' AND "fromTierId" IS NOT NULL AND ${KEPT}
    ) moves GROUP BY tier`;
  return new Map(rows.map((row) => [row.tier, { entered: row.entered, exited: row.exited }]));
}

export async function listSegments(prisma: PrismaClient, shopId: string): Promise<SegmentSummary[]> {
  const [program, customs, tiers, rfm, lifecycle, memberships, movedIn, tierMoves] = await Promise.all([
    getLoyaltyProgram(prisma, shopId),
    prisma.segmentDefinition.findMany({ where: { shopId, archivedAt: null }, select: { key: true, name: true }, orderBy: { name: "asc" } }),
    countsBy(prisma, shopId, `p."tierId"`),
    countsBy(prisma, shopId, `p."rfmGroup"`),
    countsBy(prisma, shopId, "p.lifecycle"),
    countsBy(prisma, shopId, "unnest(p.segments)"),
    membershipTrends(prisma, shopId),
    tierTrends(prisma, shopId),
  ]);
  const summary = (key: string, name: string, group: SegmentGroup, counts: CountRow | undefined, trend: SegmentSummary["trend30d"]): SegmentSummary => ({
    key,
    name,
    group,
    customers: counts?.customers ?? 0,
    netSpendMinor: counts?.spend ?? "0",
    trend30d: trend,
  });
  const none = { entered: 0, exited: 0 };
  return [
    ...[...(program?.program.tiers ?? [])].reverse().map((tier) => summary(`tier:${tier.id}`, tier.name, "tiers", tiers.get(tier.id), tierMoves.get(tier.id) ?? none)),
    ...BUILTIN_SEGMENTS.map((key) => summary(key, BUILTIN_SEGMENT_NAMES[key], "winback", memberships.get(key), movedIn.get(key) ?? none)),
    ...customs.map((custom) => summary(custom.key, custom.name, "custom", memberships.get(custom.key), movedIn.get(custom.key) ?? none)),
    ...RFM_GROUPS.map((group) => summary(`rfm:${group}`, RFM_GROUP_NAMES[group], "rfm", rfm.get(group), null)),
    ...LIFECYCLE_STAGES.map((stage) => summary(`lifecycle:${stage}`, LIFECYCLE_NAMES[stage], "lifecycle", lifecycle.get(stage), null)),
  ];
}

export interface SegmentDetail extends SegmentSummary {
  ref: SegmentRef;
  /** Entries and exits per week over the last 26 weeks (memberships and tiers only). */
  weekly: { week: string; entered: number; exited: number }[];
  description: string | null;
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
  const [counted] = await prisma.$queryRawUnsafe<{ customers: number; spend: string }[]>(
    `SELECT count(*)::int AS customers, COALESCE(sum(p."netSpendMinor"), 0)::text AS spend FROM "CustomerListing" p WHERE p."shopId" = $1 AND ${condition.sql}`,
    shopId,
    condition.value,
  );
  const weekly = ref.kind === "membership" ? await membershipWeeks(prisma, shopId, ref.segmentKey) : ref.kind === "tier" ? await tierWeeks(prisma, shopId, ref.tierId) : [];
  const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  const recent = weekly.filter((week) => week.week >= monthAgo);
  const trend30d = ref.kind === "membership" || ref.kind === "tier" ? { entered: recent.reduce((n, w) => n + w.entered, 0), exited: recent.reduce((n, w) => n + w.exited, 0) } : null;
  const description = named.group === "custom" && ref.kind === "membership" ? await customDescription(prisma, shopId, ref.segmentKey) : null;
  return { key, name: named.name, group: named.group, customers: counted?.customers ?? 0, netSpendMinor: counted?.spend ?? "0", trend30d, ref, weekly, description };
}

/** A segment's name and group in the admin, or null when this shop has no such segment (an unknown tier, an archived custom segment). */
export async function namedSegment(prisma: PrismaClient, shopId: string, ref: SegmentRef): Promise<{ name: string; group: SegmentGroup } | null> {
  switch (ref.kind) {
    case "tier": {
      const tier = (await getLoyaltyProgram(prisma, shopId))?.program.tiers.find((t) => t.id === ref.tierId);
      return tier ? { name: tier.name, group: "tiers" } : null;
    }
    case "rfm":
      return { name: RFM_GROUP_NAMES[ref.group], group: "rfm" };
    case "lifecycle":
      return { name: LIFECYCLE_NAMES[ref.stage], group: "lifecycle" };
    case "membership": {
      if (!ref.segmentKey.startsWith(CUSTOM_PREFIX)) return { name: BUILTIN_SEGMENT_NAMES[ref.segmentKey as BuiltinSegment], group: "winback" };
      const custom = await prisma.segmentDefinition.findUnique({ where: { shopId_key: { shopId, key: ref.segmentKey } }, select: { name: true, archivedAt: true } });
      return custom && !custom.archivedAt ? { name: custom.name, group: "custom" } : null;
    }
  }
}

type WeekRow = { week: string; entered: number; exited: number };

function membershipWeeks(prisma: PrismaClient, shopId: string, segmentKey: string): Promise<WeekRow[]> {
  return prisma.$queryRaw<WeekRow[]>`
    SELECT to_char(date_trunc('week', at), 'YYYY-MM-DD') AS week, count(*) FILTER (WHERE kind = 'entered')::int AS entered, count(*) FILTER (WHERE kind = 'exited')::int AS exited
      FROM "SegmentTransition" t WHERE "shopId" = ${shopId} AND "segmentKey" = ${segmentKey} AND at >= now() - interval '26 weeks' AND ${KEPT}
     GROUP BY 1 ORDER BY 1`;
}

function tierWeeks(prisma: PrismaClient, shopId: string, tierId: string): Promise<WeekRow[]> {
  return prisma.$queryRaw<WeekRow[]>`
    SELECT to_char(date_trunc('week', "createdAt"), 'YYYY-MM-DD') AS week,
           count(*) FILTER (WHERE "toTierId" = ${tierId})::int AS entered, count(*) FILTER (WHERE "fromTierId" = ${tierId})::int AS exited
      FROM "TierChange" t WHERE "shopId" = ${shopId} AND ("toTierId" = ${tierId} OR "fromTierId" = ${tierId}) AND "createdAt" >= now() - interval '26 weeks' AND ${KEPT}
     GROUP BY 1 ORDER BY 1`;
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
  return describeRule(compiled, { currency: shop.currencyCode, tierNames: new Map(tiers.map((tier) => [tier.id, tier.name])) });
}

