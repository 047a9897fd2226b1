import type { PrismaClient } from "@prisma/client";

// Order facts written straight to the database, for tests that need purchase history without replaying webhooks
// (the ingest tests cover that path). Amounts in minor units; no shipping, tax or discount.

export function orderRow(shopId: string, customerShopifyId: string, at: Date, amountMinor: bigint, currency = "GBP") {
  return {
    shopId,
    shopifyId: `o-${customerShopifyId}-${at.getTime()}`,
    customerShopifyId,
    processedAt: at,
    shopifyCreatedAt: at,
    sourceUpdatedAt: at,
    currency,
    subtotalMinor: amountMinor,
    shippingMinor: 0n,
    taxMinor: 0n,
    discountMinor: 0n,
    totalMinor: amountMinor,
    netMinor: amountMinor,
  };
}

const DAY_MS = 86_400_000;

/** One order per entry, `daysAgo` before now, for each customer. */
export async function seedOrders(
  prisma: PrismaClient,
  shopId: string,
  customers: Array<{ id: string; orders: Array<{ daysAgo: number; amountMinor: number }> }>,
  now = new Date(),
): Promise<void> {
  await prisma.customer.createMany({
    data: customers.map((customer) => ({ shopId, shopifyId: customer.id })),
    skipDuplicates: true,
  });
  await prisma.order.createMany({
    data: customers.flatMap((customer) =>
      customer.orders.map((order) =>
        orderRow(shopId, customer.id, new Date(now.getTime() - order.daysAgo * DAY_MS), BigInt(order.amountMinor)),
      ),
    ),
  });
}

/** What Order.lineAmountsByType must hold for these stored lines: amounts by product type, untyped lines left out. */
export function lineAmountsByType(
  lines: ReadonlyArray<{ productType: string | null; amountMinor: bigint }>,
): Record<string, number> {
  const amounts: Record<string, number> = {};
  for (const line of lines)
    if (line.productType) amounts[line.productType] = (amounts[line.productType] ?? 0) + Number(line.amountMinor);
  return amounts;
}
