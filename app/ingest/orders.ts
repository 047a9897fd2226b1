import type { Prisma } from "@prisma/client";
import { PayloadError, netMinor, normalizeOrder, normalizeRefundWebhook, type NetRevenueBasis, type NormalizedOrder, type NormalizedRefund } from "./order-payload";
import { numericId } from "./shopify-ids";
import type { ShopContext, TopicOutcome } from "./topic-outcome";

type Tx = Prisma.TransactionClient;

type RefundAmounts = { merchandiseMinor: bigint; totalMinor: bigint };

/**
 * Stores refunds by their own ID (a refund counts once, whichever webhook brings it). orderId is null when the
 * order has not arrived yet: Shopify does not deliver in order, and the refund must not be lost meanwhile.
 */
async function insertRefunds(tx: Tx, shopId: string, orderShopifyId: string, orderId: bigint | null, refunds: NormalizedRefund[]): Promise<void> {
  if (refunds.length === 0) return;
  await tx.refund.createMany({
    data: refunds.map((refund) => ({
      shopId,
      orderId,
      orderShopifyId,
      shopifyId: refund.shopifyId,
      processedAt: refund.processedAt,
      merchandiseMinor: BigInt(refund.merchandiseMinor),
      totalMinor: BigInt(refund.totalMinor),
    })),
    skipDuplicates: true,
  });
}

/** Attaches refunds that arrived before their order; returns how many there were. */
async function claimEarlyRefunds(tx: Tx, shopId: string, orderShopifyId: string, orderId: bigint): Promise<number> {
  const { count } = await tx.refund.updateMany({ where: { shopId, orderShopifyId, orderId: null }, data: { orderId } });
  return count;
}

async function refundsOf(tx: Tx, shopId: string, orderShopifyId: string): Promise<RefundAmounts[]> {
  return tx.refund.findMany({ where: { shopId, orderShopifyId }, select: { merchandiseMinor: true, totalMinor: true } });
}

function netOf(order: { subtotalMinor: bigint; totalMinor: bigint; cancelledAt: Date | null }, refunds: RefundAmounts[], basis: NetRevenueBasis) {
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

/**
 * orders/create, orders/updated, orders/paid, orders/cancelled: the newest state of an order wins. A new order
 * without refunds (the common case) costs a handful of statements; its net amount is computed here.
 */
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
    await insertRefunds(tx, shop.id, order.shopifyId, existing.id, order.refunds);
    await claimEarlyRefunds(tx, shop.id, order.shopifyId, existing.id);
    const refunds = await refundsOf(tx, shop.id, order.shopifyId);
    await tx.order.update({ where: { id: existing.id }, data: { ...fields, ...netOf(fields, refunds, shop.netRevenueBasis) } });
  } else {
    const created = await tx.order.create({
      data: { shopId: shop.id, shopifyId: order.shopifyId, ...fields, ...netOf(fields, [], shop.netRevenueBasis) },
      select: { id: true },
    });
    if (order.lines.length > 0) await tx.orderLine.createMany({ data: lines(created.id) });
    await insertRefunds(tx, shop.id, order.shopifyId, created.id, order.refunds);
    const early = await claimEarlyRefunds(tx, shop.id, order.shopifyId, created.id);
    // Most new orders have no refund yet; one that has (in its payload, or delivered before it) is netted now.
    if (order.refunds.length > 0 || early > 0) {
      const refunds = await refundsOf(tx, shop.id, order.shopifyId);
      await tx.order.update({ where: { id: created.id }, data: netOf(fields, refunds, shop.netRevenueBasis) });
    }
  }
  return { outcome: "applied", customerShopifyId: order.customerShopifyId };
}

/** refunds/create: kept by its own ID; counted in the order's net amount now, or when the order arrives. */
export async function applyRefund(tx: Tx, shop: ShopContext, payload: unknown): Promise<TopicOutcome> {
  const refund = normalizeRefundWebhook(payload, shop.currencyCode);
  const order = await tx.order.findUnique({
    where: { shopId_shopifyId: { shopId: shop.id, shopifyId: refund.orderShopifyId } },
    select: { id: true, customerShopifyId: true, subtotalMinor: true, totalMinor: true, cancelledAt: true },
  });
  await insertRefunds(tx, shop.id, refund.orderShopifyId, order?.id ?? null, [refund]);
  if (!order) return { outcome: "deferred", detail: `refund kept until order ${refund.orderShopifyId} arrives` };
  const refunds = await refundsOf(tx, shop.id, refund.orderShopifyId);
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
  // Its refunds go with it, including any that arrived before the order did.
  await tx.refund.deleteMany({ where: { shopId: shop.id, orderShopifyId: shopifyId } });
  if (!order) return { outcome: "applied", detail: "order was not stored" };
  await tx.order.delete({ where: { id: order.id } });
  return { outcome: "applied", customerShopifyId: order.customerShopifyId };
}
