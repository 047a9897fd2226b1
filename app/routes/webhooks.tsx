import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleWebhook } from "~/ingest/handle-webhook";
import { logger } from "~/logging/logger";
import { authenticate } from "~/shopify.server";

// Every topic in shopify.app.toml posts here. authenticate.webhook is the trust boundary: a bad HMAC never
// reaches app/ingest (401). The body is re-read from a clone because the library's JSON.parse rounds big IDs.
export const action = async ({ request }: ActionFunctionArgs) => {
  const rawBody = request.clone().text();
  const { shop, topic, webhookId, eventId, triggeredAt } = await authenticate.webhook(request).catch(rejectBadBody);
  const result = await handleWebhook(db(), { shopDomain: shop, topic: request.headers.get("x-shopify-topic") ?? String(topic), webhookId, eventId, triggeredAt, rawBody: await rawBody }, logger());
  return new Response(result.status === 200 ? null : result.detail, { status: result.status });
};

// The library verifies the HMAC before it parses; a signed but malformed body surfaces as a SyntaxError.
function rejectBadBody(error: unknown): never {
  if (error instanceof SyntaxError) throw new Response("Body is not valid JSON", { status: 400 });
  throw error;
}
