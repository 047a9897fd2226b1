import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";

// GET /apps/cadence/status on the storefront, proxied here by Shopify. authenticate.public.appProxy verifies
// the signature (a bad one is refused with 400 by the library) before anything is read.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.public.appProxy(request);
  const loggedInCustomerId = new URL(request.url).searchParams.get("logged_in_customer_id") || null;
  return Response.json(
    { installed: Boolean(session), shopper: loggedInCustomerId ? "customer" : "guest" },
    { headers: { "Cache-Control": "no-store" } },
  );
};
