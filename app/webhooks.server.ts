import { createHmac, timingSafeEqual } from "node:crypto";
import { config } from "~/config.server";
import type { VerifiedDelivery } from "~/ingest/handle-webhook";
import { BODY_LIMITS } from "~/request-body/limits";
import { readBodyWithin } from "~/request-body/read";

// The trust boundary of the webhook route. Shopify signs each delivery: X-Shopify-Hmac-Sha256 is the base64
// HMAC-SHA256 of the raw body, keyed with the app's client secret (shopify.dev/docs/apps/build/webhooks/verify-
// deliveries). This is that check and nothing more, written here rather than through authenticate.webhook, because
// that one also loads the shop's offline session from the database and may refresh its token over the network on
// every delivery (a webhook needs neither: background jobs load the session themselves), and shopify-api's own
// validator spends more time normalising headers and crossing to WebCrypto than the HMAC itself takes. Measured in
// docs/decisions/0004-webhook-route.md; the integration tests prove bad, missing and tampered signatures get 401.

const REQUIRED_HEADERS = [
  "x-shopify-topic",
  "x-shopify-shop-domain",
  "x-shopify-api-version",
  "x-shopify-webhook-id",
] as const;

/**
 * The header's 32-byte digest, or null unless it is exactly the canonical base64 Shopify sends (44 characters, one
 * "=" of padding). Node's base64 decoder skips characters it does not know and stops at the first padding, so a
 * valid signature followed by junk would otherwise decode to the valid digest.
 */
export function strictBase64Digest(header: string | null): Buffer | null {
  if (header === null || !/^[A-Za-z0-9+/]{43}=$/.test(header)) return null;
  const digest = Buffer.from(header, "base64");
  return digest.toString("base64") === header ? digest : null;
}

export function hmacMatches(body: Uint8Array, signature: string | null, secret: string): boolean {
  const given = strictBase64Digest(signature);
  if (!given) return false;
  const expected = createHmac("sha256", secret).update(body).digest();
  return timingSafeEqual(given, expected);
}

/**
 * Verifies a webhook delivery: 405 for anything but POST, 401 when the HMAC header is missing or not a digest
 * (before the body is read) or does not match, 413 for a body over the webhook limit (read no further), 400 when a
 * required Shopify header is missing. Throws those as Responses, Remix-style.
 */
export async function authenticateWebhook(request: Request): Promise<VerifiedDelivery> {
  if (request.method !== "POST") throw new Response("Webhooks are POSTed", { status: 405, headers: { Allow: "POST" } });
  const signature = request.headers.get("x-shopify-hmac-sha256");
  if (!strictBase64Digest(signature)) throw new Response("Unauthorized", { status: 401 });
  const body = await readBodyWithin(request, BODY_LIMITS.webhook);
  if (!hmacMatches(body, signature, config().apiSecret)) throw new Response("Unauthorized", { status: 401 });
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
