import type { PrismaClient } from "@prisma/client";

export interface SyncCounts {
  orders: number;
  customers: number;
  lastWebhookAt: Date | null;
}

/**
 * What the demo's summary says about a shop's synced data. Orders are counted as every admin figure counts them:
 * not test orders, not cancelled (docs/admin.md, "One order count").
 */
export async function syncCounts(prisma: PrismaClient, shopDomain: string): Promise<SyncCounts | null> {
  const shop = await prisma.shop.findUnique({ where: { domain: shopDomain }, select: { id: true } });
  if (!shop) return null;
  const [orders, customers, lastDelivery] = await Promise.all([
    prisma.order.count({ where: { shopId: shop.id, test: false, cancelledAt: null } }),
    prisma.customer.count({ where: { shopId: shop.id, deletedAt: null } }),
    prisma.webhookDelivery.findFirst({
      where: { shopId: shop.id },
      orderBy: { receivedAt: "desc" },
      select: { receivedAt: true },
    }),
  ]);
  return { orders, customers, lastWebhookAt: lastDelivery?.receivedAt ?? null };
}
