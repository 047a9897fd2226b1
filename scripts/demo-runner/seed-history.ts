import { iterateEvents, planHistory } from "../demo/history.ts";
import type { HistoryEvent } from "../demo/history.ts";
import {
  customerCreatePayload,
  orderCancelledPayload,
  orderCreatePayload,
  refundCreatePayload,
  serializePayload,
  stableUuid,
} from "../demo/payloads.ts";
import type { DemoShop, PayloadObject } from "../demo/payloads.ts";
import { Worker } from "node:worker_threads";
import type { Delivery } from "../replay/send-webhooks.ts";
import type { SeedWorkerInput, SeedWorkerMessage } from "./seed-worker.ts";

// The demo's order history reaches the app the way Shopify's would: every customer, order, cancellation and
// refund as a signed webhook POSTed to the running server's /webhooks route. Nothing is written to the database
// directly, so the demo exercises the same HMAC check, parsing and ingest as production. The sending runs in a
// worker thread (seed-worker.ts), leaving the main thread to the server.

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
  const started = Date.now();
  const input: SeedWorkerInput = {
    baseUrl: options.baseUrl,
    secret: options.secret,
    shop: options.shop,
    customers: options.customers,
    end: options.end.toISOString(),
    // Customer-created comes before that customer's first order in the stream; a few lanes keep the order roughly
    // chronological, and ingest is correct in any order anyway.
    concurrency: 4,
  };
  const result = await new Promise<Extract<SeedWorkerMessage, { type: "done" }>>((resolve, reject) => {
    const worker = new Worker(new URL("./seed-worker.ts", import.meta.url), { workerData: input });
    worker.on("message", (message: SeedWorkerMessage) => {
      if (message.type === "done") resolve(message);
      else if (message.done % 5000 === 0)
        log(`  ${message.done} webhooks delivered (${Math.round(message.done / ((Date.now() - started) / 1000))}/s)`);
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`the seeding worker exited with code ${code}`));
    });
  });
  const seconds = (Date.now() - started) / 1000;
  log(
    `  ${result.sent} webhooks delivered in ${seconds.toFixed(1)} s (${Math.round(result.sent / seconds)}/s); ${
      result.failures.length
    } not accepted.`,
  );
  for (const failure of result.failures.slice(0, 5)) log(`  ${failure.topic} → HTTP ${failure.status}`);
  return { deliveries: result.sent, failed: result.failures.length };
}
