// Cadence's backend, for the opt-out control. Shopify CLI defines every environment variable of its build as
// `process.env.NAME` in the bundle: SHOPIFY_APP_URL is the app's URL where it is deployed (docs/deploy.md: set it when
// running `shopify app deploy`), and `shopify app dev` sets APP_URL to its tunnel. A build without either has no
// `process` at run time: the control is then not offered.

declare const process: { env: Record<string, string | undefined> };

export function appUrl(): string | null {
  let url: string | undefined;
  try {
    url = process.env.SHOPIFY_APP_URL || process.env.APP_URL;
  } catch {
    return null;
  }
  // https, or the local demo's own server (its storefront preview renders this block).
  return url && /^(https:\/\/[^\s/]+|http:\/\/(localhost|127\.0\.0\.1)(:\d+)?)(\/|$)/.test(url)
    ? url.replace(/\/+$/, "")
    : null;
}
