import { z } from "zod";
import { deleteOrder } from "../facts/order-deletion";
import { ingestOrderDelivery, orderLockKey } from "../facts/orders";
import { writeRefund } from "../facts/refunds";
import { PayloadError } from "../normalized";
import { normalizeOrder, normalizeRefundWebhook, parseOrderPayload, parseRefundPayload } from "../order-payload";
import { numericIdValue } from "../payload-fields";
import { numericId } from "../shopify-ids";
import { topicHandler } from "./types";

/**
 * orders/create, orders/updated, orders/paid, orders/cancelled: the newest state of an order wins. The most frequent
 * topics, so claim, write and the ledger's outcome are one statement (cadence_ingest_orders), shared with the other
 * deliveries waiting for the database (facts/order-batches.ts).
 */
export const orderState = topicHandler({
  parse: (payload) => normalizeOrder(parseOrderPayload(payload)),
  ingestInOneStatement: ingestOrderDelivery,
});

/**
 * refunds/create. A refund that arrives before its order is kept under the order's ID and counts as soon as the
 * order is written: Shopify does not promise the order of deliveries.
 */
export const refundCreated = topicHandler({
  parse: parseRefundPayload,
  lockKey: (refund) => orderLockKey(refund.orderShopifyId),
  async apply(tx, shop, payload) {
    const refund = normalizeRefundWebhook(payload, shop.currencyCode);
    const result = await writeRefund(tx, shop.id, payload.orderShopifyId, refund, shop.netRevenueBasis);
    if (result.deleted) return { outcome: "ignored", detail: "the order was deleted" };
    if (!result.inserted) return { outcome: "applied", detail: "refund already counted" };
    const customers = result.customer ? [result.customer] : [];
    if (!result.orderKnown) {
      return { outcome: "applied", detail: "order not synced yet: refund kept for it", customers };
    }
    return { outcome: "applied", customers };
  },
});

const deletedOrderSchema = z.object({ id: numericIdValue });

/** orders/delete: the order no longer exists in Shopify, so it no longer counts, and it stays deleted. */
export const orderDeleted = topicHandler({
  parse(payload) {
    const parsed = deletedOrderSchema.safeParse(payload);
    const id = parsed.success ? numericId(parsed.data.id) : null;
    if (!id) throw new PayloadError("orders/delete payload: id is missing or not numeric");
    return id;
  },
  lockKey: (id) => orderLockKey(id),
  async apply(tx, shop, id) {
    const result = await deleteOrder(tx, shop.id, id);
    return {
      outcome: "applied",
      ...(result.existed ? {} : { detail: "order was not stored" }),
      customers: result.customer ? [result.customer] : [],
    };
  },
});
