import type { CustomerProfile as ProfileRow, Prisma } from "@prisma/client";
import type { CustomerRecord } from "~/segments/customer-record";
import type { Confidence } from "~/segments/predictions";
import { dayOfDate } from "./database.server";
import type { Day } from "~/profiles/days";

// Stored profiles read back as CustomerRecords (the shape the CLI writes), for exports and segment previews.

const num = (value: bigint | null) => (value === null ? null : Number(value));

export function recordFromRow(row: ProfileRow): CustomerRecord {
  return {
    customerId: row.customerShopifyId,
    asOf: dayOfDate(row.asOf) as Day,
    orders: row.orders,
    ordersPlaced: row.ordersPlaced,
    netSpendMinor: Number(row.netSpendMinor),
    averageOrderValueMinor: num(row.averageOrderValueMinor),
    firstOrderDay: dayOfDate(row.firstOrderOn),
    lastOrderDay: dayOfDate(row.lastOrderOn),
    daysSinceFirstOrder: row.daysSinceFirstOrder,
    daysSinceLastOrder: row.daysSinceLastOrder,
    purchaseDays: row.purchaseDays,
    meanIntervalDays: row.meanIntervalDays,
    medianIntervalDays: row.medianIntervalDays,
    lastIntervalDays: row.lastIntervalDays,
    netSpend365Minor: Number(row.netSpend365Minor),
    orders365: row.orders365,
    refundedMinor: Number(row.refundedMinor),
    refundCancelShare: row.refundCancelShare,
    lastRefundOrCancelDay: dayOfDate(row.lastRefundOrCancelOn),
    lastOrderRefunded: row.lastOrderRefunded,
    discountMinor: Number(row.discountMinor),
    discountedOrderShare: row.discountedOrderShare,
    topProductTypes: row.topProductTypes,
    purchaseMonths: row.purchaseMonths,
    purchaseYears: row.purchaseYears,
    peakSeasonStartMonth: row.peakSeasonStartMonth,
    peakSeasonShare: row.peakSeasonShare,
    peakSeasonYears: row.peakSeasonYears,
    x: row.x,
    tX: row.tX,
    T: row.T,
    tierId: row.tierId,
    tierName: row.tierName,
    rfmR: row.rfmR,
    rfmF: row.rfmF,
    rfmM: row.rfmM,
    rfmGroup: row.rfmGroup,
    lifecycle: row.lifecycle,
    expectedGapDays: row.expectedGapDays,
    pAlive: row.pAlive,
    expectedOrders90: row.expectedOrders90,
    expectedOrders365: row.expectedOrders365,
    expectedNextOrderDay: dayOfDate(row.expectedNextOrderOn),
    expectedOrderValueMinor: num(row.expectedOrderValueMinor),
    clv12mMinor: num(row.clv12mMinor),
    confidence: row.confidence as Confidence | null,
    segments: row.segments,
    explanations: (row.explanations ?? {}) as Record<string, string>,
  };
}

/** The shop's stored profiles, a page at a time, by customer ID. */
export async function* storedRecords(
  db: Prisma.TransactionClient,
  shopId: string,
  pageSize = 2000,
): AsyncGenerator<CustomerRecord[]> {
  let after: string | null = null;
  for (;;) {
    const rows: ProfileRow[] = await db.customerProfile.findMany({
      where: { shopId, ...(after === null ? {} : { customerShopifyId: { gt: after } }) },
      orderBy: { customerShopifyId: "asc" },
      take: pageSize,
    });
    if (rows.length === 0) return;
    yield rows.map(recordFromRow);
    after = rows[rows.length - 1]!.customerShopifyId;
    if (rows.length < pageSize) return;
  }
}

export async function storedRecord(
  db: Prisma.TransactionClient,
  shopId: string,
  customerShopifyId: string,
): Promise<CustomerRecord | null> {
  const row = await db.customerProfile.findUnique({
    where: { shopId_customerShopifyId: { shopId, customerShopifyId } },
  });
  return row && recordFromRow(row);
}
