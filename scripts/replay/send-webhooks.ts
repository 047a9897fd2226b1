import { createHmac } from "node:crypto";

// Sends webhook deliveries to a running Cadence exactly as Shopify would: POSTed JSON, signed with the app
// secret, with Shopify's delivery headers. Used by the demo's seeding, the replay test and bench/ingest.

export interface Delivery {
  topic: string;
  shop: string;
  body: string;
  webhookId: string;
  eventId: string;
  triggeredAt?: string;
  apiVersion?: string;
}

export interface SendResult {
  /** 0 when no HTTP answer came (refused, reset, timed out): Shopify would count it as a failure and retry. */
  status: number;
  error?: string;
  latencyMs: number;
  delivery: Delivery;
}

export interface SendSummary {
  sent: number;
  byStatus: Record<number, number>;
  failures: SendResult[];
}

export function signWebhookBody(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export async function sendDelivery(baseUrl: string, secret: string, delivery: Delivery): Promise<SendResult> {
  const started = performance.now();
  let status: number;
  let error: string | undefined;
  try {
    const response = await fetch(`${baseUrl}/webhooks`, {
      method: "POST",
      body: delivery.body,
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Topic": delivery.topic,
        "X-Shopify-Shop-Domain": delivery.shop,
        "X-Shopify-API-Version": delivery.apiVersion ?? "2026-04",
        "X-Shopify-Webhook-Id": delivery.webhookId,
        "X-Shopify-Event-Id": delivery.eventId,
        "X-Shopify-Triggered-At": delivery.triggeredAt ?? new Date().toISOString(),
        "X-Shopify-Hmac-Sha256": signWebhookBody(delivery.body, secret),
      },
    });
    await response.arrayBuffer();
    status = response.status;
  } catch (failure) {
    status = 0;
    const cause = (failure as { cause?: { message?: string } }).cause;
    error = cause?.message ?? (failure as Error).message;
  }
  return { status, latencyMs: performance.now() - started, delivery, ...(error ? { error } : {}) };
}

/** Sends every delivery with bounded concurrency, in order of the input within each lane. */
export async function sendDeliveries(
  baseUrl: string,
  secret: string,
  deliveries: Iterable<Delivery> | AsyncIterable<Delivery>,
  options: { concurrency?: number; onResult?: (result: SendResult) => void } = {},
): Promise<SendSummary> {
  const iterator = (
    Symbol.asyncIterator in deliveries
      ? (deliveries as AsyncIterable<Delivery>)[Symbol.asyncIterator]()
      : (deliveries as Iterable<Delivery>)[Symbol.iterator]()
  ) as AsyncIterator<Delivery> | Iterator<Delivery>;
  const summary: SendSummary = { sent: 0, byStatus: {}, failures: [] };
  const lane = async () => {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      const result = await sendDelivery(baseUrl, secret, next.value);
      summary.sent += 1;
      summary.byStatus[result.status] = (summary.byStatus[result.status] ?? 0) + 1;
      if (result.status !== 200) summary.failures.push(result);
      options.onResult?.(result);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, lane));
  return summary;
}
