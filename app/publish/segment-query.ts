// ShopifyQL for native customer segments over the customer metafields Cadence publishes (app/storefront-contract/metafields.ts), in
// the app's own namespace: `tier` (text, matched with =), `segments` and `custom_segments` (lists of text, matched with
// CONTAINS). Shopify documents that a customer metafield with a definition can be a segment filter;
// docs/decisions/0306-discount-segments-from-app-metafields.md says why this and not tags. Used by the segment a
// Cadence-created code is restricted to (discounts/shopifyql.ts) and by "Use in Shopify" on a segment's page
// (native-segments/). Pure.

/** The metafield keys a query may read; each has a definition Cadence creates (contract.ts). */
export type FilterMetafieldKey = "tier" | "segments" | "custom_segments";

export interface MetafieldFilter {
  key: FilterMetafieldKey;
  value: string;
  operator: "=" | "CONTAINS";
}

/** Shopify's resolved form of `$app` (`app--{app id}`, optionally `--{sub-namespace}`). */
const APP_NAMESPACE = /^app--\d+(?:--[a-z0-9_-]+)?$/;
/** Published values are identifiers (contract.ts); anything else cannot be matched and is refused, never quoted. */
const VALUE = /^[A-Za-z0-9_-]{1,64}$/;

export class NotPublishedError extends Error {
  override name = "NotPublishedError";
}

/** A list metafield is matched with CONTAINS, the tier (one text value) with =: the operators Shopify allows for each type. */
export function filterOn(key: FilterMetafieldKey, value: string): MetafieldFilter {
  return { key, value, operator: key === "tier" ? "=" : "CONTAINS" };
}

/** The segment query for one filter in the app's resolved metafield namespace. */
export function metafieldQuery(filter: MetafieldFilter, namespace: string): string {
  if (!APP_NAMESPACE.test(namespace)) throw new Error(`"${namespace}" is not an app-reserved metafield namespace`);
  if (!VALUE.test(filter.value))
    throw new NotPublishedError(`"${filter.value}" is not a value Cadence publishes, so no segment can match it`);
  return `metafields.${namespace}.${filter.key} ${filter.operator} '${filter.value}'`;
}
