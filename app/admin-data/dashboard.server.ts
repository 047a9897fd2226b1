import { Prisma, type PrismaClient } from "@prisma/client";
import { customerRedactionPending, customersBeingRedacted } from "~/privacy/gone";

// Figures for the dashboard. Orders count when they are real (not test) and not cancelled, the same rule the
// profiles use; money stays in minor units as strings because BigInt does not cross the loader boundary. A customer
// whose redaction is pending counts nowhere (app/privacy/gone.ts).

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
  orders: number;
  averageOrderValueMinor: string | null;
  cohorts: CohortRow[];
  tiers: { tier: string; customers: number }[];
  /** Built-in and custom segment sizes now, and how many entered and left over the last 30 days. */
  segments: { key: string; customers: number; entered30d: number; exited30d: number }[];
  atRiskCustomers: number;
  revenueAtRiskMinor: string;
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

async function segmentTrends(prisma: PrismaClient, shopId: string): Promise<Map<string, { entered: number; exited: number }>> {
  const rows = await prisma.$queryRaw<{ key: string; entered: number; exited: number }[]>`
    SELECT "segmentKey" AS key, count(*) FILTER (WHERE kind = 'entered')::int AS entered, count(*) FILTER (WHERE kind = 'exited')::int AS exited
      FROM "SegmentTransition" t WHERE "shopId" = ${shopId} AND at >= now() - interval '30 days'
       AND NOT ${Prisma.raw(customerRedactionPending(`t."shopId"`, `t."customerShopifyId"`))} GROUP BY 1`;
  return new Map(rows.map((row) => [row.key, { entered: row.entered, exited: row.exited }]));
}

function share(part: bigint | number, whole: bigint | number): number | null {
  return Number(whole) === 0 ? null : Number(part) / Number(whole);
}

export async function dashboardData(prisma: PrismaClient, shopId: string): Promise<DashboardData> {
  const gone = [...(await customersBeingRedacted(prisma, shopId))];
  const [customers, totals, cohortRows, tierRows, segmentRows, atRisk, trends] = await Promise.all([
    prisma.customer.count({ where: { shopId, deletedAt: null } }),
    orderTotals(prisma, shopId),
    cohorts(prisma, shopId),
    prisma.customerProfile.groupBy({ by: ["tierName"], where: { shopId }, _count: { _all: true }, orderBy: { tierName: "asc" } }),
    prisma.segmentMembership.groupBy({ by: ["segmentKey"], where: { shopId, exitedAt: null, customerShopifyId: { notIn: gone } }, _count: { _all: true }, orderBy: { segmentKey: "asc" } }),
    prisma.customerProfile.aggregate({ where: { shopId, lifecycle: "at_risk" }, _count: { _all: true }, _sum: { clv12mMinor: true } }),
    segmentTrends(prisma, shopId),
  ]);
  const revenue = totals.revenue ?? 0n;
  const returning = totals.returning_revenue ?? 0n;
  const orders = Number(totals.orders);
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
    tiers: tierRows.map((row) => ({ tier: row.tierName ?? "No tier", customers: row._count._all })),
    segments: segmentRows.map((row) => ({
      key: row.segmentKey,
      customers: row._count._all,
      entered30d: trends.get(row.segmentKey)?.entered ?? 0,
      exited30d: trends.get(row.segmentKey)?.exited ?? 0,
    })),
    atRiskCustomers: atRisk._count._all,
    revenueAtRiskMinor: (atRisk._sum.clv12mMinor ?? 0n).toString(),
  };
}
