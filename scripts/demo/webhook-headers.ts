import { createHash } from "node:crypto";

// The delivery headers Shopify sends with a webhook, except the HMAC, which the sender adds.

export const WEBHOOK_API_VERSION = "2026-04";

export interface WebhookHeaderOptions {
  /** When Shopify triggered the delivery (X-Shopify-Triggered-At). */
  triggeredAt: Date;
  /** Defaults to a UUID derived from topic, shop and body, so replaying the same delivery reuses it as a retry would. */
  webhookId?: string;
  /** Defaults like webhookId; pass one shared value for deliveries caused by one merchant action. */
  eventId?: string;
  apiVersion?: string;
  /** X-Shopify-Name, sent only for named subscriptions. */
  name?: string;
}

/** A name-based (version 5 layout) UUID: stable for the same input. */
export function stableUuid(...parts: string[]): string {
  const bytes = createHash("sha1").update(parts.join("\u0001")).digest();
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function webhookHeadersFor(
  topic: string,
  shop: string | { domain: string },
  body: string,
  options: WebhookHeaderOptions,
): Record<string, string> {
  const domain = typeof shop === "string" ? shop : shop.domain;
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "X-Shopify-Topic": topic,
    "X-Shopify-Shop-Domain": domain,
    "X-Shopify-API-Version": options.apiVersion ?? WEBHOOK_API_VERSION,
    "X-Shopify-Webhook-Id": options.webhookId ?? stableUuid("delivery", topic, domain, body),
    "X-Shopify-Event-Id": options.eventId ?? stableUuid("event", topic, domain, body),
    "X-Shopify-Triggered-At": options.triggeredAt.toISOString(),
  };
  if (options.name) headers["X-Shopify-Name"] = options.name;
  return headers;
}
