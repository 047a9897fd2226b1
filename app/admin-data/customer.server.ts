import type { PrismaClient } from "@prisma/client";
import { customerGone } from "~/privacy/gone";
import { getLoyaltyProgram } from "~/recompute/loyalty.server";
import { LIFECYCLE_NAMES } from "~/segments/lifecycle/stage";
import type { LifecycleStage } from "~/segments/lifecycle/stage";
import { builtinSegmentLabel, isBuiltinSegment, lifecycleLabel, rfmGroupLabel } from "~/segments/names";
import { RFM_GROUP_NAMES } from "~/segments/rfm/groups";
import type { RfmGroup } from "~/segments/rfm/groups";
import { BUILTIN_SEGMENT_NAMES } from "~/segments/winback/occasions";
import type { BuiltinSegment } from "~/segments/winback/occasions";
import { tierHistoryRow } from "./tier-history";
import type { TierHistoryRow } from "./tier-history";

// Everything the customer page shows about one customer: each label with its one-line reason (written by the last
// full pass or refresh), the tier history and any override, predictions with their confidence, the offers the
// shopper saw and the orders since. Only IDs, amounts and dates: Cadence holds no names (the link to Shopify's
// admin is where the merchant sees who this is).

export interface CustomerLabel {
  kind: "tier" | "tierProgress" | "rfm" | "lifecycle" | "prediction" | "segment";
  key: string;
  /** What kind of label this is, as the page names it ("RFM group", "Win-back segment"). */
  family: string;
  label: string;
  reason: string | null;
  /** A second line: what the figures in the reason mean, or that a same-named segment holds this customer too. */
  note?: string;
}

export interface CustomerDetail {
  customerId: string;
  adminUrl: string;
  optedOut: boolean;
  computedAt: string | null;
  figures: {
    orders: number;
    purchaseDays: number;
    netSpendMinor: string;
    averageOrderValueMinor: string | null;
    firstOrderOn: string | null;
    lastOrderOn: string | null;
    daysSinceLastOrder: number | null;
  } | null;
  labels: CustomerLabel[];
  rfm: { r: number | null; f: number | null; m: number | null } | null;
  predictions: {
    pAlive: number | null;
    expectedOrders90: number | null;
    expectedOrders365: number | null;
    expectedNextOrderOn: string | null;
    expectedOrderValueMinor: string | null;
    clv12mMinor: string | null;
    confidence: string | null;
  } | null;
  tierHistory: TierHistoryRow[];
  override: { tierId: string; reason: string; until: string | null; setAt: string; setBy: string | null } | null;
  /** The tier the customer holds (set by staff or earned), null for none. */
  tierId: string | null;
  /** The program's tiers in rank order, lowest first. */
  tiers: { id: string; name: string }[];
  offersSeen: { offerId: string; name: string; arm: string; firstSeenAt: string; exposures: number; clicks: number }[];
  ordersSinceFirstOffer: { orders: number; netMinor: string } | null;
  recentOrders: { processedAt: string; netMinor: string; cancelled: boolean }[];
}

const day = (value: Date | null) => (value ? value.toISOString().slice(0, 10) : null);
const money = (value: bigint | null) => (value === null ? null : value.toString());

/** The customer's page in Shopify's admin (store handle from the myshopify domain, numeric customer ID). */
export function shopifyAdminCustomerUrl(shopDomain: string, customerId: string): string {
  return `https://admin.shopify.com/store/${shopDomain.replace(/\.myshopify\.com$/, "")}/customers/${customerId}`;
}

/** The reason without the label's name in front ("At risk (RFM group): recency 2 of 5…" → "Recency 2 of 5…"): the page shows the name above it. */
export function reasonBody(line: string | null | undefined, names: readonly string[]): string | null {
  if (!line) return null;
  const name = names.find((candidate) => line.startsWith(`${candidate}: `));
  const body = name ? line.slice(name.length + 2) : line;
  return body.charAt(0).toUpperCase() + body.slice(1);
}

const RFM_SCORES_NOTE =
  "Each score ranks this customer among your customers who have bought, in fifths: 5 is the most recent, most frequent or highest-spending fifth, 1 the least. The group follows from recency and the average of the other two.";

// Win-back's At risk, Lapsed and Lost hold exactly the customers of the lifecycle stages of those names (kept as
// segments so offers can target them): one entry on the page, not two with the same words.
const STAGE_SEGMENTS = new Set<string>(["at_risk", "lapsed", "lost"]);

function profileLabels(
  profile: NonNullable<Awaited<ReturnType<PrismaClient["customerProfile"]["findUnique"]>>>,
  customNames: Map<string, string>,
): CustomerLabel[] {
  const explanations = (profile.explanations ?? {}) as Record<string, string>;
  const labels: CustomerLabel[] = [];
  if (profile.tierName)
    labels.push({
      kind: "tier",
      key: "tier",
      family: "Loyalty tier",
      label: profile.tierName,
      reason: explanations.tier ?? null,
    });
  if (explanations.tierProgress)
    labels.push({
      kind: "tierProgress",
      key: "tierProgress",
      family: "Next tier",
      label: "Next tier",
      reason: explanations.tierProgress,
    });
  const group = profile.rfmGroup as RfmGroup;
  const scored = profile.rfmR !== null;
  const rfmName = scored || profile.orders === 0 ? (RFM_GROUP_NAMES[group] ?? profile.rfmGroup) : "Not scored yet";
  labels.push({
    kind: "rfm",
    key: "rfm",
    family: "RFM group",
    label: rfmName,
    reason: reasonBody(
      explanations.rfm,
      [rfmGroupLabel(group), RFM_GROUP_NAMES[group] ?? "", "RFM group not scored yet"].filter(Boolean),
    ),
    ...(scored ? { note: RFM_SCORES_NOTE } : {}),
  });
  const stage = profile.lifecycle as LifecycleStage;
  const alsoSegment = STAGE_SEGMENTS.has(stage) && profile.segments.includes(stage);
  labels.push({
    kind: "lifecycle",
    key: "lifecycle",
    family: "Lifecycle stage",
    label: LIFECYCLE_NAMES[stage] ?? profile.lifecycle,
    reason: reasonBody(explanations.lifecycle, [lifecycleLabel(stage), LIFECYCLE_NAMES[stage] ?? ""].filter(Boolean)),
    ...(alsoSegment
      ? { note: `Also in the ${builtinSegmentLabel(stage as BuiltinSegment)} segment, which offers can target.` }
      : {}),
  });
  if (explanations.prediction)
    labels.push({
      kind: "prediction",
      key: "prediction",
      family: "Prediction",
      label: "Prediction",
      reason: reasonBody(explanations.prediction, ["Predicted"]),
    });
  for (const key of profile.segments) {
    if (alsoSegment && key === stage) continue;
    const builtin = isBuiltinSegment(key);
    const name = builtin ? BUILTIN_SEGMENT_NAMES[key] : (customNames.get(key) ?? "Custom segment");
    const family = builtin ? (OCCASIONS.has(key) ? "Occasion" : "Win-back segment") : "Custom segment";
    labels.push({
      kind: "segment",
      key,
      family,
      label: name,
      reason: reasonBody(explanations[key], builtin ? [builtinSegmentLabel(key), name] : [name]),
    });
  }
  return labels;
}

const OCCASIONS = new Set<string>(["upsell_window", "first_order_anniversary", "seasonal_buyer"]);

/** Null when the shop has no such customer (Shopify deleted them, or their redaction is pending): the route answers 404. */
export async function customerDetail(
  prisma: PrismaClient,
  shop: { id: string; domain: string },
  customerId: string,
): Promise<CustomerDetail | null> {
  const shopId = shop.id;
  const customer = await prisma.customer.findUnique({
    where: { shopId_shopifyId: { shopId, shopifyId: customerId } },
    select: { deletedAt: true, optedOut: true },
  });
  if (!customer || customer.deletedAt || (await customerGone(prisma, shopId, customerId))) return null;
  const [profile, history, override, program, customs, exposures, orders] = await Promise.all([
    prisma.customerProfile.findUnique({
      where: { shopId_customerShopifyId: { shopId, customerShopifyId: customerId } },
    }),
    prisma.tierChange.findMany({
      where: { shopId, customerShopifyId: customerId },
      orderBy: [{ on: "desc" }, { id: "desc" }],
      take: 50,
    }),
    prisma.tierOverride.findFirst({
      where: { shopId, customerShopifyId: customerId, removedAt: null },
      orderBy: { id: "desc" },
    }),
    getLoyaltyProgram(prisma, shopId),
    prisma.segmentDefinition.findMany({ where: { shopId }, select: { key: true, name: true } }),
    prisma.$queryRaw<
      { offerId: string; name: string | null; arm: string; firstSeenAt: Date; exposures: number; clicks: number }[]
    >`
      SELECT e."offerId", o.name, (array_agg(e.arm ORDER BY e."occurredAt"))[1] AS arm, min(e."occurredAt") AS "firstSeenAt",
             count(*) FILTER (WHERE e.type = 'exposure')::int AS exposures, count(*) FILTER (WHERE e.type = 'click')::int AS clicks
        FROM "OfferEvent" e LEFT JOIN "Offer" o ON o."shopId" = e."shopId" AND o.id = e."offerId"
       WHERE e."shopId" = ${shopId} AND e."customerShopifyId" = ${customerId} AND e.verified
       GROUP BY e."offerId", o.name ORDER BY min(e."occurredAt")`,
    prisma.order.findMany({
      where: { shopId, customerShopifyId: customerId, test: false },
      orderBy: { processedAt: "desc" },
      select: { processedAt: true, netMinor: true, cancelledAt: true },
    }),
  ]);
  const customNames = new Map(customs.map((custom) => [custom.key, custom.name]));
  const labels = profile ? profileLabels(profile, customNames) : [];
  const firstSeen = exposures.length ? Math.min(...exposures.map((row) => new Date(row.firstSeenAt).getTime())) : null;
  const since =
    firstSeen === null
      ? null
      : orders.filter((order) => !order.cancelledAt && order.processedAt.getTime() >= firstSeen);
  return {
    customerId,
    adminUrl: shopifyAdminCustomerUrl(shop.domain, customerId),
    optedOut: customer.optedOut,
    computedAt: profile?.computedAt.toISOString() ?? null,
    figures: profile && {
      orders: profile.orders,
      purchaseDays: profile.purchaseDays,
      netSpendMinor: profile.netSpendMinor.toString(),
      averageOrderValueMinor: money(profile.averageOrderValueMinor),
      firstOrderOn: day(profile.firstOrderOn),
      lastOrderOn: day(profile.lastOrderOn),
      daysSinceLastOrder: profile.daysSinceLastOrder,
    },
    labels,
    rfm: profile && { r: profile.rfmR, f: profile.rfmF, m: profile.rfmM },
    predictions: profile && {
      pAlive: profile.pAlive,
      expectedOrders90: profile.expectedOrders90,
      expectedOrders365: profile.expectedOrders365,
      expectedNextOrderOn: day(profile.expectedNextOrderOn),
      expectedOrderValueMinor: money(profile.expectedOrderValueMinor),
      clv12mMinor: money(profile.clv12mMinor),
      confidence: profile.confidence,
    },
    tierHistory: history.map(tierHistoryRow),
    override: override && {
      tierId: override.tierId,
      reason: override.reason,
      until: day(override.until),
      setAt: override.createdAt.toISOString(),
      setBy: override.setBy,
    },
    tierId: profile?.tierId ?? null,
    tiers: program?.program.tiers.map((tier) => ({ id: tier.id, name: tier.name })) ?? [],
    offersSeen: exposures.map((row) => ({
      ...row,
      name: row.name ?? row.offerId,
      firstSeenAt: new Date(row.firstSeenAt).toISOString(),
    })),
    ordersSinceFirstOffer: since && {
      orders: since.length,
      netMinor: since.reduce((sum, order) => sum + order.netMinor, 0n).toString(),
    },
    recentOrders: orders.slice(0, 20).map((order) => ({
      processedAt: order.processedAt.toISOString(),
      netMinor: order.netMinor.toString(),
      cancelled: order.cancelledAt !== null,
    })),
  };
}
