// A stand-in for what Shopify's customer accounts give the extension (extensions/cadence-account/): the target's API
// as `shopify` (i18n over the extension's locale files, the Storefront API through shopify.query, the logged-in
// customer, session tokens, `extend`), and `fetch` answering the Customer Account API with the customer's metafields
// as Shopify stores them (the strings Cadence's publisher sends). Anything else goes to the real network, so the
// opt-out control reaches Cadence's real route. Used by the storefront preview (serialised into its page with
// Function.prototype.toString, so this function refers to nothing outside itself) and by the extension's tests.
// Development only.

export interface AccountHostData {
  locale: string;
  /** The extension's locale file for `locale` (falling back to English key by key, as Shopify does). */
  translations: Record<string, unknown>;
  /** The logged-in customer's GID, or null for a visitor who is not logged in. */
  customerGid: string | null;
  /** The customer's `$app` metafields, as Shopify holds them. */
  metafields: Array<{ key: string; type: string; value: string }>;
  shop: { currencyCode: string; storefrontUrl: string; guestOffer: string | null };
  /** What shopify.sessionToken.get() resolves to. */
  sessionToken: string;
}

export interface AccountHost {
  shopify: Record<string, unknown>;
  fetch: (url: string, init?: Record<string, unknown>) => Promise<unknown>;
  /** Resolves once the extension's render function has finished. */
  rendered(): Promise<void>;
  /** The Customer Account API requests the extension made (their bodies). */
  customerApiRequests: string[];
}

export function accountHost(
  data: AccountHostData,
  networkFetch: (url: string, init?: Record<string, unknown>) => Promise<unknown>,
): AccountHost {
  let rendering: Promise<unknown> = Promise.resolve();
  const customerApiRequests: string[] = [];
  const lookup = (key: string): unknown =>
    key
      .split(".")
      .reduce<unknown>(
        (node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined),
        data.translations,
      );
  const translate = (key: string, options: Record<string, string | number> = {}) => {
    let entry = lookup(key);
    if (entry && typeof entry === "object") {
      const forms = entry as Record<string, string>;
      entry = forms[new Intl.PluralRules(data.locale).select(Number(options.count))] ?? forms.other;
    }
    if (typeof entry !== "string") throw new Error(`translation missing: ${data.locale}.${key}`);
    return entry.replace(/\{\{\s*(\w+)\s*\}\}/g, (_match, name: string) =>
      options[name] === undefined ? "" : String(options[name]),
    );
  };
  const signal = <T>(value: T) => ({ value, current: value, subscribe: () => () => undefined });
  const shopify = {
    extend(_target: string, render: () => unknown) {
      rendering = Promise.resolve(render());
    },
    i18n: {
      translate,
      formatCurrency: (amount: number, options: Record<string, unknown> = {}) =>
        new Intl.NumberFormat(data.locale, { style: "currency", ...options }).format(amount),
      formatNumber: (amount: number, options: Record<string, unknown> = {}) =>
        new Intl.NumberFormat(data.locale, options).format(amount),
    },
    localization: { language: signal({ isoCode: data.locale }), extensionLanguage: signal({ isoCode: data.locale }) },
    authenticatedAccount: { customer: signal(data.customerGid ? { id: data.customerGid } : undefined) },
    sessionToken: { get: async () => data.sessionToken },
    async query(query: string) {
      if (!/\bshop\s*\{/.test(query))
        return { errors: [{ message: "the preview's Storefront API answers the shop query only" }] };
      return {
        data: {
          shop: {
            paymentSettings: { currencyCode: data.shop.currencyCode },
            primaryDomain: { url: data.shop.storefrontUrl },
            guestOffer: data.shop.guestOffer === null ? null : { value: data.shop.guestOffer },
          },
        },
      };
    },
  };
  const hostFetch = async (url: string, init: Record<string, unknown> = {}) => {
    if (!String(url).startsWith("shopify://customer-account/api/")) return networkFetch(url, init);
    customerApiRequests.push(String(init.body ?? ""));
    const { variables } = JSON.parse(String(init.body ?? "{}")) as {
      variables?: { identifiers?: Array<{ namespace: string; key: string }> };
    };
    const wanted = variables?.identifiers ?? [];
    // Like Shopify: one entry per identifier asked for, null where the customer has no such metafield.
    const metafields = wanted.map((identifier) =>
      identifier.namespace === "$app" ? (data.metafields.find((field) => field.key === identifier.key) ?? null) : null,
    );
    const body = data.customerGid
      ? { data: { customer: { metafields } } }
      : { data: { customer: null }, errors: [{ message: "Customer not logged in" }] };
    return { ok: true, status: 200, json: async () => body };
  };
  return { shopify, fetch: hostFetch, rendered: async () => void (await rendering), customerApiRequests };
}
