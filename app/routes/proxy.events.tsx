import type { ActionFunctionArgs } from "@remix-run/node";
import { database } from "~/db.server";
import { parseBeacon, verifyBeacon } from "~/offers/beacon";
import { recordOfferEvent } from "~/offers/events.server";
import { handleProxy, proxyContext } from "~/storefront-proxy/context.server";
import { shopperDecision } from "~/storefront-proxy/shopper-offer.server";

// POST /apps/cadence/events?type=exposure|click&offer=…&arm=…&surface=… (assets/cadence-offers.js). 204 once
// stored (a retried signed URL is stored once); 422 for a beacon Cadence would not have sent, including one whose
// offer or arm is not what the server decides for this shopper (the shopper never chooses their own arm).
export const action = ({ request, context }: ActionFunctionArgs) =>
  handleProxy(async () => {
    const { shop, customerId, params } = await proxyContext(request, { method: "POST", context });
    const parsed = parseBeacon(params);
    if (!parsed.ok) return text(422, `Invalid beacon: ${parsed.message}`);
    const verified = verifyBeacon(parsed.beacon, await shopperDecision(database(), shop, customerId));
    if (!verified.ok) return text(422, `Invalid beacon: ${verified.message}`);
    const result = await recordOfferEvent(database().sql, shop.id, {
      ...verified.event,
      customerId,
      signature: params.get("signature") as string,
    });
    if (result === "unknown_offer")
      return text(422, `Invalid beacon: no published offer "${parsed.beacon.offer}" in this shop`);
    return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
  });

export const loader = () => new Response("Use POST.", { status: 405, headers: { Allow: "POST" } });

function text(status: number, body: string): Response {
  return new Response(body, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}
