import type { Prisma } from "@prisma/client";
import { PayloadError, netMinor, normalizeOrder, normalizeRefundWebhook, type NetRevenueBasis, type NormalizedOrder, type NormalizedRefund } from "./order-payload";
import { numericId } from "./shopify-ids";
import type { ShopContext, TopicOutcome } from "./topic-outcome";

type Tx = Prisma.TransactionClient;

type StoredRefund = { shopifyId: string; merchandiseMinor: bigint; totalMinor: bigint };

/** Inserts the refunds not stored yet; returns every refund the order has, stored before or now. */
async function storeRefunds(tx: Tx, shopId: string, orderId: bigint, known: StoredRefund[], refunds: NormalizedRefund[]): Promise<StoredRefund[]> {
  const seen = new Set(known.map((refund) => refund.shopifyId));
  const fresh = refunds.filter((refund) => !seen.has(refund.shopifyId) && seen.add(refund.shopifyId));
  if (fresh.length > 0) {
    // skipDuplicates: a refund is keyed by its own ID, so one that another order event already stored counts once.
    await tx.refund.createMany({
      data: fresh.map((refund) => ({
        shopId,
        orderId,
        shopifyId: refund.shopifyId,
        processedAt: refund.processedAt,
        merchandiseMinor: BigInt(refund.merchandiseMinor),
        totalMinor: BigInt(refund.totalMinor),
      })),
      skipDuplicates: true,
    });
  }
  return [
    ...known,
    ...fresh.map((refund) => ({ shopifyId: refund.shopifyId, merchandiseMinor: BigInt(refund.merchandiseMinor), totalMinor: BigInt(refund.totalMinor) })),
  ];
}

function netOf(order: { subtotalMinor: bigint; totalMinor: bigint; cancelledAt: Date | null }, refunds: StoredRefund[], basis: NetRevenueBasis) {
  const { netMinor: net, refundedMinor } = netMinor(
    { subtotalMinor: Number(order.subtotalMinor), totalMinor: Number(order.totalMinor), cancelledAt: order.cancelledAt },
    refunds.map((refund) => ({ merchandiseMinor: Number(refund.merchandiseMinor), totalMinor: Number(refund.totalMinor) })),
    basis,
  );
  return { netMinor: BigInt(net), refundedMinor: BigInt(refundedMinor) };
}

async function ensureCustomer(tx: Tx, shopId: string, shopifyId: string): Promise<void> {
  await tx.customer.upsert({
    where: { shopId_shopifyId: { shopId, shopifyId } },
    create: { shopId, shopifyId },
    update: {},
  });
}

const REFUND_AMOUNTS = { select: { shopifyId: true, merchandiseMinor: true, totalMinor: true } } as const;

/**
 * orders/create, orders/updated, orders/paid, orders/cancelled: the newest state of an order wins. The order is
 * read once (with its refunds) and its net amount computed here, so a new order costs a handful of statements.
 */
export async function applyOrder(tx: Tx, shop: ShopContext, payload: unknown): Promise<TopicOutcome> {
  const order: NormalizedOrder = normalizeOrder(payload);
  const existing = await tx.order.findUnique({
    where: { shopId_shopifyId: { shopId: shop.id, shopifyId: order.shopifyId } },
    select: { id: true, sourceUpdatedAt: true, refunds: REFUND_AMOUNTS },
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
  };
  const lines = (orderId: bigint) =>
    order.lines.map((line) => ({
      shopId: shop.id,
      orderId,
      shopifyId: line.shopifyId,
      productId: line.productId,
      variantId: line.variantId,
      productType: line.productType,
      quantity: line.quantity,
      amountMinor: BigInt(line.amountMinor),
    }));

  if (existing) {
    // Line items are replaced wholesale: an edited order's lines are the payload's lines.
    await tx.orderLine.deleteMany({ where: { shopId: shop.id, orderId: existing.id } });
    if (order.lines.length > 0) await tx.orderLine.createMany({ data: lines(existing.id) });
    const refunds = await storeRefunds(tx, shop.id, existing.id, existing.refunds, order.refunds);
    await tx.order.update({ where: { id: existing.id }, data: { ...fields, ...netOf(fields, refunds, shop.netRevenueBasis) } });
  } else {
    const created = await tx.order.create({
      data: { shopId: shop.id, shopifyId: order.shopifyId, ...fields, ...netOf(fields, [], shop.netRevenueBasis) },
      select: { id: true },
    });
    if (order.lines.length > 0) await tx.orderLine.createMany({ data: lines(created.id) });
    // Most new orders carry no refund yet; one that does (a late first delivery) is netted once they are stored.
    if (order.refunds.length > 0) {
      const refunds = await storeRefunds(tx, shop.id, created.id, [], order.refunds);
      await tx.order.update({ where: { id: created.id }, data: netOf(fields, refunds, shop.netRevenueBasis) });
    }
  }
  return { outcome: "applied", customerShopifyId: order.customerShopifyId };
}

/** refunds/create: refunds are keyed by their own ID, so a refund counts once whichever webhook brings it. */
export async function applyRefund(tx: Tx, shop: ShopContext, payload: unknown): Promise<TopicOutcome> {
  const refund = normalizeRefundWebhook(payload, shop.currencyCode);
  const order = await tx.order.findUnique({
    where: { shopId_shopifyId: { shopId: shop.id, shopifyId: refund.orderShopifyId } },
    select: { id: true, customerShopifyId: true, subtotalMinor: true, totalMinor: true, cancelledAt: true, refunds: REFUND_AMOUNTS },
  });
  if (!order) {
    // The order has not arrived yet; reconciliation fetches it with its refunds. Recorded, not lost.
    return { outcome: "deferred", detail: `order ${refund.orderShopifyId} not synced yet` };
  }
  const refunds = await storeRefunds(tx, shop.id, order.id, order.refunds, [refund]);
  await tx.order.update({ where: { id: order.id }, data: netOf(order, refunds, shop.netRevenueBasis) });
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
