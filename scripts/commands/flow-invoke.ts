import { createHmac, randomUUID } from "node:crypto";

// What Shopify Flow sends when a workflow runs Cadence's "Set loyalty tier" action: a JSON body with the shop, a run
// ID and the action's properties, signed with the app's client secret in X-Shopify-Hmac-Sha256 (base64 HMAC-SHA256
// of the body) (shopify.dev/docs/apps/build/flow/actions/endpoints). The CLI sends it to a running Cadence, so the
// demo's action can be tried without Shopify.

export interface SetTierInvocation {
  url: string;
  secret: string;
  shop: string;
  customerId: string;
  tier: string;
  until: string;
  reason: string;
}

export async function invokeSetTier(invocation: SetTierInvocation): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({
    shop_id: "0",
    shopify_domain: invocation.shop,
    action_run_id: randomUUID(),
    action_definition_id: "Set loyalty tier",
    handle: "set-loyalty-tier",
    properties: {
      customer_id: invocation.customerId,
      tier: invocation.tier,
      end_date: invocation.until,
      reason: invocation.reason,
    },
  });
  const signature = createHmac("sha256", invocation.secret).update(body, "utf8").digest("base64");
  const response = await fetch(new URL("/flow/actions/set-tier", invocation.url), {
    method: "POST",
    body,
    headers: { "Content-Type": "application/json", "X-Shopify-Hmac-Sha256": signature },
  });
  return { status: response.status, body: await response.text() };
}
