import { createHmac } from "node:crypto";

// Shopify's app-proxy signature (shopify.dev/docs/apps/build/online-store/app-proxies/authenticate-app-proxies):
// every parameter but `signature` as key=value, a repeated key's values joined by commas, sorted, concatenated
// with no separator, HMAC-SHA256 hex with the app's secret. Cadence only verifies signatures through Shopify's
// library; this signer serves the local storefront preview's forwarder (dev shell only) and the tests.

export function signProxyQuery(pairs: ReadonlyArray<readonly [string, string]>, secret: string): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of pairs) grouped.set(key, [...(grouped.get(key) ?? []), value]);
  const message = [...grouped]
    .map(([key, values]) => `${key}=${values.join(",")}`)
    .sort()
    .join("");
  const search = new URLSearchParams();
  for (const [key, value] of pairs) search.append(key, value);
  search.append("signature", createHmac("sha256", secret).update(message).digest("hex"));
  return search.toString();
}

/** The parameters Shopify adds to a proxied request, for a shopper who is logged in (customerId) or a guest. */
export function proxyParams(
  shop: string,
  customerId: string | null,
  nowSeconds = Math.floor(Date.now() / 1000),
): Array<[string, string]> {
  return [
    ["shop", shop],
    ["logged_in_customer_id", customerId ?? ""],
    ["path_prefix", "/apps/cadence"],
    ["timestamp", String(nowSeconds)],
  ];
}
