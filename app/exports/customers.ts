import type { PrismaClient } from "@prisma/client";
import { minorToDecimal } from "~/money/decimal";
import { recordFromRow } from "~/recompute/stored-profiles.server";
import { columnNames, customerCsvRow, LABEL_COLUMNS, TOP_PRODUCT_TYPES } from "~/segments/customer-csv";
import type { Cell } from "~/segments/customer-csv";

// `npm run cadence -- export customers`: one row per customer with the metrics Cadence derived from synced
// orders. Test orders and cancelled orders are not purchases and do not count. Guests have no row, and neither has a
// customer Shopify deleted. docs/data.md defines each figure. Then, from the last full pass or refresh (empty before
// the first one), the customer's top product types and the label columns of the segment CLI's customers.csv (x, t_x
// and T in days, tier, RFM, lifecycle, predictions, segments, explanations).

const FACT_COLUMNS = ["customer_id", "orders_count", "net_spend", "first_order_at", "last_order_at"] as const;
const PROFILE_COLUMNS = [TOP_PRODUCT_TYPES, ...LABEL_COLUMNS];
export const CUSTOMER_EXPORT_COLUMNS: readonly string[] = [...FACT_COLUMNS, ...columnNames(PROFILE_COLUMNS)];

export type CustomerExportRow = Record<string, Cell>;

export class UnknownShopError extends Error {
  override name = "UnknownShopError";
}

export async function exportCustomers(prisma: PrismaClient, shopDomain: string): Promise<CustomerExportRow[]> {
  const shop = await prisma.shop.findUnique({
    where: { domain: shopDomain },
    select: { id: true, currencyCode: true },
  });
  if (!shop) throw new UnknownShopError(`No shop "${shopDomain}" in this database.`);
  const [customers, totals, profiles] = await Promise.all([
    prisma.customer.findMany({
      where: { shopId: shop.id, deletedAt: null },
      select: { shopifyId: true },
      orderBy: { id: "asc" },
    }),
    prisma.order.groupBy({
      by: ["customerShopifyId"],
      where: { shopId: shop.id, test: false, cancelledAt: null, customerShopifyId: { not: null } },
      _count: { _all: true },
      _sum: { netMinor: true },
      _min: { processedAt: true },
      _max: { processedAt: true },
    }),
    prisma.customerProfile.findMany({ where: { shopId: shop.id } }),
  ]);
  const byCustomer = new Map(totals.map((row) => [row.customerShopifyId, row]));
  const profileOf = new Map(profiles.map((row) => [row.customerShopifyId, recordFromRow(row)]));
  const format = { currency: shop.currencyCode, unit: "day" as const };
  const labelNames = columnNames(PROFILE_COLUMNS);
  return customers.map(({ shopifyId }) => {
    const row = byCustomer.get(shopifyId);
    const record = profileOf.get(shopifyId);
    const labels = record ? customerCsvRow(record, format, PROFILE_COLUMNS) : labelNames.map(() => null);
    return {
      customer_id: shopifyId,
      orders_count: row?._count._all ?? 0,
      net_spend: minorToDecimal(row?._sum.netMinor ?? 0n, shop.currencyCode),
      first_order_at: row?._min.processedAt?.toISOString() ?? null,
      last_order_at: row?._max.processedAt?.toISOString() ?? null,
      ...Object.fromEntries(labelNames.map((name, index) => [name, labels[index] ?? null])),
    };
  });
}
