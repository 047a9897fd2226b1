import { z } from "zod";
import { decimalToMinor } from "~/money/decimal";
import { idFromGid, numericId } from "./shopify-ids";

// What Cadence keeps from an orders/* or refunds/create webhook: IDs, amounts, dates and products. Names,
// emails, phones and addresses in the payload are never read.

export type NetRevenueBasis = "merchandise" | "total";

const moneyBag = z.object({ shop_money: z.object({ amount: z.union([z.string(), z.number()]), currency_code: z.string() }) });
const amount = z.union([z.string(), z.number()]);

const refundSchema = z.object({
  admin_graphql_api_id: z.string(),
  created_at: z.string(),
  processed_at: z.string().nullish(),
  refund_line_items: z
    .array(z.object({ subtotal_set: moneyBag.optional(), subtotal: amount.optional() }))
    .default([]),
  transactions: z
    .array(z.object({ kind: z.string(), status: z.string().nullish(), amount: amount }))
    .default([]),
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
  line_items: z.array(
    z.object({
      admin_graphql_api_id: z.string(),
      product_id: z.unknown().optional(),
      variant_id: z.unknown().optional(),
      product_type: z.string().nullish(),
      quantity: z.number().int(),
      price: amount,
      price_set: moneyBag.optional(),
      total_discount_set: moneyBag.optional(),
      total_discount: amount.optional(),
    }),
  ),
  refunds: z.array(refundSchema).default([]),
});

export type OrderPayload = z.infer<typeof orderSchema>;
export type RefundPayload = z.infer<typeof refundSchema>;

export interface NormalizedRefund {
  shopifyId: string;
  processedAt: Date;
  merchandiseMinor: number;
  totalMinor: number;
}

export interface NormalizedOrder {
  shopifyId: string;
  name: string | null;
  customerShopifyId: string | null;
  processedAt: Date;
  shopifyCreatedAt: Date;
  sourceUpdatedAt: Date;
  currency: string;
  financialStatus: string | null;
  test: boolean;
  cancelledAt: Date | null;
  subtotalMinor: number;
  shippingMinor: number;
  taxMinor: number;
  discountMinor: number;
  totalMinor: number;
  lines: Array<{
    shopifyId: string;
    productId: string | null;
    variantId: string | null;
    productType: string | null;
    quantity: number;
    amountMinor: number;
  }>;
  refunds: NormalizedRefund[];
}

export class PayloadError extends Error {
  override name = "PayloadError";
}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`)
    .join("; ");
}

function date(text: string, field: string): Date {
  const value = new Date(text);
  if (Number.isNaN(value.getTime())) throw new PayloadError(`${field}: "${text}" is not a date`);
  return value;
}

function shopMoney(bag: z.infer<typeof moneyBag> | undefined, fallback: string | number | undefined, currency: string): number {
  if (bag) return decimalToMinor(bag.shop_money.amount, bag.shop_money.currency_code);
  return fallback === undefined ? 0 : decimalToMinor(fallback, currency);
}

export function normalizeRefund(refund: RefundPayload, currency: string): NormalizedRefund {
  const merchandiseMinor = refund.refund_line_items.reduce(
    (sum, line) => sum + shopMoney(line.subtotal_set, line.subtotal ?? 0, currency),
    0,
  );
  const totalMinor = refund.transactions
    .filter((transaction) => transaction.kind === "refund" && (transaction.status ?? "success") === "success")
    .reduce((sum, transaction) => sum + decimalToMinor(transaction.amount, currency), 0);
  return {
    shopifyId: idFromGid(refund.admin_graphql_api_id, "Refund"),
    processedAt: date(refund.processed_at ?? refund.created_at, "refund.processed_at"),
    merchandiseMinor,
    totalMinor,
  };
}

export function normalizeOrder(payload: unknown): NormalizedOrder {
  const parsed = orderSchema.safeParse(payload);
  if (!parsed.success) throw new PayloadError(`order payload: ${describe(parsed.error)}`);
  const order = parsed.data;
  const currency = order.subtotal_price_set?.shop_money.currency_code ?? order.currency;
  try {
    const customerGid = order.customer?.admin_graphql_api_id;
    return {
      shopifyId: idFromGid(order.admin_graphql_api_id, "Order"),
      name: order.name ?? null,
      customerShopifyId: customerGid ? idFromGid(customerGid, "Customer") : numericId(order.customer?.id),
      processedAt: date(order.processed_at ?? order.created_at, "processed_at"),
      shopifyCreatedAt: date(order.created_at, "created_at"),
      sourceUpdatedAt: date(order.updated_at, "updated_at"),
      currency,
      financialStatus: order.financial_status ?? null,
      test: order.test,
      cancelledAt: order.cancelled_at ? date(order.cancelled_at, "cancelled_at") : null,
      subtotalMinor: shopMoney(order.subtotal_price_set, order.subtotal_price, currency),
      shippingMinor: shopMoney(order.total_shipping_price_set, 0, currency),
      taxMinor: shopMoney(order.total_tax_set, order.total_tax, currency),
      discountMinor: shopMoney(order.total_discounts_set, order.total_discounts, currency),
      totalMinor: shopMoney(order.total_price_set, order.total_price, currency),
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
  } catch (error) {
    if (error instanceof PayloadError) throw error;
    throw new PayloadError(`order payload: ${(error as Error).message}`);
  }
}

const refundWebhookSchema = refundSchema.extend({ order_id: z.union([z.string(), z.number()]) });

export function normalizeRefundWebhook(payload: unknown, currency: string): NormalizedRefund & { orderShopifyId: string } {
  const parsed = refundWebhookSchema.safeParse(payload);
  if (!parsed.success) throw new PayloadError(`refund payload: ${describe(parsed.error)}`);
  const orderShopifyId = numericId(parsed.data.order_id);
  if (!orderShopifyId) throw new PayloadError("refund payload: order_id is not a numeric ID");
  try {
    return { ...normalizeRefund(parsed.data, currency), orderShopifyId };
  } catch (error) {
    throw new PayloadError(`refund payload: ${(error as Error).message}`);
  }
}

/**
 * Net revenue of an order, as customer metrics count it. "merchandise" (default): line items after discounts,
 * without shipping and tax, less refunded line items. "total": what the customer paid, shipping and tax
 * included, less money refunded. A cancelled order counts zero. See docs/data.md.
 */
export function netMinor(
  order: Pick<NormalizedOrder, "subtotalMinor" | "totalMinor" | "cancelledAt">,
  refunds: Array<Pick<NormalizedRefund, "merchandiseMinor" | "totalMinor">>,
  basis: NetRevenueBasis,
): { netMinor: number; refundedMinor: number } {
  const refundedMinor = refunds.reduce(
    (sum, refund) => sum + (basis === "merchandise" ? refund.merchandiseMinor : refund.totalMinor),
    0,
  );
  if (order.cancelledAt) return { netMinor: 0, refundedMinor };
  const gross = basis === "merchandise" ? order.subtotalMinor : order.totalMinor;
  return { netMinor: Math.max(0, gross - refundedMinor), refundedMinor };
}
