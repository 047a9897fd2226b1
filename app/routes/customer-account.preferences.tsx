import type { ActionFunctionArgs } from "@remix-run/node";
import { changePreferenceFromAccount } from "~/customer-account/preferences.server";
import { config } from "~/config.server";
import { db } from "~/db.server";
import { authenticate } from "~/shopify.server";
import { ProxyRefusal } from "~/storefront-proxy/proxy-request";

// POST /customer-account/preferences?personalised=0|1: the customer account block's opt-out control, with the
// shopper's session token (Authorization: Bearer). Shopify's library answers the CORS preflight and refuses a missing
// or invalid token with 401; app/customer-account/preferences.server.ts checks the rest.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { sessionToken, cors } = await authenticate.public.customerAccount(request);
  try {
    const result = await changePreferenceFromAccount(db(), sessionToken, request, { apiKey: config().apiKey, rateLimits: config().proxyRateLimits });
    return cors(Response.json(result, { headers: { "Cache-Control": "no-store" } }));
  } catch (error) {
    if (error instanceof ProxyRefusal) return cors(error.toResponse());
    throw error;
  }
};

export const loader = () => new Response("Use POST.", { status: 405, headers: { Allow: "POST" } });
