import { readFileSync } from "node:fs";
import type { AppUnderTest } from "./app-under-test";
import { sharedDataPath } from "./shared-data";

// Webhook bodies built from Shopify's own 2026-04 samples (/work/shared/data/shopify-webhooks), with the fields a
// test is about changed: IDs, customer, money, dates, status. Everything else stays as Shopify sent it, personal
// data included, so tests also prove it is never stored.

const SAMPLES = `${sharedDataPath("shopify-webhooks", "2026-04")}/`;

// Shopify's sample JSON, changed field by field: its shape is Shopify's, and the app under test is what checks it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export function sample(topic: string): string {
  return readFileSync(`${SAMPLES}${topic}.json`, "utf8");
}

function sampleObject(topic: string): Json {
  return JSON.parse(sample(topic)) as Json;
}

const moneySet = (amount: string, currency: string) => ({
  shop_money: { amount, currency_code: currency },
  presentment_money: { amount, currency_code: currency },
});

export interface RefundSpec {
  id: string;
  /** Refunded line items' subtotals. */
  lines?: string[];
  /** Money returned (successful refund transactions). */
  amount?: string;
  at?: string;
}

export interface OrderSpec {
  id: string;
  /** null: a guest checkout. */
  customerId?: string | null;
  updatedAt?: string;
  createdAt?: string;
  /** Line items after discounts, before shipping and tax. */
  subtotal?: string;
  total?: string;
  lines?: Array<{ id: string; price: string; quantity?: number; productId?: string }>;
  cancelledAt?: string | null;
  test?: boolean;
  refunds?: RefundSpec[];
  /** Codes redeemed at checkout; Shopify's sample has none. */
  discountCodes?: string[];
  /** The order's currency (the sample's USD by default). */
  currency?: string;
}

export function refundObject(orderId: string, spec: RefundSpec, currency = "USD"): Json {
  const refund = sampleObject("refunds/create");
  const money = (amount: string) => moneySet(amount, currency);
  const at = spec.at ?? "2026-02-01T10:00:00Z";
  refund.id = Number(spec.id);
  refund.admin_graphql_api_id = `gid://shopify/Refund/${spec.id}`;
  refund.order_id = Number(orderId);
  refund.created_at = at;
  refund.processed_at = at;
  refund.refund_line_items = (spec.lines ?? []).map((subtotal, index) => ({
    ...refund.refund_line_items[0],
    id: Number(`${spec.id}${index}`),
    subtotal: Number(subtotal),
    subtotal_set: money(subtotal),
  }));
  refund.transactions = spec.amount
    ? [{ ...refund.transactions[0], order_id: Number(orderId), amount: spec.amount }]
    : [];
  return refund;
}

export function orderObject(spec: OrderSpec): Json {
  const order = sampleObject("orders/create");
  const subtotal = spec.subtotal ?? "100.00";
  const currency = spec.currency ?? order.currency;
  const money = (amount: string) => moneySet(amount, currency);
  order.currency = currency;
  order.id = Number(spec.id);
  order.admin_graphql_api_id = `gid://shopify/Order/${spec.id}`;
  order.name = `#${spec.id.slice(-4)}`;
  order.test = spec.test ?? false;
  order.cancelled_at = spec.cancelledAt ?? null;
  order.cancel_reason = spec.cancelledAt ? "customer" : null;
  order.financial_status = spec.cancelledAt ? "voided" : "paid";
  order.created_at = spec.createdAt ?? "2026-01-05T10:00:00Z";
  order.processed_at = order.created_at;
  order.updated_at = spec.updatedAt ?? order.created_at;
  order.subtotal_price = subtotal;
  order.subtotal_price_set = money(subtotal);
  order.total_price = spec.total ?? subtotal;
  order.total_price_set = money(spec.total ?? subtotal);
  if (spec.customerId === null) order.customer = null;
  else order.customer.admin_graphql_api_id = `gid://shopify/Customer/${spec.customerId ?? "7000000001"}`;
  const lines = spec.lines ?? [{ id: `${spec.id}1`, price: subtotal }];
  order.line_items = lines.map((line) => ({
    ...order.line_items[0],
    id: Number(line.id),
    admin_graphql_api_id: `gid://shopify/LineItem/${line.id}`,
    product_id: Number(line.productId ?? "632910392"),
    price: line.price,
    price_set: money(line.price),
    quantity: line.quantity ?? 1,
    total_discount: "0.00",
    total_discount_set: money("0.00"),
  }));
  order.refunds = (spec.refunds ?? []).map((refund) => refundObject(spec.id, refund, currency));
  // The REST shape of a redeemed code (docs: code, amount, type); the sample's list is empty.
  order.discount_codes = (spec.discountCodes ?? []).map((code) => ({ code, amount: "10.00", type: "percentage" }));
  return order;
}

export const orderBody = (spec: OrderSpec) => JSON.stringify(orderObject(spec));
export const refundBody = (orderId: string, spec: RefundSpec) => JSON.stringify(refundObject(orderId, spec));

/** A customers/* body. It carries email marketing consent as versions before 2025-01 did: Cadence must ignore it. */
export function customerBody(
  id: string,
  updatedAt = "2026-01-01T00:00:00Z",
  createdAt = "2025-12-01T00:00:00Z",
): string {
  const customer = sampleObject("customers/create");
  customer.id = Number(id);
  customer.admin_graphql_api_id = `gid://shopify/Customer/${id}`;
  customer.created_at = createdAt;
  customer.updated_at = updatedAt;
  customer.email_marketing_consent = {
    state: "subscribed",
    opt_in_level: "single_opt_in",
    consent_updated_at: updatedAt,
  };
  return JSON.stringify(customer);
}

export interface Sent {
  status: number;
  text: string;
}

export async function send(
  app: AppUnderTest,
  shop: string,
  topic: string,
  body: string,
  ids: { webhookId?: string; eventId?: string; triggeredAt?: string } = {},
): Promise<Sent> {
  // Loaded here, so the payload builders above also serve the benches, which run outside Vitest.
  const { webhookRequest } = await import("./app-under-test");
  const response = await app.handle(webhookRequest({ shop, topic, body, ...ids }));
  return { status: response.status, text: await response.text() };
}

/**
 * The largest order webhook Shopify could plausibly send, and then some: `lines` line items (Shopify caps an order at
 * 500), each carrying two discount allocations, and a refund of every line (a refund line repeats its whole line
 * item). Shapes are Shopify's samples': the order's line item and the refund line from orders/create and
 * refunds/create, the discount allocations from the refund sample's line item. Each line costs 1.00.
 */
export function largeOrderObject(id: string, lines: number): Json {
  const allocations = (sampleObject("refunds/create").refund_line_items as Json[]).find(
    (line) => line.line_item?.discount_allocations?.length,
  )?.line_item.discount_allocations as Json[];
  const lineIds = Array.from({ length: lines }, (_, index) => `${id}${String(index).padStart(4, "0")}`);
  const order = orderObject({
    id,
    subtotal: lines.toFixed(2),
    lines: lineIds.map((lineId) => ({ id: lineId, price: "1.00" })),
  });
  for (const line of order.line_items as Json[]) line.discount_allocations = allocations;
  const refund = refundObject(id, { id: `${id}9`, lines: lineIds.map(() => "1.00"), amount: lines.toFixed(2) });
  (refund.refund_line_items as Json[]).forEach((refundLine, index) => {
    const line = order.line_items[index] as Json;
    Object.assign(refundLine, { line_item_id: line.id, line_item: line });
  });
  order.refunds = [refund];
  return order;
}

/**
 * Carries out every privacy request the deliveries so far recorded, in this process, as the privacy-request job does
 * (app/privacy/run-request.ts): a privacy webhook is answered before its work is done.
 */
export async function completePrivacyRequests(options: { batchRows?: number } = {}): Promise<number> {
  const { database } = await import("~/db.server");
  const { runPendingPrivacyRequests } = await import("~/privacy/run-request");
  return runPendingPrivacyRequests(database(), options);
}
