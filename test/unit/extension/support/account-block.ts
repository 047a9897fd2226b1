import vm from "node:vm";
import { parseHTML } from "linkedom";
import { encodeCustomerMetafields, encodeGuestOffer } from "~/storefront-contract/metafields";
import type { CustomerMetafieldValues, GuestOffer } from "~/storefront-contract/metafields";
import { accountHost } from "~/storefront-preview/account-host";
import { accountLocale, bundleAccountExtension } from "~/storefront-preview/account-extension.server";

// The customer account extension's bundle (built the way Shopify CLI builds it) run in a DOM of its own for one shopper,
// with a stand-in for Shopify's customer accounts (app/storefront-preview/account-host.ts): the customer's metafields
// are the strings Cadence's publisher sends (the contract's own encoder), as Shopify would return them.

export const APP_URL = "https://cadence.example.com";

const bundles = new Map<string, Promise<string>>();
function bundle(appUrl: string | null): Promise<string> {
  const key = appUrl ?? "";
  if (!bundles.has(key)) bundles.set(key, bundleAccountExtension(appUrl ? { appUrl } : {}));
  return bundles.get(key)!;
}

export interface AccountPage {
  /** What Cadence published on the customer; null for a visitor who is not logged in. */
  values: CustomerMetafieldValues | null;
  customerId?: string;
  guestOffer?: GuestOffer | null;
  locale?: "en" | "fr" | "de";
  currency?: string;
  /** Built without an app URL: the opt-out control cannot reach Cadence. */
  withoutAppUrl?: boolean;
  /** The backend's answer to the opt-out request. */
  preferencesStatus?: number;
}

export async function renderAccountBlock(page: AccountPage) {
  const code = await bundle(page.withoutAppUrl ? null : APP_URL);
  const { document } = parseHTML("<!doctype html><html><body></body></html>");
  const locale = page.locale ?? "en";
  const network: Array<{ url: string; init: Record<string, unknown> }> = [];
  const host = accountHost(
    {
      locale,
      translations: accountLocale(locale),
      customerGid: page.values ? `gid://shopify/Customer/${page.customerId ?? "7340105220198"}` : null,
      metafields: page.values ? encodeCustomerMetafields(page.values).set : [],
      shop: {
        currencyCode: page.currency ?? "GBP",
        storefrontUrl: "https://cadence-demo.example",
        guestOffer: page.guestOffer ? encodeGuestOffer(page.guestOffer).value : null,
      },
      sessionToken: "session-token-for-the-test",
    },
    async (url, init = {}) => {
      network.push({ url, init });
      return { ok: (page.preferencesStatus ?? 200) < 300, status: page.preferencesStatus ?? 200 };
    },
  );
  const context = vm.createContext({
    shopify: host.shopify,
    document,
    fetch: host.fetch,
    console,
    setTimeout,
    clearTimeout,
    queueMicrotask,
  });
  vm.runInContext(code, context);
  await host.rendered();
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
  await settle();
  const text = () => (document.body.textContent ?? "").replace(/\s+/g, " ").trim();
  const button = () => document.querySelector("s-button");
  return {
    document,
    host,
    network,
    text,
    html: () => document.body.innerHTML,
    button,
    async click() {
      button()?.dispatchEvent(new document.defaultView!.Event("click"));
      await settle();
      await settle();
    },
  };
}
