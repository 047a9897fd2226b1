// The facts Cadence keeps, whatever brought them: a webhook (REST-shaped JSON), a bulk backfill file or a
// reconciliation query (GraphQL-shaped). IDs are Shopify's numeric IDs as strings; money is integer minor units in
// the shop's currency. No names, emails, phones or addresses exist at this level.

export interface NormalizedLine {
  shopifyId: string;
  productId: string | null;
  variantId: string | null;
  productType: string | null;
  quantity: number;
  /** Price × quantity less line-level discounts. */
  amountMinor: number;
}

export interface NormalizedRefund {
  shopifyId: string;
  processedAt: Date;
  /** Subtotal of the refunded line items. */
  merchandiseMinor: number;
  /** Money returned to the customer, shipping and tax included. */
  totalMinor: number;
}

export interface NormalizedOrder {
  shopifyId: string;
  name: string | null;
  /** null for a guest checkout. */
  customerShopifyId: string | null;
  processedAt: Date;
  shopifyCreatedAt: Date;
  sourceUpdatedAt: Date;
  currency: string;
  financialStatus: string | null;
  test: boolean;
  cancelledAt: Date | null;
  /** Line items after all discounts, before shipping and tax. */
  subtotalMinor: number;
  shippingMinor: number;
  taxMinor: number;
  discountMinor: number;
  totalMinor: number;
  /** The discount codes the order redeemed (codes only), each once, in Shopify's order. */
  discountCodes: string[];
  lines: NormalizedLine[];
  /** Refunds with their full detail; a source that cannot describe them leaves them out (see backfill). */
  refunds: NormalizedRefund[];
}

export interface NormalizedCustomer {
  shopifyId: string;
  shopifyCreatedAt: Date | null;
  sourceUpdatedAt: Date | null;
}

/** A payload Cadence cannot use: the webhook gets 400 with this message, and nothing is stored. */
export class PayloadError extends Error {
  override name = "PayloadError";
}
