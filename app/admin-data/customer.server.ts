import type { PrismaClient } from "@prisma/client";
import { getLoyaltyProgram } from "~/profiles/loyalty.server";
import { LIFECYCLE_NAMES, type LifecycleStage } from "~/segments/lifecycle/stage";
import { RFM_GROUP_NAMES, type RfmGroup } from "~/segments/rfm/groups";
import { BUILTIN_SEGMENT_NAMES, type BuiltinSegment } from "~/segments/winback/occasions";
import { tierHistoryRow, type TierHistoryRow } from "./tier-history";

// Everything the customer page shows about one customer: each label with its one-line reason (written by the last
// full pass or refresh), the tier history and any override, predictions with their confidence, the offers the
// shopper saw and the orders since. Only IDs, amounts and dates: Cadence holds no names (the link to Shopify's
// admin is where the merchant sees who this is).

export interface CustomerLabel {
  kind: "tier" | "tierProgress" | "rfm" | "lifecycle" | "prediction" | "segment";
  key: string;
  label: string;
  reason: string | null;
}

export interface CustomerDetail {
  customerId: string;
  adminUrl: string;
  optedOut: boolean;
  computedAt: string | null;
  figures: { orders: number; netSpendMinor: string; averageOrderValueMinor: string | null; firstOrderOn: string | null; lastOrderOn: string | null; daysSinceLastOrder: number | null } | null;
  labels: CustomerLabel[];
  rfm: { r: number | null; f: number | null; m: number | null } | null;
  predictions: { pAlive: number | null; expectedOrders90: number | null; expectedOrders365: number | null; expectedNextOrderOn: string | null; expectedOrderValueMinor: string | null; clv12mMinor: string | null; confidence: string | null } | null;
  tierHistory: TierHistoryRow[];
  override: { tierId: string; reason: string; until: string | null; setAt: string } | null;
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

function labelOf(key: string, customNames: Map<string, string>): string {
  return BUILTIN_SEGMENT_NAMES[key as BuiltinSegment] ?? customNames.get(key) ?? key;
}

/** Null when the shop has no such customer (or Shopify deleted them): the route answers 404. */
export async function customerDetail(prisma: PrismaClient, shop: { id: string; domain: string }, customerId: string): Promise<CustomerDetail | null> {
  const shopId = shop.id;
  const customer = await prisma.customer.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId: customerId } }, select: { deletedAt: true, optedOut: true } });
  if (!customer || customer.deletedAt) return null;
  const [profile, history, override, program, customs, exposures, orders] = await Promise.all([
    prisma.customerProfile.findUnique({ where: { shopId_customerShopifyId: { shopId, customerShopifyId: customerId } } }),
    prisma.tierChange.findMany({ where: { shopId, customerShopifyId: customerId }, orderBy: [{ on: "desc" }, { id: "desc" }], take: 50 }),
    prisma.tierOverride.findFirst({ where: { shopId, customerShopifyId: customerId, removedAt: null }, orderBy: { id: "desc" } }),
    getLoyaltyProgram(prisma, shopId),
    prisma.segmentDefinition.findMany({ where: { shopId }, select: { key: true, name: true } }),
    prisma.$queryRaw<{ offerId: string; name: string | null; arm: string; firstSeenAt: Date; exposures: number; clicks: number }[]>`
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
  const explanations = (profile?.explanations ?? {}) as Record<string, string>;
  const labels: CustomerLabel[] = [];
  if (profile) {
    if (profile.tierName) labels.push({ kind: "tier", key: "tier", label: profile.tierName, reason: explanations.tier ?? null });
    if (explanations.tierProgress) labels.push({ kind: "tierProgress", key: "tierProgress", label: "Next tier", reason: explanations.tierProgress });
    labels.push({ kind: "rfm", key: "rfm", label: RFM_GROUP_NAMES[profile.rfmGroup as RfmGroup] ?? profile.rfmGroup, reason: explanations.rfm ?? null });
    labels.push({ kind: "lifecycle", key: "lifecycle", label: LIFECYCLE_NAMES[profile.lifecycle as LifecycleStage] ?? profile.lifecycle, reason: explanations.lifecycle ?? null });
    if (explanations.prediction) labels.push({ kind: "prediction", key: "prediction", label: "Prediction", reason: explanations.prediction });
    for (const key of profile.segments) labels.push({ kind: "segment", key, label: labelOf(key, customNames), reason: explanations[key] ?? null });
  }
  const firstSeen = exposures.length ? Math.min(...exposures.map((row) => new Date(row.firstSeenAt).getTime())) : null;
  const since = firstSeen === null ? null : orders.filter((order) => !order.cancelledAt && order.processedAt.getTime() >= firstSeen);
  return {
    customerId,
    adminUrl: shopifyAdminCustomerUrl(shop.domain, customerId),
    optedOut: customer.optedOut,
    computedAt: profile?.computedAt.toISOString() ?? null,
    figures: profile && {
      orders: profile.orders,
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
    override: override && { tierId: override.tierId, reason: override.reason, until: day(override.until), setAt: override.createdAt.toISOString() },
    tierId: profile?.tierId ?? null,
    tiers: program?.program.tiers.map((tier) => ({ id: tier.id, name: tier.name })) ?? [],
    offersSeen: exposures.map((row) => ({ ...row, name: row.name ?? row.offerId, firstSeenAt: new Date(row.firstSeenAt).toISOString() })),
    ordersSinceFirstOffer: since && { orders: since.length, netMinor: since.reduce((sum, order) => sum + order.netMinor, 0n).toString() },
    recentOrders: orders.slice(0, 20).map((order) => ({ processedAt: order.processedAt.toISOString(), netMinor: order.netMinor.toString(), cancelled: order.cancelledAt !== null })),
  };
}
