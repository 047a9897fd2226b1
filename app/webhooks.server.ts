import "@shopify/shopify-api/adapters/web-api";
import { LogSeverity, shopifyApi, WebhookValidationErrorReason } from "@shopify/shopify-api";
import { config } from "./config.server";
import type { VerifiedDelivery } from "./ingest/handle-webhook";
import { API_VERSION } from "./shopify.server";

// The trust boundary of the webhook route: Shopify's own HMAC check (shopify-api's webhooks.validate, the function
// authenticate.webhook runs), without the rest of authenticate.webhook. That one also loads the shop's offline
// session from the database and may refresh its token over the network on every delivery; a webhook needs neither
// (background jobs load the session themselves), and both would spend Shopify's 5-second budget
// (docs/decisions/0004-webhook-route.md).

const settings = config();
const validator = shopifyApi({
  apiKey: settings.apiKey,
  apiSecretKey: settings.apiSecret,
  apiVersion: API_VERSION,
  hostName: new URL(settings.appUrl).host,
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error },
}).webhooks.validate;

/**
 * Verifies a webhook delivery: 405 for anything but POST, 401 when the HMAC is missing or wrong (nothing is read
 * further), 400 when a required Shopify header is missing. Throws those as Responses, Remix-style.
 */
export async function authenticateWebhook(request: Request): Promise<VerifiedDelivery> {
  if (request.method !== "POST") throw new Response("Webhooks are POSTed", { status: 405 });
  const rawBody = await request.text();
  const check = await validator({ rawBody, rawRequest: request });
  if (!check.valid) {
    if (check.reason === WebhookValidationErrorReason.InvalidHmac || check.reason === WebhookValidationErrorReason.MissingHmac) {
      throw new Response("Unauthorized", { status: 401 });
    }
    const missing = "missingHeaders" in check ? ` (${(check.missingHeaders as string[]).join(", ")})` : "";
    throw new Response(`Not a Shopify webhook: ${check.reason}${missing}`, { status: 400 });
  }
  return {
    shopDomain: check.domain,
    // The header's own spelling ("orders/create"); the library's check.topic is "ORDERS_CREATE".
    topic: request.headers.get("x-shopify-topic") ?? check.topic,
    webhookId: check.webhookId,
    eventId: "eventId" in check ? check.eventId : undefined,
    triggeredAt: check.triggeredAt,
    rawBody,
  };
}
