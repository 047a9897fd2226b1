import { z } from "zod";
import { decimalToMinor } from "~/money/decimal";
import { PayloadError } from "./normalized";
import type { NormalizedOrder, NormalizedRefund } from "./normalized";
import {
  amount,
  asPayloadError,
  describeIssues,
  distinctCodes,
  numericIdValue,
  parseDate,
  quantity,
} from "./payload-fields";
import { idFromGid, numericId } from "./shopify-ids";

// What Cadence keeps from an orders/* or refunds/create webhook (REST-shaped JSON): IDs, amounts, dates and
// products. Names, emails, phones and addresses in the payload are never read.

const moneyBag = z.object({ shop_money: z.object({ amount, currency_code: z.string() }) });

const refundSchema = z.object({
  admin_graphql_api_id: z.string(),
  created_at: z.string(),
  processed_at: z.string().nullish(),
  refund_line_items: z.array(z.object({ subtotal_set: moneyBag.optional(), subtotal: amount.optional() })).default([]),
  transactions: z.array(z.object({ kind: z.string(), status: z.string().nullish(), amount })).default([]),
});

const orderSchema = z.object({
  admin_graphql_api_id: z.string(),
  name: z.string().nullish(),
  created_at: z.string(),
  updated_at: z.string(),
  processed_at: z.string().nullish(),
  cancelled_at: z.string().nullish(),
  financial_status: z.string().nullish(),
  test: z.boolean().default(false),
  currency: z.string(),
  subtotal_price: amount,
  subtotal_price_set: moneyBag.optional(),
  total_price: amount,
  total_price_set: moneyBag.optional(),
  total_tax_set: moneyBag.optional(),
  total_tax: amount.optional(),
  total_discounts_set: moneyBag.optional(),
  total_discounts: amount.optional(),
  total_shipping_price_set: moneyBag.optional(),
  customer: z.object({ admin_graphql_api_id: z.string().optional(), id: z.unknown().optional() }).nullish(),
  // Only the code is kept; the amount and type the entry also carries are the order's totals' business.
  discount_codes: z.array(z.object({ code: z.string() })).nullish(),
  line_items: z.array(
    z.object({
      admin_graphql_api_id: z.string(),
      product_id: z.unknown().optional(),
      variant_id: z.unknown().optional(),
      product_type: z.string().nullish(),
      quantity,
      price: amount,
      price_set: moneyBag.optional(),
      total_discount_set: moneyBag.optional(),
      total_discount: amount.optional(),
    }),
  ),
  refunds: z.array(refundSchema).default([]),
});

const refundWebhookSchema = refundSchema.extend({ order_id: numericIdValue });

export type OrderPayload = z.infer<typeof orderSchema>;
export type RefundPayload = z.infer<typeof refundSchema>;
export type RefundWebhookPayload = z.infer<typeof refundWebhookSchema>;

function minor(value: string | number, currency: string): number {
  const result = decimalToMinor(value, currency);
  if (!Number.isSafeInteger(result)) throw new RangeError(`amount ${String(value)} is out of range`);
  return result;
}

// Amounts in the shop's currency: the *_set bag's shop_money when present, else the plain field (older payloads).
function shopMoney(
  bag: z.infer<typeof moneyBag> | undefined,
  fallback: string | number | undefined,
  currency: string,
): number {
  if (bag) return minor(bag.shop_money.amount, bag.shop_money.currency_code);
  return fallback === undefined ? 0 : minor(fallback, currency);
}

export function parseOrderPayload(payload: unknown): OrderPayload {
  const parsed = orderSchema.safeParse(payload);
  if (!parsed.success) throw new PayloadError(`order payload: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

export function parseRefundPayload(payload: unknown): RefundWebhookPayload & { orderShopifyId: string } {
  const parsed = refundWebhookSchema.safeParse(payload);
  if (!parsed.success) throw new PayloadError(`refund payload: ${describeIssues(parsed.error)}`);
  const orderShopifyId = numericId(parsed.data.order_id);
  if (!orderShopifyId) throw new PayloadError("refund payload: order_id is not a numeric ID");
  return { ...parsed.data, orderShopifyId };
}

function normalizeRefund(refund: RefundPayload, currency: string): NormalizedRefund {
  const merchandiseMinor = refund.refund_line_items.reduce(
    (sum, line) => sum + shopMoney(line.subtotal_set, line.subtotal ?? 0, currency),
    0,
  );
  // Money returned: successful refund transactions (a failed or pending one returned nothing).
  const totalMinor = refund.transactions
    .filter((transaction) => transaction.kind === "refund" && (transaction.status ?? "success") === "success")
    .reduce((sum, transaction) => sum + minor(transaction.amount, currency), 0);
  return {
    shopifyId: idFromGid(refund.admin_graphql_api_id, "Refund"),
    processedAt: parseDate(refund.processed_at ?? refund.created_at, "refund.processed_at"),
    merchandiseMinor,
    totalMinor,
  };
}

export function normalizeRefundWebhook(payload: RefundWebhookPayload, currency: string): NormalizedRefund {
  return asPayloadError("refund payload", () => normalizeRefund(payload, currency));
}

export function normalizeOrder(order: OrderPayload): NormalizedOrder {
  const currency = order.subtotal_price_set?.shop_money.currency_code ?? order.currency;
  return asPayloadError("order payload", () => {
    const customerGid = order.customer?.admin_graphql_api_id;
    return {
      shopifyId: idFromGid(order.admin_graphql_api_id, "Order"),
      name: order.name ?? null,
      customerShopifyId: customerGid ? idFromGid(customerGid, "Customer") : numericId(order.customer?.id),
      processedAt: parseDate(order.processed_at ?? order.created_at, "processed_at"),
      shopifyCreatedAt: parseDate(order.created_at, "created_at"),
      sourceUpdatedAt: parseDate(order.updated_at, "updated_at"),
      currency,
      financialStatus: order.financial_status ?? null,
      test: order.test,
      cancelledAt: order.cancelled_at ? parseDate(order.cancelled_at, "cancelled_at") : null,
      subtotalMinor: shopMoney(order.subtotal_price_set, order.subtotal_price, currency),
      shippingMinor: shopMoney(order.total_shipping_price_set, 0, currency),
      taxMinor: shopMoney(order.total_tax_set, order.total_tax, currency),
      discountMinor: shopMoney(order.total_discounts_set, order.total_discounts, currency),
      totalMinor: shopMoney(order.total_price_set, order.total_price, currency),
      discountCodes: distinctCodes((order.discount_codes ?? []).map((entry) => entry.code)),
      lines: order.line_items.map((line) => ({
        shopifyId: idFromGid(line.admin_graphql_api_id, "LineItem"),
        productId: numericId(line.product_id),
        variantId: numericId(line.variant_id),
        productType: line.product_type ?? null,
        quantity: line.quantity,
        amountMinor:
          shopMoney(line.price_set, line.price, currency) * line.quantity -
          shopMoney(line.total_discount_set, line.total_discount, currency),
      })),
      refunds: order.refunds.map((refund) => normalizeRefund(refund, currency)),
    };
  });
}
