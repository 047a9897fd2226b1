import type { PrismaClient } from "@prisma/client";
import { minorToDecimal } from "~/money/decimal";

// `npm run cadence -- export customers`: one row per customer with the metrics Cadence derived from synced
// orders. Test orders and cancelled orders are not purchases and do not count. Guests have no row, and neither has a
// customer Shopify deleted. docs/data.md defines each figure.

export interface CustomerExportRow {
  customer_id: string;
  orders_count: number;
  net_spend: string;
  first_order_at: string | null;
  last_order_at: string | null;
}

export class UnknownShopError extends Error {
  override name = "UnknownShopError";
}

export async function exportCustomers(prisma: PrismaClient, shopDomain: string): Promise<CustomerExportRow[]> {
  const shop = await prisma.shop.findUnique({ where: { domain: shopDomain }, select: { id: true, currencyCode: true } });
  if (!shop) throw new UnknownShopError(`No shop "${shopDomain}" in this database.`);
  const [customers, totals] = await Promise.all([
    prisma.customer.findMany({ where: { shopId: shop.id, deletedAt: null }, select: { shopifyId: true }, orderBy: { id: "asc" } }),
    prisma.order.groupBy({
      by: ["customerShopifyId"],
      where: { shopId: shop.id, test: false, cancelledAt: null, customerShopifyId: { not: null } },
      _count: { _all: true },
      _sum: { netMinor: true },
      _min: { processedAt: true },
      _max: { processedAt: true },
    }),
  ]);
  const byCustomer = new Map(totals.map((row) => [row.customerShopifyId, row]));
  return customers.map(({ shopifyId }) => {
    const row = byCustomer.get(shopifyId);
    return {
      customer_id: shopifyId,
      orders_count: row?._count._all ?? 0,
      net_spend: minorToDecimal(row?._sum.netMinor ?? 0n, shop.currencyCode),
      first_order_at: row?._min.processedAt?.toISOString() ?? null,
      last_order_at: row?._max.processedAt?.toISOString() ?? null,
    };
  });
}
