import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { changePreferenceFromAccount } from "~/customer-account/preferences.server";
import { config } from "~/config.server";
import { database } from "~/db.server";
import { authenticate } from "~/shopify.server";
import { ProxyRefusal } from "~/storefront-proxy/proxy-request";

// POST /customer-account/preferences?personalised=0|1: the customer account block's opt-out control, with the
// shopper's session token (Authorization: Bearer). Shopify's library answers the CORS preflight and refuses a missing
// or invalid token with 401; app/customer-account/preferences.server.ts checks the rest.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { sessionToken, cors } = await authenticate.public.customerAccount(request);
  try {
    const result = await changePreferenceFromAccount(database().prisma, sessionToken, request, {
      apiKey: config().apiKey,
      apiSecret: config().apiSecret,
      rateLimits: config().proxyRateLimits,
      sql: () => database().sql,
    });
    return cors(Response.json(result, { headers: { "Cache-Control": "no-store" } }));
  } catch (error) {
    if (error instanceof ProxyRefusal) return cors(error.toResponse());
    throw error;
  }
};

// Remix sends OPTIONS to the loader: Shopify's library answers the extension's CORS preflight (it throws the 204).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  if (request.method === "OPTIONS") await authenticate.public.customerAccount(request);
  return new Response("Use POST.", { status: 405, headers: { Allow: "POST" } });
};
