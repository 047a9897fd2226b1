import type { PrismaClient } from "@prisma/client";
import { customerRedactionPending } from "~/privacy/gone";
import { getLoyaltyProgram } from "~/recompute/loyalty.server";
import { REPEAT_PERIOD_DAYS } from "./needs-attention";
import type { TierRepeat } from "./needs-attention";

// Figures for the dashboard. Orders count when they are real (not test) and not cancelled, the same rule the
// profiles use: one order count, "counted orders", behind every figure here (the sync page shows how it relates to
// the orders Shopify sent). Money stays in minor units as strings because BigInt does not cross the loader boundary.
// A customer whose redaction is pending counts nowhere (app/privacy/gone.ts).

export interface CohortRow {
  cohort: string; // YYYY-MM of the first order
  customers: number;
  returned: number; // customers of the cohort with a second order
}

export interface DashboardData {
  customers: number;
  buyers: number;
  repeatBuyers: number;
  repeatPurchaseRate: number | null;
  revenueMinor: string;
  returningRevenueMinor: string;
  returningRevenueShare: number | null;
  /** Counted orders: not test, not cancelled. */
  orders: number;
  averageOrderValueMinor: string | null;
  cohorts: CohortRow[];
  /** Customers per tier, lowest tier first (the program's rank), then those with no tier. */
  tiers: { tierId: string | null; tier: string; customers: number }[];
  atRiskCustomers: number;
  revenueAtRiskMinor: string;
  highValueAtRisk: { customers: number; valueMinor: string };
  tierRepeat: TierRepeat[];
}

interface OrderTotals {
  buyers: bigint;
  repeat_buyers: bigint;
  orders: bigint;
  revenue: bigint | null;
  returning_revenue: bigint | null;
}

const COUNTED_ORDERS = `SELECT "customerShopifyId" AS customer, "processedAt", "netMinor",
    ROW_NUMBER() OVER (PARTITION BY "customerShopifyId" ORDER BY "processedAt", id) AS n
  FROM "Order" WHERE "shopId" = $1 AND test = false AND "cancelledAt" IS NULL
    AND NOT ${customerRedactionPending(`"Order"."shopId"`, `"Order"."customerShopifyId"`)}`;

async function orderTotals(prisma: PrismaClient, shopId: string): Promise<OrderTotals> {
  const [row] = await prisma.$queryRawUnsafe<OrderTotals[]>(
    `WITH o AS (${COUNTED_ORDERS})
     SELECT COUNT(DISTINCT customer) FILTER (WHERE customer IS NOT NULL) AS buyers,
            COUNT(DISTINCT customer) FILTER (WHERE n = 2 AND customer IS NOT NULL) AS repeat_buyers,
            COUNT(*) AS orders,
            SUM("netMinor")::bigint AS revenue,
            SUM("netMinor") FILTER (WHERE n > 1 AND customer IS NOT NULL)::bigint AS returning_revenue
       FROM o`,
    shopId,
  );
  if (!row) throw new Error("order totals query returned no row");
  return row;
}

async function cohorts(prisma: PrismaClient, shopId: string): Promise<CohortRow[]> {
  const rows = await prisma.$queryRawUnsafe<{ cohort: string; customers: bigint; returned: bigint }[]>(
    `WITH o AS (${COUNTED_ORDERS}), per AS (
       SELECT customer, MIN("processedAt") AS first, COUNT(*) AS orders FROM o WHERE customer IS NOT NULL GROUP BY customer)
     SELECT to_char(first, 'YYYY-MM') AS cohort, COUNT(*) AS customers, COUNT(*) FILTER (WHERE orders > 1) AS returned
       FROM per GROUP BY 1 ORDER BY 1`,
    shopId,
  );
  return rows.map((row) => ({ cohort: row.cohort, customers: Number(row.customers), returned: Number(row.returned) }));
}

/**
 * Per tier: its members now, and the share of them who placed a counted order in the last REPEAT_PERIOD_DAYS days
 * and in the REPEAT_PERIOD_DAYS before. Reads only the last two periods' orders (the shop's processedAt index).
 */
async function tierRepeatRates(
  prisma: PrismaClient,
  shopId: string,
  now: Date,
): Promise<Omit<TierRepeat, "tierName">[]> {
  const day = 86_400_000;
  const recentFrom = new Date(now.getTime() - REPEAT_PERIOD_DAYS * day);
  const earlierFrom = new Date(now.getTime() - 2 * REPEAT_PERIOD_DAYS * day);
  const rows = await prisma.$queryRaw<{ tier: string; members: number; recent: number; earlier: number }[]>`
    WITH ordered AS (
      SELECT "customerShopifyId" AS customer, bool_or("processedAt" >= ${recentFrom}) AS recent, bool_or("processedAt" < ${recentFrom}) AS earlier
        FROM "Order"
       WHERE "shopId" = ${shopId} AND "processedAt" >= ${earlierFrom} AND "processedAt" <= ${now} AND NOT test AND "cancelledAt" IS NULL AND "customerShopifyId" IS NOT NULL
       GROUP BY 1)
    SELECT l."tierId" AS tier, count(*)::int AS members,
           count(*) FILTER (WHERE o.recent)::int AS recent, count(*) FILTER (WHERE o.earlier)::int AS earlier
      FROM "CustomerListing" l LEFT JOIN ordered o ON o.customer = l."customerShopifyId"
     WHERE l."shopId" = ${shopId} AND l."tierId" IS NOT NULL
     GROUP BY 1`;
  return rows.map((row) => ({
    tierId: row.tier,
    members: row.members,
    recentRate: row.members ? row.recent / row.members : 0,
    earlierRate: row.members ? row.earlier / row.members : 0,
  }));
}

function share(part: bigint | number, whole: bigint | number): number | null {
  return Number(whole) === 0 ? null : Number(part) / Number(whole);
}

export async function dashboardData(prisma: PrismaClient, shopId: string, now = new Date()): Promise<DashboardData> {
  const [customers, totals, cohortRows, tierRows, atRisk, highValue, program, repeat] = await Promise.all([
    prisma.customer.count({ where: { shopId, deletedAt: null } }),
    orderTotals(prisma, shopId),
    cohorts(prisma, shopId),
    prisma.customerProfile.groupBy({ by: ["tierId", "tierName"], where: { shopId }, _count: { _all: true } }),
    prisma.customerProfile.aggregate({
      where: { shopId, lifecycle: "at_risk" },
      _count: { _all: true },
      _sum: { clv12mMinor: true },
    }),
    prisma.customerProfile.aggregate({
      where: { shopId, segments: { has: "high_value_at_risk" } },
      _count: { _all: true },
      _sum: { clv12mMinor: true },
    }),
    getLoyaltyProgram(prisma, shopId),
    tierRepeatRates(prisma, shopId, now),
  ]);
  const revenue = totals.revenue ?? 0n;
  const returning = totals.returning_revenue ?? 0n;
  const orders = Number(totals.orders);
  // Rank order, the program's (lowest first); a tier the program no longer has, then "No tier", come after.
  const rank = new Map((program?.program.tiers ?? []).map((tier, index) => [tier.id, index]));
  const names = new Map((program?.program.tiers ?? []).map((tier) => [tier.id, tier.name]));
  const position = (tierId: string | null) =>
    tierId === null ? Number.MAX_SAFE_INTEGER : (rank.get(tierId) ?? Number.MAX_SAFE_INTEGER - 1);
  const tiers = tierRows
    .map((row) => ({
      tierId: row.tierId,
      tier: row.tierId === null ? "No tier" : (names.get(row.tierId) ?? row.tierName ?? row.tierId),
      customers: row._count._all,
    }))
    .sort((a, b) => position(a.tierId) - position(b.tierId) || a.tier.localeCompare(b.tier));
  return {
    customers,
    buyers: Number(totals.buyers),
    repeatBuyers: Number(totals.repeat_buyers),
    repeatPurchaseRate: share(totals.repeat_buyers, totals.buyers),
    revenueMinor: revenue.toString(),
    returningRevenueMinor: returning.toString(),
    returningRevenueShare: share(returning, revenue),
    orders,
    averageOrderValueMinor: orders === 0 ? null : (revenue / BigInt(orders)).toString(),
    cohorts: cohortRows,
    tiers,
    atRiskCustomers: atRisk._count._all,
    revenueAtRiskMinor: (atRisk._sum.clv12mMinor ?? 0n).toString(),
    highValueAtRisk: { customers: highValue._count._all, valueMinor: (highValue._sum.clv12mMinor ?? 0n).toString() },
    tierRepeat: repeat
      .filter((row) => rank.has(row.tierId))
      .sort((a, b) => position(a.tierId) - position(b.tierId))
      .map((row) => ({ ...row, tierName: names.get(row.tierId) ?? row.tierId })),
  };
}
