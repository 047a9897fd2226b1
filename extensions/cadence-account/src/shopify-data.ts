import type { Api } from "@shopify/ui-extensions/customer-account.profile.block.render";
import { ACCOUNT_KEYS, accountValues } from "./model";
import type { AccountValues, RawMetafield, Shop } from "./model";

// Where the block's data comes from. The customer's metafields: the Customer Account API (`fetch` on
// shopify://customer-account/api, documented for every customer account target), `$app` being Cadence's own
// namespace; each definition grants the Customer Account API read access (contract.ts). The shop's currency,
// storefront URL and guest offer: the Storefront API (`shopify.query`, the api_access capability).

/** The Customer Account API version: the extension's api_version (shopify.extension.toml). */
export const CUSTOMER_ACCOUNT_API = "shopify://customer-account/api/2026-07/graphql.json";

export const CUSTOMER_QUERY = `query CadenceAccount($identifiers: [HasMetafieldsIdentifier!]!) {
  customer { metafields(identifiers: $identifiers) { key type value } }
}`;

export const SHOP_QUERY = `query CadenceShop {
  shop {
    paymentSettings { currencyCode }
    primaryDomain { url }
    guestOffer: metafield(namespace: "$app", key: "guest_offer") { value }
  }
}`;

export interface AccountData {
  /** Null for a guest. */
  values: AccountValues | null;
  shop: Shop;
}

type Fetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string },
) => Promise<{ ok: boolean; json(): Promise<unknown> }>;

async function customerMetafields(fetcher: Fetch): Promise<RawMetafield[]> {
  const response = await fetcher(CUSTOMER_ACCOUNT_API, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      query: CUSTOMER_QUERY,
      variables: { identifiers: ACCOUNT_KEYS.map((key) => ({ namespace: "$app", key })) },
    }),
  });
  const payload = (await response.json()) as {
    data?: { customer?: { metafields?: Array<RawMetafield | null> } | null };
    errors?: unknown;
  };
  if (!response.ok || payload.errors || !payload.data?.customer)
    throw new Error("the Customer Account API did not answer with the customer");
  return (payload.data.customer.metafields ?? []).filter((field): field is RawMetafield => Boolean(field));
}

async function shopData(api: Pick<Api, "query">): Promise<Shop> {
  const { data } = await api.query<{
    shop?: {
      paymentSettings?: { currencyCode?: string };
      primaryDomain?: { url?: string };
      guestOffer?: { value?: string } | null;
    };
  }>(SHOP_QUERY);
  const shop = data?.shop;
  let guestOffer: unknown = undefined;
  try {
    guestOffer = shop?.guestOffer?.value ? JSON.parse(shop.guestOffer.value) : undefined;
  } catch {
    guestOffer = undefined;
  }
  return {
    currency: shop?.paymentSettings?.currencyCode ?? null,
    storefrontUrl: shop?.primaryDomain?.url ?? null,
    guestOffer,
  };
}

export async function loadAccount(
  api: Pick<Api, "query" | "authenticatedAccount">,
  fetcher: Fetch,
): Promise<AccountData> {
  const customer = api.authenticatedAccount.customer.value;
  const [metafields, shop] = await Promise.all([customer ? customerMetafields(fetcher) : null, shopData(api)]);
  return { values: metafields ? accountValues(metafields) : null, shop };
}
