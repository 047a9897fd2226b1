import type { Prisma } from "@prisma/client";
import { PayloadError, netMinor, normalizeOrder, normalizeRefundWebhook, type NetRevenueBasis, type NormalizedOrder, type NormalizedRefund } from "./order-payload";
import { numericId } from "./shopify-ids";
import type { ShopContext, TopicOutcome } from "./topic-outcome";

type Tx = Prisma.TransactionClient;

async function storeRefunds(tx: Tx, shopId: string, orderId: bigint, refunds: NormalizedRefund[]): Promise<void> {
  for (const refund of refunds) {
    await tx.refund.upsert({
      where: { shopId_shopifyId: { shopId, shopifyId: refund.shopifyId } },
      create: {
        shopId,
        orderId,
        shopifyId: refund.shopifyId,
        processedAt: refund.processedAt,
        merchandiseMinor: BigInt(refund.merchandiseMinor),
        totalMinor: BigInt(refund.totalMinor),
      },
      update: {},
    });
  }
}

async function recomputeNet(tx: Tx, orderId: bigint, basis: NetRevenueBasis): Promise<void> {
  const order = await tx.order.findUniqueOrThrow({ where: { id: orderId }, include: { refunds: true } });
  const { netMinor: net, refundedMinor } = netMinor(
    { subtotalMinor: Number(order.subtotalMinor), totalMinor: Number(order.totalMinor), cancelledAt: order.cancelledAt },
    order.refunds.map((refund) => ({ merchandiseMinor: Number(refund.merchandiseMinor), totalMinor: Number(refund.totalMinor) })),
    basis,
  );
  await tx.order.update({ where: { id: orderId }, data: { netMinor: BigInt(net), refundedMinor: BigInt(refundedMinor) } });
}

async function ensureCustomer(tx: Tx, shopId: string, shopifyId: string): Promise<void> {
  await tx.customer.upsert({
    where: { shopId_shopifyId: { shopId, shopifyId } },
    create: { shopId, shopifyId },
    update: {},
  });
}

/** orders/create, orders/updated, orders/paid, orders/cancelled: the newest state of an order wins. */
export async function applyOrder(tx: Tx, shop: ShopContext, payload: unknown): Promise<TopicOutcome> {
  const order: NormalizedOrder = normalizeOrder(payload);
  const existing = await tx.order.findUnique({
    where: { shopId_shopifyId: { shopId: shop.id, shopifyId: order.shopifyId } },
    select: { id: true, sourceUpdatedAt: true },
  });
  if (existing && existing.sourceUpdatedAt > order.sourceUpdatedAt) {
    return { outcome: "stale", detail: `order ${order.shopifyId} is newer in Cadence` };
  }
  if (order.customerShopifyId) await ensureCustomer(tx, shop.id, order.customerShopifyId);
  const fields = {
    name: order.name,
    customerShopifyId: order.customerShopifyId,
    processedAt: order.processedAt,
    shopifyCreatedAt: order.shopifyCreatedAt,
    sourceUpdatedAt: order.sourceUpdatedAt,
    currency: order.currency,
    financialStatus: order.financialStatus,
    test: order.test,
    cancelledAt: order.cancelledAt,
    subtotalMinor: BigInt(order.subtotalMinor),
    shippingMinor: BigInt(order.shippingMinor),
    taxMinor: BigInt(order.taxMinor),
    discountMinor: BigInt(order.discountMinor),
    totalMinor: BigInt(order.totalMinor),
    netMinor: 0n,
  };
  const saved = await tx.order.upsert({
    where: { shopId_shopifyId: { shopId: shop.id, shopifyId: order.shopifyId } },
    create: { shopId: shop.id, shopifyId: order.shopifyId, ...fields },
    update: fields,
    select: { id: true },
  });
  // Line items are replaced wholesale: an edited order's lines are the payload's lines.
  await tx.orderLine.deleteMany({ where: { shopId: shop.id, orderId: saved.id } });
  await tx.orderLine.createMany({
    data: order.lines.map((line) => ({
      shopId: shop.id,
      orderId: saved.id,
      shopifyId: line.shopifyId,
      productId: line.productId,
      variantId: line.variantId,
      productType: line.productType,
      quantity: line.quantity,
      amountMinor: BigInt(line.amountMinor),
    })),
  });
  await storeRefunds(tx, shop.id, saved.id, order.refunds);
  await recomputeNet(tx, saved.id, shop.netRevenueBasis);
  return { outcome: "applied", customerShopifyId: order.customerShopifyId };
}

/** refunds/create: refunds are keyed by their own ID, so a refund counts once whichever webhook brings it. */
export async function applyRefund(tx: Tx, shop: ShopContext, payload: unknown): Promise<TopicOutcome> {
  const refund = normalizeRefundWebhook(payload, shop.currencyCode);
  const order = await tx.order.findUnique({
    where: { shopId_shopifyId: { shopId: shop.id, shopifyId: refund.orderShopifyId } },
    select: { id: true, customerShopifyId: true },
  });
  if (!order) {
    // The order has not arrived yet; reconciliation fetches it with its refunds. Recorded, not lost.
    return { outcome: "deferred", detail: `order ${refund.orderShopifyId} not synced yet` };
  }
  await storeRefunds(tx, shop.id, order.id, [refund]);
  await recomputeNet(tx, order.id, shop.netRevenueBasis);
  return { outcome: "applied", customerShopifyId: order.customerShopifyId };
}

/** orders/delete: the order no longer exists in Shopify, so it no longer counts. */
export async function deleteOrder(tx: Tx, shop: ShopContext, payload: unknown): Promise<TopicOutcome> {
  const shopifyId = numericId((payload as { id?: unknown } | null)?.id);
  if (!shopifyId) throw new PayloadError("orders/delete payload: id is missing or not numeric");
  const order = await tx.order.findUnique({
    where: { shopId_shopifyId: { shopId: shop.id, shopifyId } },
    select: { id: true, customerShopifyId: true },
  });
  if (!order) return { outcome: "applied", detail: "order was not stored" };
  await tx.order.delete({ where: { id: order.id } });
  return { outcome: "applied", customerShopifyId: order.customerShopifyId };
}
