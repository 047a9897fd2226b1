// The plain data model of a generated shop. Money is integer minor units of the shop currency; IDs are
// decimal strings because some exceed 2^53, as real Shopify IDs can.
//
// Order arithmetic (every generated order satisfies it exactly):
//   lineItemsMinor = Σ line.unitPriceMinor × line.quantity          (Shopify: total_line_items_price)
//   subtotalMinor  = lineItemsMinor − discountMinor                   (Shopify: subtotal_price)
//   totalMinor     = subtotalMinor + shippingMinor + taxMinor         (Shopify: total_price; taxes_included false)
// so total = line items + shipping + tax − discounts. Tax is charged on discounted lines only; shipping is untaxed.

export type ProductType = "Coffee Beans" | "Tea" | "Brewing Equipment" | "Mugs & Cups" | "Accessories" | "Gift Sets";

export interface Product {
  id: string;
  variantId: string;
  title: string;
  productType: ProductType;
  vendor: string;
  sku: string;
  grams: number;
  priceMinor: number;
  /** VAT rate charged on this product (UK: coffee and tea are zero-rated food). */
  taxRate: number;
  /** Relative popularity within the catalogue. */
  popularity: number;
}

/** How a customer buys; the generator's ground truth, so tests can compare models against it. */
export type Persona = "prospect" | "one-off" | "yearly" | "quarterly" | "monthly" | "weekly" | "vip";

export type ConsentState = "subscribed" | "not_subscribed" | "unsubscribed";

export interface Customer {
  id: string;
  /** 1-based position in creation order; used for the fake personal placeholders ("Shopper 12"). */
  ordinal: number;
  createdAt: Date;
  updatedAt: Date;
  accountState: "enabled" | "disabled";
  emailMarketing: ConsentState;
  smsMarketing: ConsentState;
  /** When the consent last changed; null when the customer never subscribed. */
  consentUpdatedAt: Date | null;
  persona: Persona;
  /** The BG/NBD-style process behind this customer's orders. */
  truth: {
    /** Purchases per day while active, before seasonality. */
    ratePerDay: number;
    /** Probability of dropping out after each purchase. */
    dropoutProbability: number;
    favouriteProductType: ProductType;
    firstPurchaseAt: Date | null;
  };
}

export interface OrderLine {
  id: string;
  productId: string;
  variantId: string;
  productType: ProductType;
  title: string;
  sku: string;
  vendor: string;
  grams: number;
  quantity: number;
  unitPriceMinor: number;
  /** This line's share of the order's discount. */
  discountMinor: number;
  taxRate: number;
  taxMinor: number;
}

export interface DiscountCode {
  code: string;
  type: "percentage" | "fixed_amount";
  /** Percent for "percentage", minor units for "fixed_amount". */
  value: number;
}

export interface RefundLine {
  id: string;
  lineItemId: string;
  quantity: number;
  /** Merchandise refunded: unit price × quantity less this quantity's share of the line discount. */
  subtotalMinor: number;
  taxMinor: number;
}

export interface Refund {
  id: string;
  transactionId: string;
  createdAt: Date;
  /** full: every line and the shipping; partial: some lines; goodwill: money back without returned lines. */
  kind: "full" | "partial" | "goodwill";
  note: string;
  lines: RefundLine[];
  shippingMinor: number;
  /** Money returned to the customer: Σ(line subtotal + tax) + shipping (+ the goodwill amount). Never above the order total. */
  amountMinor: number;
}

export type CancelReason = "customer" | "fraud" | "inventory" | "declined" | "other";

export interface Cancellation {
  at: Date;
  reason: CancelReason;
}

export type FinancialStatus = "paid" | "partially_refunded" | "refunded" | "voided";

export interface Order {
  id: string;
  /** Shopify's order_number, from 1001. */
  number: number;
  /** "#1001" */
  name: string;
  customer: Customer | null;
  createdAt: Date;
  processedAt: Date;
  /** The time of the order's last change: creation, cancellation or refund. */
  updatedAt: Date;
  currency: string;
  test: boolean;
  lines: OrderLine[];
  discountCode: DiscountCode | null;
  lineItemsMinor: number;
  discountMinor: number;
  subtotalMinor: number;
  shippingMinor: number;
  shippingTitle: string;
  taxMinor: number;
  totalMinor: number;
  /** The final status, after any refund or cancellation. */
  financialStatus: FinancialStatus;
  refund: Refund | null;
  cancellation: Cancellation | null;
}

export interface HistoryOptions {
  /** Any 32-bit integer. Default 1. */
  seed?: number;
  /** Registered customers (including a few who never order). Default 3000. */
  customers?: number;
  /** First instant of the history. Default: three years (1095 days) before end. */
  start?: Date;
  /** End of the history, exclusive. Default DEFAULT_HISTORY_END; pass a date, never rely on the clock. */
  end?: Date;
  /** Share of all orders placed without a customer. Default 0.10. */
  guestShare?: number;
  /** Share of orders marked test. Default 0.005. */
  testShare?: number;
  /** Share of orders refunded (fully, partly or as goodwill), before refunds dated after end are dropped. Default 0.06. */
  refundShare?: number;
  /** Share of orders cancelled. Default 0.02. */
  cancelShare?: number;
  /** Share of customers whose ID is above 2^53. Default 0.05. */
  bigIdShare?: number;
  /** ISO 4217. Default "GBP". */
  currency?: string;
}

export interface ResolvedHistoryOptions {
  seed: number;
  customers: number;
  start: Date;
  end: Date;
  guestShare: number;
  testShare: number;
  refundShare: number;
  cancelShare: number;
  bigIdShare: number;
  currency: string;
}

export const DEFAULT_HISTORY_END = new Date("2026-03-01T00:00:00Z");
const DAY_MS = 86_400_000;

export function resolveHistoryOptions(options: HistoryOptions = {}): ResolvedHistoryOptions {
  const end = options.end ?? DEFAULT_HISTORY_END;
  const start = options.start ?? new Date(end.getTime() - 1095 * DAY_MS);
  if (!(start.getTime() < end.getTime())) throw new RangeError("history start must be before its end");
  const share = (value: number | undefined, fallback: number, name: string) => {
    const result = value ?? fallback;
    if (!(result >= 0 && result < 1)) throw new RangeError(`${name} must be in [0, 1)`);
    return result;
  };
  const customers = options.customers ?? 3000;
  if (!Number.isInteger(customers) || customers < 0) throw new RangeError("customers must be a non-negative integer");
  return {
    seed: (options.seed ?? 1) >>> 0,
    customers,
    start,
    end,
    guestShare: share(options.guestShare, 0.1, "guestShare"),
    testShare: share(options.testShare, 0.005, "testShare"),
    refundShare: share(options.refundShare, 0.06, "refundShare"),
    cancelShare: share(options.cancelShare, 0.02, "cancelShare"),
    bigIdShare: share(options.bigIdShare, 0.05, "bigIdShare"),
    currency: options.currency ?? "GBP",
  };
}
