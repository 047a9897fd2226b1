import type { ActionFunctionArgs } from "@remix-run/node";
import { database } from "~/db.server";
import { authenticateFlowAction, flowJson } from "~/flow-action.server";
import { applySetTier } from "~/publish/flow/set-tier.server";
import { flowErrorBody, parseSetTierRequest } from "~/publish/flow/set-tier-request";

// Shopify Flow's "Set loyalty tier" action (extensions/set-loyalty-tier): signature (401), then the request's fields
// (400), then the shop, tier, date and customer (404/422), each refusal in Flow's error shape; 200 once applied.
// Flow retries 5XX and 429 and treats any other 4XX as a failure it shows the merchant (docs/flow.md).
export const action = async ({ request }: ActionFunctionArgs) => {
  const verified = await authenticateFlowAction(request);
  if ("refusal" in verified) return verified.refusal;
  const parsed = parseSetTierRequest(verified.body);
  if (!parsed.ok) return flowJson(400, flowErrorBody(parsed.errors));
  const outcome = await applySetTier(database(), parsed.request);
  return outcome.status === 200 ? flowJson(200, {}) : flowJson(outcome.status, flowErrorBody(outcome.errors));
};

export const loader = () => flowJson(405, flowErrorBody(["Flow actions are POSTed."]), { Allow: "POST" });
