import type { Audience } from "~/offers/model";
import { publishedCustomSegment } from "../contract";

// Which customers a Cadence-created code is restricted to, as a ShopifyQL segment query. Shopify cannot see Cadence's
// tiers or segments on its own, so the query filters on the customer metafields Cadence already publishes for the
// storefront (app/publish/contract.ts), in the app's own namespace: `tier` (text), `segments` and `custom_segments`
// (lists of text, matched with CONTAINS). Shopify documents that a customer metafield with a definition can be a
// segment filter; docs/decisions/0306-discount-segments-from-app-metafields.md says why this and not tags. Pure.
//
// The published values are exactly what Cadence's choice of offer reads (app/publish/audience.server.ts), and an
// opted-out customer has none of them, so the segment holds the customers who could be chosen for the offer.

/** The metafield keys a query may read; each has a definition Cadence creates (contract.ts). */
export type AudienceMetafieldKey = "tier" | "segments" | "custom_segments";

/** Shopify's resolved form of `$app` (`app--{app id}`, optionally `--{sub-namespace}`). */
const APP_NAMESPACE = /^app--\d+(?:--[a-z0-9_-]+)?$/;
/** Published keys are identifiers (contract.ts); anything else cannot be matched and is refused, never quoted. */
const VALUE = /^[A-Za-z0-9_-]{1,64}$/;

export class AudienceNotPublishedError extends Error {
  override name = "AudienceNotPublishedError";
}

/** The metafield an audience is matched on, or null when the code is for every customer (no segment). */
export function audienceMetafield(audience: Audience): { key: AudienceMetafieldKey; value: string; operator: "=" | "CONTAINS" } | null {
  switch (audience.kind) {
    case "everyone":
      return null;
    case "tier":
      return { key: "tier", value: audience.tierKey, operator: "=" };
    case "segment":
      return { key: "segments", value: audience.segmentKey, operator: "CONTAINS" };
    case "custom_segment":
      return { key: "custom_segments", value: publishedCustomSegment(audience.segmentId), operator: "CONTAINS" };
    case "guests":
      // The model refuses a Cadence-created code for guests: a segment-restricted code needs a customer.
      throw new AudienceNotPublishedError("guests have no customer record for a segment to hold");
  }
}

/** The segment query for an audience in the app's resolved metafield namespace, or null for "everyone". */
export function segmentQuery(audience: Audience, namespace: string): string | null {
  const filter = audienceMetafield(audience);
  if (!filter) return null;
  if (!APP_NAMESPACE.test(namespace)) throw new Error(`"${namespace}" is not an app-reserved metafield namespace`);
  if (!VALUE.test(filter.value)) throw new AudienceNotPublishedError(`"${filter.value}" is not a value Cadence publishes, so no segment can match it`);
  return `metafields.${namespace}.${filter.key} ${filter.operator} '${filter.value}'`;
}
