import { config } from "~/config.server";
import { BODY_LIMITS } from "~/request-body/limits";
import { readBodyWithin } from "~/request-body/read";
import { proxyParams, signProxyQuery } from "~/storefront-proxy/sign";

// The storefront preview's stand-in for Shopify's app proxy (dev shell only): a request to /apps/cadence/<path> on
// the preview is forwarded to the app's /proxy/<path> over HTTP, with the parameters Shopify adds (shop,
// logged_in_customer_id of the previewed shopper, path_prefix, timestamp) and Shopify's signature, so it goes
// through the real route and the real signature check. The previewed shopper travels in a cookie the preview sets.

export const PREVIEW_COOKIE = "cadence_preview_shopper";

export async function forwardToProxy(request: Request, path: string): Promise<Response> {
  const { devShell, apiSecret } = config();
  if (!devShell) return new Response("Not found", { status: 404 });
  const cookie = (request.headers.get("cookie") ?? "")
    .split(/;\s*/)
    .find((part) => part.startsWith(`${PREVIEW_COOKIE}=`));
  if (!cookie)
    return new Response("Open the storefront preview first: it tells the forwarder which shopper you are.", {
      status: 400,
    });
  const [shop = "", customerId = ""] = decodeURIComponent(cookie.slice(PREVIEW_COOKIE.length + 1)).split("|");
  const url = new URL(request.url);
  const pairs = [...proxyParams(shop, customerId || null), ...url.searchParams];
  const target = new URL(`/proxy/${path}?${signProxyQuery(pairs, apiSecret)}`, url.origin);
  const headers = new Headers();
  for (const name of ["accept", "referer", "content-type"]) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  // As on Shopify's proxy, only the signed query reaches the app: a body is refused here as the proxy routes refuse it.
  await readBodyWithin(request, BODY_LIMITS.appProxy);
  const response = await fetch(target, { method: request.method, headers, redirect: "manual" });
  return new Response(response.body, { status: response.status, headers: response.headers });
}
