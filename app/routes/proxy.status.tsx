import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleProxy, proxyContext } from "~/storefront-proxy/context.server";

// GET /apps/cadence/status on the storefront, proxied here by Shopify: whether Cadence is installed on the shop and
// whether the shopper is logged in. Through the same trust boundary as every app-proxy route (signature, parameters,
// body, rate limit); a shop without Cadence gets its 404.
export const loader = ({ request, context }: LoaderFunctionArgs) =>
  handleProxy(async () => {
    const { customerId } = await proxyContext(request, { method: "GET", context });
    return Response.json(
      { installed: true, shopper: customerId ? "customer" : "guest" },
      { headers: { "Cache-Control": "no-store" } },
    );
  });
