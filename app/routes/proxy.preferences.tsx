import type { ActionFunctionArgs } from "@remix-run/node";
import { database } from "~/db.server";
import { setPersonalised } from "~/offers/opt-out.server";
import { handleProxy, proxyContext } from "~/storefront-proxy/context.server";
import { ProxyRefusal } from "~/storefront-proxy/proxy-request";

// POST /apps/cadence/preferences?personalised=0|1: the storefront's opt-out control. JSON for the script
// (Accept: application/json); a redirect back to the page for the plain form post when JavaScript is off.
export const action = ({ request, context }: ActionFunctionArgs) =>
  handleProxy(async () => {
    const { shop, customerId, params } = await proxyContext(request, { method: "POST", context });
    const value = params.get("personalised");
    if (value !== "0" && value !== "1")
      throw new ProxyRefusal(422, 'personalised must be "0" (stop personalised offers) or "1" (turn them back on).');
    if (!customerId) throw new ProxyRefusal(403, "Log in to change your offer preferences.");
    await setPersonalised(database().prisma, shop.id, customerId, value === "1");
    if ((request.headers.get("accept") ?? "").includes("application/json"))
      return Response.json({ personalised: value === "1" }, { headers: { "Cache-Control": "no-store" } });
    return new Response(null, { status: 303, headers: { Location: backTo(request), "Cache-Control": "no-store" } });
  });

export const loader = () => new Response("Use POST.", { status: 405, headers: { Allow: "POST" } });

// Only a path on the shop: a Referer naming another site must not turn this into an open redirect.
function backTo(request: Request): string {
  try {
    const referer = new URL(request.headers.get("referer") ?? "");
    return referer.pathname.startsWith("/") && !referer.pathname.startsWith("//")
      ? referer.pathname + referer.search
      : "/";
  } catch {
    return "/";
  }
}
