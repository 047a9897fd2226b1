import { DAY_MS } from "./calendar.ts";
import { orderCustomer } from "./customer-payloads.ts";
import { formatMinor, minorToNumber } from "./money.ts";
import type { Order, OrderLine, Refund } from "./model.ts";
import {
  gid,
  hex,
  moneySet,
  orderAddress,
  PLACEHOLDER,
  customerPhone,
  shopDefaults,
  shopNumericId,
  staffUserId,
  time,
} from "./payload-parts.ts";
import type { DemoShop } from "./payload-parts.ts";
import type { PayloadObject, PayloadValue } from "./serialize.ts";

// orders/* and refunds/create payloads with the field names and nesting of Shopify's 2026-04 samples. Each
// builder shows the order as it stood at that webhook's moment: created, cancelled, or after its refund.

const ONLINE_STORE_APP_ID = 580111;

interface OrderState {
  cancelled: boolean;
  refund: Refund | null;
  updatedAt: Date;
  fulfilled: boolean;
}

function stateAt(order: Order, asOf: Date | null): OrderState {
  if (asOf === null) return { cancelled: false, refund: null, updatedAt: order.createdAt, fulfilled: false };
  const cancelled = order.cancellation !== null && order.cancellation.at <= asOf;
  const refund = order.refund && order.refund.createdAt <= asOf ? order.refund : null;
  let updatedAt = order.createdAt;
  if (cancelled && order.cancellation && order.cancellation.at > updatedAt) updatedAt = order.cancellation.at;
  if (refund && refund.createdAt > updatedAt) updatedAt = refund.createdAt;
  const fulfilled = !cancelled && asOf.getTime() - order.createdAt.getTime() >= DAY_MS;
  return { cancelled, refund, updatedAt, fulfilled };
}

function financialStatus(state: OrderState): string {
  if (state.cancelled) return "voided";
  if (!state.refund) return "paid";
  return state.refund.kind === "full" ? "refunded" : "partially_refunded";
}

function refundedQuantity(line: OrderLine, refund: Refund | null): number {
  return refund?.lines.find((entry) => entry.lineItemId === line.id)?.quantity ?? 0;
}

function taxLines(minor: number, rate: number, currency: string): PayloadValue[] {
  if (rate === 0) return [];
  return [
    {
      channel_liable: false,
      price: formatMinor(minor, currency),
      price_set: moneySet(minor, currency),
      rate,
      title: "VAT",
    },
  ];
}

function discountAllocations(line: OrderLine, currency: string): PayloadValue[] {
  if (line.discountMinor === 0) return [];
  return [
    {
      amount: formatMinor(line.discountMinor, currency),
      discount_application_index: 0,
      amount_set: moneySet(line.discountMinor, currency),
    },
  ];
}

function lineItem(order: Order, line: OrderLine, state: OrderState): PayloadObject {
  const currency = order.currency;
  const remaining = state.cancelled ? 0 : line.quantity - refundedQuantity(line, state.refund);
  return {
    id: BigInt(line.id),
    admin_graphql_api_id: gid("LineItem", line.id),
    attributed_staffs: [],
    current_quantity: remaining,
    fulfillable_quantity: state.fulfilled || state.cancelled ? 0 : remaining,
    fulfillment_service: "manual",
    fulfillment_status: state.fulfilled ? "fulfilled" : null,
    gift_card: false,
    grams: line.grams,
    name: line.title,
    price: formatMinor(line.unitPriceMinor, currency),
    price_set: moneySet(line.unitPriceMinor, currency),
    product_exists: true,
    product_id: BigInt(line.productId),
    properties: [],
    quantity: line.quantity,
    requires_shipping: true,
    sales_line_item_group_id: null,
    sku: line.sku,
    taxable: line.taxRate > 0,
    title: line.title,
    total_discount: formatMinor(line.discountMinor, currency),
    total_discount_set: moneySet(line.discountMinor, currency),
    variant_id: BigInt(line.variantId),
    variant_inventory_management: "shopify",
    variant_title: null,
    vendor: line.vendor,
    tax_lines: taxLines(line.taxMinor, line.taxRate, currency),
    duties: [],
    discount_allocations: discountAllocations(line, currency),
  };
}

/** The line item as a refund embeds it (Shopify's refund sample uses this shorter shape). */
function refundedLineItem(order: Order, line: OrderLine): PayloadObject {
  const currency = order.currency;
  return {
    id: BigInt(line.id),
    variant_id: BigInt(line.variantId),
    title: line.title,
    quantity: line.quantity,
    sku: line.sku,
    variant_title: null,
    vendor: line.vendor,
    fulfillment_service: "manual",
    product_id: BigInt(line.productId),
    requires_shipping: true,
    taxable: line.taxRate > 0,
    gift_card: false,
    name: line.title,
    variant_inventory_management: "shopify",
    properties: [],
    product_exists: true,
    fulfillable_quantity: 0,
    grams: line.grams,
    price: formatMinor(line.unitPriceMinor, currency),
    total_discount: formatMinor(line.discountMinor, currency),
    fulfillment_status: "fulfilled",
    price_set: moneySet(line.unitPriceMinor, currency),
    total_discount_set: moneySet(line.discountMinor, currency),
    discount_allocations: discountAllocations(line, currency),
    duties: [],
    admin_graphql_api_id: gid("LineItem", line.id),
    tax_lines: taxLines(line.taxMinor, line.taxRate, currency),
  };
}

function orderAdjustments(order: Order, refund: Refund): PayloadValue[] {
  const currency = order.currency;
  const adjustment = (kind: string, reason: string, minor: number): PayloadObject => ({
    id: BigInt(refund.id) + 1n,
    order_id: BigInt(order.id),
    refund_id: BigInt(refund.id),
    amount: formatMinor(-minor, currency),
    tax_amount: formatMinor(0, currency),
    kind,
    reason,
    amount_set: moneySet(-minor, currency),
    tax_amount_set: moneySet(0, currency),
  });
  if (refund.kind === "goodwill") return [adjustment("refund_discrepancy", "Refund discrepancy", refund.amountMinor)];
  if (refund.shippingMinor > 0) return [adjustment("shipping_refund", "Shipping refund", refund.shippingMinor)];
  return [];
}

/** A refund as refunds/create sends it, and as it appears in an order's refunds list. */
export function refundCreatePayload(order: Order, refund: Refund, shop?: DemoShop): PayloadObject {
  const resolved = shopDefaults(shop);
  const currency = order.currency;
  const at = time(refund.createdAt, resolved);
  const linesById = new Map(order.lines.map((line) => [line.id, line]));
  return {
    id: BigInt(refund.id),
    order_id: BigInt(order.id),
    created_at: at,
    note: refund.note,
    user_id: staffUserId(resolved.domain),
    processed_at: at,
    duties: [],
    total_duties_set: moneySet(0, currency),
    return: null,
    restock: refund.lines.length > 0,
    refund_shipping_lines: [],
    admin_graphql_api_id: gid("Refund", refund.id),
    order_adjustments: orderAdjustments(order, refund),
    refund_line_items: refund.lines.map((entry) => {
      const line = linesById.get(entry.lineItemId);
      if (!line)
        throw new RangeError(
          `refund ${refund.id} returns line ${entry.lineItemId}, which order ${order.id} does not have`,
        );
      return {
        id: BigInt(entry.id),
        quantity: entry.quantity,
        line_item_id: BigInt(line.id),
        location_id: null,
        restock_type: "return",
        subtotal: minorToNumber(entry.subtotalMinor, currency),
        total_tax: minorToNumber(entry.taxMinor, currency),
        subtotal_set: moneySet(entry.subtotalMinor, currency),
        total_tax_set: moneySet(entry.taxMinor, currency),
        line_item: refundedLineItem(order, line),
      };
    }),
    transactions: [
      {
        id: BigInt(refund.transactionId),
        order_id: BigInt(order.id),
        kind: "refund",
        gateway: order.test ? "bogus" : "shopify_payments",
        status: "success",
        message: null,
        created_at: at,
        test: order.test,
        authorization: null,
        location_id: null,
        user_id: null,
        parent_id: null,
        processed_at: at,
        device_id: null,
        error_code: null,
        source_name: "web",
        receipt: {},
        amount: formatMinor(refund.amountMinor, currency),
        currency,
        payment_id: `${order.name}.2`,
        total_unsettled_set: {
          presentment_money: { amount: "0.0", currency: "XXX" },
          shop_money: { amount: "0.0", currency: "XXX" },
        },
        manual_payment_gateway: false,
        amount_rounding: null,
        admin_graphql_api_id: gid("OrderTransaction", refund.transactionId),
      },
    ],
  };
}

/** What is left of the order's money after its refund or cancellation (Shopify's current_* fields). */
function currentAmounts(order: Order, state: OrderState) {
  if (state.cancelled) return { subtotal: 0, discounts: 0, shipping: 0, tax: 0, total: 0 };
  const refund = state.refund;
  if (!refund) {
    return {
      subtotal: order.subtotalMinor,
      discounts: order.discountMinor,
      shipping: order.shippingMinor,
      tax: order.taxMinor,
      total: order.totalMinor,
    };
  }
  let subtotal = order.subtotalMinor;
  let tax = order.taxMinor;
  let discounts = order.discountMinor;
  for (const entry of refund.lines) {
    const line = order.lines.find((candidate) => candidate.id === entry.lineItemId);
    subtotal -= entry.subtotalMinor;
    tax -= entry.taxMinor;
    if (line) discounts -= Math.round((line.discountMinor * entry.quantity) / line.quantity);
  }
  return {
    subtotal,
    discounts,
    shipping: order.shippingMinor - refund.shippingMinor,
    tax,
    total: order.totalMinor - refund.amountMinor,
  };
}

function discountApplication(order: Order): PayloadValue[] {
  const code = order.discountCode;
  if (!code) return [];
  return [
    {
      target_type: "line_item",
      type: "discount_code",
      value: code.type === "percentage" ? `${code.value}.0` : formatMinor(code.value, order.currency),
      value_type: code.type,
      allocation_method: "across",
      target_selection: "all",
      code: code.code,
    },
  ];
}

function orderTaxLines(order: Order): PayloadValue[] {
  const byRate = new Map<number, number>();
  for (const line of order.lines)
    if (line.taxRate > 0) byRate.set(line.taxRate, (byRate.get(line.taxRate) ?? 0) + line.taxMinor);
  return [...byRate].flatMap(([rate, minor]) => taxLines(minor, rate, order.currency));
}

function orderBody(order: Order, shop: DemoShop | undefined, state: OrderState): PayloadObject {
  const resolved = shopDefaults(shop);
  const currency = order.currency;
  const customer = order.customer;
  const current = currentAmounts(order, state);
  const cancellation = state.cancelled ? order.cancellation : null;
  const email = customer ? PLACEHOLDER.email(customer.ordinal) : PLACEHOLDER.guestEmail(order.number);
  const lastName = customer ? PLACEHOLDER.lastName(customer.ordinal) : `Guest ${order.number}`;
  const phone = customer ? customerPhone(customer) : null;
  const token = hex(32, "token", order.id);
  const created = time(order.createdAt, resolved);
  const shopId = shopNumericId(resolved.domain);
  return {
    id: BigInt(order.id),
    admin_graphql_api_id: gid("Order", order.id),
    app_id: ONLINE_STORE_APP_ID,
    browser_ip: PLACEHOLDER.browserIp(order.number),
    buyer_accepts_marketing: customer?.emailMarketing === "subscribed",
    cancel_reason: cancellation ? cancellation.reason : null,
    cancelled_at: cancellation ? time(cancellation.at, resolved) : null,
    cart_token: null,
    checkout_token: null,
    client_details: null,
    closed_at: cancellation ? time(cancellation.at, resolved) : null,
    confirmation_number: hex(9, "confirmation", order.id).toUpperCase(),
    confirmed: true,
    contact_email: email,
    created_at: created,
    currency,
    current_shipping_price_set: moneySet(current.shipping, currency),
    current_subtotal_price: formatMinor(current.subtotal, currency),
    current_subtotal_price_set: moneySet(current.subtotal, currency),
    current_total_additional_fees_set: null,
    current_total_discounts: formatMinor(current.discounts, currency),
    current_total_discounts_set: moneySet(current.discounts, currency),
    current_total_duties_set: null,
    current_total_price: formatMinor(current.total, currency),
    current_total_price_set: moneySet(current.total, currency),
    current_total_tax: formatMinor(current.tax, currency),
    current_total_tax_set: moneySet(current.tax, currency),
    customer_locale: "en-GB",
    device_id: null,
    discount_codes: order.discountCode
      ? [
          {
            code: order.discountCode.code,
            amount: formatMinor(order.discountMinor, currency),
            type: order.discountCode.type,
          },
        ]
      : [],
    duties_included: false,
    email,
    estimated_taxes: false,
    financial_status: financialStatus(state),
    fulfillment_status: state.fulfilled ? "fulfilled" : null,
    landing_site: null,
    landing_site_ref: null,
    location_id: null,
    merchant_business_entity_id: Buffer.from(String(shopId)).toString("base64").replace(/=+$/, ""),
    merchant_of_record_app_id: null,
    name: order.name,
    note: null,
    note_attributes: [],
    number: order.number - 1000,
    order_number: order.number,
    order_status_url: `https://${resolved.domain}/${shopId}/orders/${token}/authenticate?key=${hex(
      32,
      "key",
      order.id,
    )}`,
    original_total_additional_fees_set: null,
    original_total_duties_set: null,
    payment_gateway_names: [order.test ? "bogus" : "shopify_payments"],
    phone: null,
    po_number: null,
    presentment_currency: currency,
    processed_at: time(order.processedAt, resolved),
    reference: null,
    referring_site: null,
    source_identifier: null,
    source_name: "web",
    source_url: null,
    subtotal_price: formatMinor(order.subtotalMinor, currency),
    subtotal_price_set: moneySet(order.subtotalMinor, currency),
    tags: "",
    tax_exempt: false,
    tax_lines: orderTaxLines(order),
    taxes_included: false,
    test: order.test,
    token,
    total_cash_rounding_payment_adjustment_set: moneySet(0, currency),
    total_cash_rounding_refund_adjustment_set: moneySet(0, currency),
    total_discounts: formatMinor(order.discountMinor, currency),
    total_discounts_set: moneySet(order.discountMinor, currency),
    total_line_items_price: formatMinor(order.lineItemsMinor, currency),
    total_line_items_price_set: moneySet(order.lineItemsMinor, currency),
    total_outstanding: formatMinor(0, currency),
    total_price: formatMinor(order.totalMinor, currency),
    total_price_set: moneySet(order.totalMinor, currency),
    total_shipping_price_set: moneySet(order.shippingMinor, currency),
    total_tax: formatMinor(order.taxMinor, currency),
    total_tax_set: moneySet(order.taxMinor, currency),
    total_tip_received: formatMinor(0, currency),
    total_weight: order.lines.reduce((sum, line) => sum + line.grams * line.quantity, 0),
    updated_at: time(state.updatedAt, resolved),
    user_id: null,
    billing_address: orderAddress(lastName, phone),
    customer: customer ? orderCustomer(customer, resolved, currency) : null,
    discount_applications: discountApplication(order),
    fulfillments: [],
    line_items: order.lines.map((line) => lineItem(order, line, state)),
    payment_terms: null,
    refunds: state.refund ? [refundCreatePayload(order, state.refund, resolved)] : [],
    shipping_address: orderAddress(lastName, phone),
    shipping_lines: [
      {
        id: BigInt(order.id) + 4_000_000_000_000n,
        carrier_identifier: null,
        code: order.shippingTitle,
        current_discounted_price_set: moneySet(order.shippingMinor, currency),
        discounted_price: formatMinor(order.shippingMinor, currency),
        discounted_price_set: moneySet(order.shippingMinor, currency),
        is_removed: false,
        phone: null,
        price: formatMinor(order.shippingMinor, currency),
        price_set: moneySet(order.shippingMinor, currency),
        requested_fulfillment_service_id: null,
        source: "shopify",
        title: order.shippingTitle,
        tax_lines: [],
        discount_allocations: [],
      },
    ],
    returns: [],
    line_item_groups: [],
  };
}

/** orders/create: the order as placed, paid, with no refunds and updated_at = created_at. */
export function orderCreatePayload(order: Order, shop?: DemoShop): PayloadObject {
  return orderBody(order, shop, stateAt(order, null));
}

/** orders/updated: the order as it stood at asOf (default: its last change, i.e. its final state). */
export function orderUpdatedPayload(order: Order, shop?: DemoShop, asOf: Date = order.updatedAt): PayloadObject {
  return orderBody(order, shop, stateAt(order, asOf));
}

/** orders/cancelled: the order at the moment of its cancellation. */
export function orderCancelledPayload(order: Order, shop?: DemoShop): PayloadObject {
  if (!order.cancellation) throw new RangeError(`order ${order.id} was not cancelled`);
  return orderBody(order, shop, stateAt(order, order.cancellation.at));
}
