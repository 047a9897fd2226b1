import { decimalToMinor } from "~/money/decimal";
import type { CustomerRecord } from "~/shopify-admin/operations/customer-fields";
import type { OrderCore, OrderLineItem, OrderRefund, ShopMoneyBag } from "~/shopify-admin/operations/order-fields";
import type { NormalizedCustomer, NormalizedLine, NormalizedOrder, NormalizedRefund } from "./normalized";
import { asPayloadError, distinctCodes, parseDate } from "./payload-fields";
import { idFromGid } from "./shopify-ids";

// The Admin GraphQL shapes (bulk files, reconciliation and refund-detail queries) normalised into the same facts as a
// webhook's REST payload (order-payload.ts), field for field:
//   subtotal_price ↔ subtotalPriceSet, total_price ↔ totalPriceSet, a line's price × quantity − total_discount ↔
//   originalTotalSet − totalDiscountSet, a refund's refund_line_items subtotals ↔ refundLineItems subtotalSet, its
//   successful refund transactions ↔ totalRefundedSet, discount_codes[].code ↔ discountCodes.

function money(bag: ShopMoneyBag | null | undefined): number {
  if (!bag) return 0;
  const minor = decimalToMinor(bag.shopMoney.amount, bag.shopMoney.currencyCode);
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount ${bag.shopMoney.amount} is out of range`);
  return minor;
}

const optionalId = (gid: string | null | undefined, type: string) => (gid ? idFromGid(gid, type) : null);

export function normalizeGraphqlRefund(refund: OrderRefund): NormalizedRefund {
  return {
    shopifyId: idFromGid(refund.id, "Refund"),
    processedAt: parseDate(refund.createdAt, "refund.createdAt"),
    merchandiseMinor: refund.refundLineItems.reduce((sum, line) => sum + money(line.subtotalSet), 0),
    totalMinor: money(refund.totalRefundedSet),
  };
}

export function normalizeGraphqlLine(line: OrderLineItem): NormalizedLine {
  return {
    shopifyId: idFromGid(line.id, "LineItem"),
    productId: optionalId(line.product?.id, "Product"),
    variantId: optionalId(line.variant?.id, "ProductVariant"),
    productType: line.product?.productType || null,
    quantity: line.quantity,
    amountMinor: money(line.originalTotalSet) - money(line.totalDiscountSet),
  };
}

/** An order from the Admin API; `refunds` only when their details are known (never from a bulk file). */
export function normalizeGraphqlOrder(
  order: OrderCore & { lineItems: OrderLineItem[] },
  refunds: OrderRefund[] = [],
): NormalizedOrder {
  return asPayloadError(`order ${order.id}`, () => ({
    shopifyId: idFromGid(order.id, "Order"),
    name: order.name ?? null,
    customerShopifyId: optionalId(order.customer?.id, "Customer"),
    processedAt: parseDate(order.processedAt ?? order.createdAt, "processedAt"),
    shopifyCreatedAt: parseDate(order.createdAt, "createdAt"),
    sourceUpdatedAt: parseDate(order.updatedAt, "updatedAt"),
    currency: order.subtotalPriceSet?.shopMoney.currencyCode ?? order.currencyCode,
    financialStatus: order.displayFinancialStatus ? order.displayFinancialStatus.toLowerCase() : null,
    test: order.test,
    cancelledAt: order.cancelledAt ? parseDate(order.cancelledAt, "cancelledAt") : null,
    subtotalMinor: money(order.subtotalPriceSet),
    shippingMinor: money(order.totalShippingPriceSet),
    taxMinor: money(order.totalTaxSet),
    discountMinor: money(order.totalDiscountsSet),
    totalMinor: money(order.totalPriceSet),
    discountCodes: distinctCodes(order.discountCodes ?? []),
    lines: order.lineItems.map(normalizeGraphqlLine),
    refunds: refunds.map(normalizeGraphqlRefund),
  }));
}

export function normalizeGraphqlLineOf(
  parentGid: string,
  line: OrderLineItem,
): NormalizedLine & { orderShopifyId: string } {
  return asPayloadError(`line item ${line.id}`, () => ({
    orderShopifyId: idFromGid(parentGid, "Order"),
    ...normalizeGraphqlLine(line),
  }));
}

export function normalizeGraphqlCustomer(customer: CustomerRecord): NormalizedCustomer {
  return asPayloadError(`customer ${customer.id}`, () => ({
    shopifyId: idFromGid(customer.id, "Customer"),
    shopifyCreatedAt: customer.createdAt ? parseDate(customer.createdAt, "createdAt") : null,
    sourceUpdatedAt: customer.updatedAt ? parseDate(customer.updatedAt, "updatedAt") : null,
  }));
}
