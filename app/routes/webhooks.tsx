import type { ActionFunctionArgs } from "@remix-run/node";
import { database } from "~/db.server";
import { handleWebhook } from "~/ingest/handle-webhook";
import { logger } from "~/logging/logger";
import { authenticateWebhook } from "~/webhooks.server";

// Every topic in shopify.app.toml posts here. authenticateWebhook is the trust boundary: a bad HMAC never reaches
// app/ingest (401). Ingest answers 200 for anything it recorded, duplicates and unknown topics included, and 400
// with the reason for a payload it cannot use.
export const action = async ({ request }: ActionFunctionArgs) => {
  const delivery = await authenticateWebhook(request);
  const result = await handleWebhook(database(), delivery, logger());
  return new Response(result.status === 200 ? null : (result.detail ?? null), { status: result.status });
};

export const loader = () => new Response("Webhooks are POSTed", { status: 405, headers: { Allow: "POST" } });
