import { iterateEvents, planHistory, type HistoryEvent } from "../demo/history.ts";
import {
  customerCreatePayload,
  orderCancelledPayload,
  orderCreatePayload,
  refundCreatePayload,
  serializePayload,
  stableUuid,
  type DemoShop,
  type PayloadObject,
} from "../demo/payloads.ts";
import { sendDeliveries, type Delivery } from "../replay/send-webhooks.ts";

// The demo's order history reaches the app the way Shopify's would: every customer, order, cancellation and
// refund as a signed webhook POSTed to the running server's /webhooks route. Nothing is written to the database
// directly, so the demo exercises the same HMAC check, parsing and ingest as production.

export interface SeedOptions {
  baseUrl: string;
  secret: string;
  shop: string;
  customers: number;
  /** End of the generated history (exclusive): the demo passes today, so the shop looks alive now. */
  end: Date;
  log?: (line: string) => void;
}

export interface SeedResult {
  deliveries: number;
  failed: number;
}

function topicAndPayload(event: HistoryEvent, shop: DemoShop): { topic: string; payload: PayloadObject } {
  switch (event.type) {
    case "customer-created":
      return { topic: "customers/create", payload: customerCreatePayload(event.customer, shop) };
    case "order-created":
      return { topic: "orders/create", payload: orderCreatePayload(event.order, shop) };
    case "order-cancelled":
      return { topic: "orders/cancelled", payload: orderCancelledPayload(event.order, shop) };
    case "refund-created":
      return { topic: "refunds/create", payload: refundCreatePayload(event.order, event.refund, shop) };
  }
}

export function* historyDeliveries(shop: string, customers: number, end: Date, seed = 1): Generator<Delivery> {
  const demoShop: DemoShop = { domain: shop };
  for (const event of iterateEvents(planHistory({ customers, end, seed }))) {
    const { topic, payload } = topicAndPayload(event, demoShop);
    const body = serializePayload(payload);
    yield {
      topic,
      shop,
      body,
      webhookId: stableUuid("delivery", topic, shop, body),
      eventId: stableUuid("event", topic, shop, body),
      triggeredAt: event.at.toISOString(),
    };
  }
}

export async function seedDemoHistory(options: SeedOptions): Promise<SeedResult> {
  const log = options.log ?? console.log;
  log(`Replaying ${options.customers} customers' three-year history into ${options.shop} as signed webhooks…`);
  let done = 0;
  const started = Date.now();
  const summary = await sendDeliveries(options.baseUrl, options.secret, historyDeliveries(options.shop, options.customers, options.end), {
    // Customer-created comes before that customer's first order in the stream; a few lanes keep the order
    // roughly chronological, and ingest is correct in any order anyway.
    concurrency: 4,
    onResult: () => {
      done += 1;
      if (done % 5000 === 0) log(`  ${done} webhooks delivered (${Math.round(done / ((Date.now() - started) / 1000))}/s)`);
    },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log(`  ${summary.sent} webhooks delivered in ${seconds} s; ${summary.failures.length} not accepted.`);
  for (const failure of summary.failures.slice(0, 5)) {
    log(`  ${failure.delivery.topic} → ${failure.status ? `HTTP ${failure.status}` : `no answer (${failure.error})`}`);
  }
  return { deliveries: summary.sent, failed: summary.failures.length };
}
