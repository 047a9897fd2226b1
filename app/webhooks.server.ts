import { createHmac, timingSafeEqual } from "node:crypto";
import { config } from "./config.server";
import type { VerifiedDelivery } from "./ingest/handle-webhook";

// The trust boundary of the webhook route. Shopify signs each delivery: X-Shopify-Hmac-Sha256 is the base64
// HMAC-SHA256 of the raw body, keyed with the app's client secret (shopify.dev/docs/apps/build/webhooks/verify-
// deliveries). This is that check and nothing more, written here rather than through authenticate.webhook, because
// that one also loads the shop's offline session from the database and may refresh its token over the network on
// every delivery (a webhook needs neither: background jobs load the session themselves), and shopify-api's own
// validator spends more time normalising headers and crossing to WebCrypto than the HMAC itself takes. Measured in
// docs/decisions/0004-webhook-route.md; the integration tests prove bad, missing and tampered signatures get 401.

const REQUIRED_HEADERS = ["x-shopify-topic", "x-shopify-shop-domain", "x-shopify-api-version", "x-shopify-webhook-id"] as const;

export function hmacMatches(body: Uint8Array, signature: string, secret: string): boolean {
  const expected = createHmac("sha256", secret).update(body).digest();
  const given = Buffer.from(signature, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Verifies a webhook delivery: 405 for anything but POST, 401 when the HMAC is missing or wrong (nothing else is
 * read), 400 when a required Shopify header is missing. Throws those as Responses, Remix-style.
 */
export async function authenticateWebhook(request: Request): Promise<VerifiedDelivery> {
  if (request.method !== "POST") throw new Response("Webhooks are POSTed", { status: 405, headers: { Allow: "POST" } });
  const signature = request.headers.get("x-shopify-hmac-sha256");
  const body = new Uint8Array(await request.arrayBuffer());
  if (!signature || !hmacMatches(body, signature, config().apiSecret)) throw new Response("Unauthorized", { status: 401 });
  const missing = REQUIRED_HEADERS.filter((name) => !request.headers.get(name));
  if (missing.length > 0) throw new Response(`Not a Shopify webhook: missing ${missing.join(", ")}`, { status: 400 });
  const header = (name: string) => request.headers.get(name) ?? undefined;
  return {
    shopDomain: header("x-shopify-shop-domain")!,
    topic: header("x-shopify-topic")!,
    webhookId: header("x-shopify-webhook-id")!,
    eventId: header("x-shopify-event-id"),
    triggeredAt: header("x-shopify-triggered-at"),
    rawBody: new TextDecoder("utf-8").decode(body),
  };
}
