import { config } from "~/config.server";
import { SET_TIER_BODY_LIMIT_BYTES, flowErrorBody } from "~/publish/flow/set-tier-request";
import { readBodyWithin } from "~/request-body/read";
import { hmacMatches } from "~/webhooks.server";

// The trust boundary of Cadence's Flow action (POST /flow/actions/set-tier). Flow signs each request as Shopify signs
// webhooks: X-Shopify-Hmac-Sha256 is the base64 HMAC-SHA256 of the raw body keyed with the app's client secret
// (shopify.dev/docs/apps/build/flow/actions/endpoints, "Verifying requests"). Checked here with the webhook route's
// constant-time comparison rather than authenticate.flow, which answers a bad signature with 400 where Cadence must
// refuse it with 401, and loads (and may refresh over the network) the shop's offline session, which the action does
// not use. Anything refused is answered before its body is parsed; nothing is logged from it.

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

/** The verified JSON body, or a Response to answer with: 405, 413, 401 (bad or missing signature), 400 (not JSON). */
export async function authenticateFlowAction(request: Request): Promise<{ body: unknown } | { refusal: Response }> {
  if (request.method !== "POST")
    return { refusal: json(405, flowErrorBody(["Flow actions are POSTed."]), { Allow: "POST" }) };
  // Within the limit before and while reading (Content-Length first, counted bytes otherwise): never read whole.
  const limit = {
    bytes: SET_TIER_BODY_LIMIT_BYTES,
    message: `The request is larger than ${SET_TIER_BODY_LIMIT_BYTES} bytes.`,
  };
  let raw: Uint8Array;
  try {
    raw = await readBodyWithin(request, limit);
  } catch (error) {
    if (error instanceof Response && error.status === 413)
      return { refusal: json(413, flowErrorBody([limit.message])) };
    throw error;
  }
  const signature = request.headers.get("x-shopify-hmac-sha256");
  if (!signature || !hmacMatches(raw, signature, config().apiSecret))
    return { refusal: json(401, flowErrorBody(["The request is not signed by Shopify Flow."])) };
  try {
    return { body: JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw)) as unknown };
  } catch {
    return { refusal: json(400, flowErrorBody(["The request body is not JSON."])) };
  }
}

export { json as flowJson };
