import type { LoaderFunctionArgs } from "@remix-run/node";
import { database } from "~/db.server";
import { handleProxy, proxyContext } from "~/storefront-proxy/context.server";
import { shopperOffer } from "~/storefront-proxy/shopper-offer.server";

// GET /apps/cadence/offer: the shopper's offer as JSON (app/storefront-proxy/shopper-offer.server.ts).
export const loader = ({ request, context }: LoaderFunctionArgs) =>
  handleProxy(async () => {
    const { shop, customerId } = await proxyContext(request, { method: "GET", context });
    return Response.json(await shopperOffer(database(), shop, customerId), {
      headers: { "Cache-Control": "private, no-store" },
    });
  });
