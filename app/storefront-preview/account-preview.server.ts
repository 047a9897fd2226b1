import { config } from "~/config.server";
import { mintCustomerAccountToken } from "~/dev-shell/session-token";
import { encodeCustomerMetafields, encodeGuestOffer } from "~/storefront-contract/metafields";
import type { CustomerMetafieldValues, GuestOffer } from "~/storefront-contract/metafields";
import type { AccountHostData } from "./account-host";
import { accountLocale, bundleAccountExtension, bundleAccountHost } from "./account-extension.server";

// The storefront preview's customer account page: the customer account extension's own bundle (built the way Shopify
// CLI builds it, with the preview's origin as the app URL) run in an iframe with a stand-in for Shopify's customer
// accounts (account-host.ts) holding what Cadence would publish for the chosen shopper, and a session token signed
// like Shopify's, so its opt-out control goes through the real /customer-account/preferences route. Dev shell only.

// Rendered by Shopify's own components in customer accounts; here, just enough style to read the block.
const STYLE = `body{font-family:system-ui,sans-serif;margin:0;padding:16px;line-height:1.5;color:#1c1c1c}
s-section{display:block;border:1px solid #d4d4d4;border-radius:12px;padding:16px}
s-section::before{content:attr(heading);display:block;font-size:1.125rem;font-weight:650;margin-bottom:8px}
s-stack{display:flex;flex-direction:column;gap:8px}s-heading{display:block;font-weight:650}s-paragraph,s-details,s-summary{display:block}
s-summary{font-weight:600;margin-top:8px}s-text[type=strong]{font-weight:650}s-text[color=subdued]{color:#5c5c5c}
s-link{color:#1f4d3a;text-decoration:underline}s-button{display:inline-block;width:fit-content;border:1px solid #8a8a8a;border-radius:8px;padding:4px 12px;cursor:pointer}`;

const bundles = new Map<string, Promise<string>>();
let host: Promise<string> | undefined;

function cached(origin: string): Promise<string> {
  if (!bundles.has(origin))
    bundles.set(
      origin,
      bundleAccountExtension({ appUrl: origin }).catch(
        (error: unknown) => (bundles.delete(origin), Promise.reject(error)),
      ),
    );
  return bundles.get(origin)!;
}

/** JSON for an inline script: nothing in it can close the script element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

export async function accountPreviewDocument(options: {
  origin: string;
  shop: { domain: string; currencyCode: string };
  customer: { id: string; values: CustomerMetafieldValues } | null;
  guestOffer: GuestOffer | null;
  locale?: "en" | "fr" | "de";
}): Promise<string> {
  const { apiKey, apiSecret } = config();
  const locale = options.locale ?? "en";
  const data: AccountHostData = {
    locale,
    translations: accountLocale(locale),
    customerGid: options.customer ? `gid://shopify/Customer/${options.customer.id}` : null,
    metafields: options.customer ? encodeCustomerMetafields(options.customer.values).set : [],
    shop: {
      currencyCode: options.shop.currencyCode,
      storefrontUrl: options.origin,
      guestOffer: options.guestOffer ? encodeGuestOffer(options.guestOffer).value : null,
    },
    sessionToken: await mintCustomerAccountToken({
      shop: options.shop.domain,
      apiKey,
      apiSecret,
      customerId: options.customer?.id ?? null,
    }),
  };
  const [extension, hostScript] = await Promise.all([cached(options.origin), (host ??= bundleAccountHost())]);
  const start = `const realFetch=window.fetch.bind(window);const host=CadenceAccountHost.accountHost(${scriptJson(
    data,
  )},realFetch);window.shopify=host.shopify;window.fetch=host.fetch;`;
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><style>${STYLE}</style></head><body><script>${hostScript}</script><script>${start}</script><script>${extension.replace(
    /<\/script/gi,
    "<\\/script",
  )}</script></body></html>`;
}
