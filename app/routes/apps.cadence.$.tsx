import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { forwardToProxy } from "~/storefront-preview/forward-proxy.server";

// /apps/cadence/* on the local storefront preview, forwarded to /proxy/* signed like Shopify's app proxy.
// Dev shell only (404 otherwise); on a real storefront Shopify itself answers these paths.
export const loader = ({ request, params }: LoaderFunctionArgs) => forwardToProxy(request, params["*"] ?? "");
export const action = ({ request, params }: ActionFunctionArgs) => forwardToProxy(request, params["*"] ?? "");
