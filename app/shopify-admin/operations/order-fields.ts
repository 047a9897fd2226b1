// The order fields Cadence ingests, shared by the bulk backfill, the refund-detail fetch and reconciliation so all
// produce one shape (normalised by app/ingest/order-graphql.ts). Money is read in shop currency only (shopMoney).
// Deliberately absent: names, emails, addresses, notes — anything beyond Level 1 protected customer data.

export interface Money {
  /** Decimal string, e.g. "404.95"; never parsed into a float. */
  amount: string;
  currencyCode: string;
}

export interface ShopMoneyBag {
  shopMoney: Money;
}

const MONEY = "{ shopMoney { amount currencyCode } }";

/** Order-level fields; also the bulk JSONL order line, which carries no nested connection. */
export const ORDER_SCALAR_FIELDS = `
      id
      name
      createdAt
      processedAt
      updatedAt
      cancelledAt
      test
      currencyCode
      displayFinancialStatus
      subtotalPriceSet ${MONEY}
      totalPriceSet ${MONEY}
      totalDiscountsSet ${MONEY}
      totalShippingPriceSet ${MONEY}
      totalTaxSet ${MONEY}
      discountCodes
      customer { id }`;

export const LINE_ITEM_FIELDS = `
          id
          quantity
          product { id productType }
          variant { id }
          originalTotalSet ${MONEY}
          totalDiscountSet ${MONEY}`;

/**
 * Refunds with the subtotal of their refunded lines. refundLineItems is a connection inside a list, which bulk
 * queries do not allow: the bulk file names an order's refunds only, and the details come from this selection.
 */
export const refundsWithLinesField = (refundsFirst: string, linesFirst: string) => `
      refunds(first: ${refundsFirst}) {
        id
        createdAt
        totalRefundedSet ${MONEY}
        refundLineItems(first: ${linesFirst}) {
          nodes { subtotalSet ${MONEY} }
          pageInfo { hasNextPage endCursor }
        }
      }`;

export interface OrderCore {
  id: string;
  name: string;
  createdAt: string;
  processedAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  test: boolean;
  currencyCode: string;
  displayFinancialStatus: string | null;
  subtotalPriceSet: ShopMoneyBag;
  totalPriceSet: ShopMoneyBag;
  totalDiscountsSet: ShopMoneyBag | null;
  totalShippingPriceSet: ShopMoneyBag;
  totalTaxSet: ShopMoneyBag | null;
  /** Codes the order redeemed. Absent from the lines of a bulk file started before Cadence selected the field. */
  discountCodes?: string[];
  customer: { id: string } | null;
}

export interface OrderLineItem {
  id: string;
  quantity: number;
  product: { id: string; productType: string } | null;
  variant: { id: string } | null;
  originalTotalSet: ShopMoneyBag;
  totalDiscountSet: ShopMoneyBag;
}

export interface OrderRefund {
  id: string;
  createdAt: string;
  totalRefundedSet: ShopMoneyBag;
  /** Every refunded line's subtotal (pages beyond the first already fetched). */
  refundLineItems: Array<{ subtotalSet: ShopMoneyBag }>;
}

/** What ingest receives from a regular query: an order with all its line items and refunds. */
export interface OrderRecord extends OrderCore {
  lineItems: OrderLineItem[];
  refunds: OrderRefund[];
}
