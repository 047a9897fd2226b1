import type { Audience } from "~/offers/model";
import { publishedCustomSegment } from "~/storefront-contract/metafields";
import { filterOn, metafieldQuery, NotPublishedError } from "../segment-query";
import type { MetafieldFilter } from "../segment-query";

// Which customers a Cadence-created code is restricted to, as a ShopifyQL segment query over the metafields Cadence
// publishes (../segment-query.ts). Pure.
//
// The published values are exactly what Cadence's choice of offer reads (app/publish/audience.server.ts), and an
// opted-out customer has none of them, so the segment holds the customers who could be chosen for the offer.

export { NotPublishedError as AudienceNotPublishedError };

/** The metafield an audience is matched on, or null when the code is for every customer (no segment). */
export function audienceMetafield(audience: Audience): MetafieldFilter | null {
  switch (audience.kind) {
    case "everyone":
      return null;
    case "tier":
      return filterOn("tier", audience.tierKey);
    case "segment":
      return filterOn("segments", audience.segmentKey);
    case "custom_segment":
      return filterOn("custom_segments", publishedCustomSegment(audience.segmentId));
    case "guests":
      // The model refuses a Cadence-created code for guests: a segment-restricted code needs a customer.
      throw new NotPublishedError("guests have no customer record for a segment to hold");
  }
}

/** The segment query for an audience in the app's resolved metafield namespace, or null for "everyone". */
export function segmentQuery(audience: Audience, namespace: string): string | null {
  const filter = audienceMetafield(audience);
  return filter ? metafieldQuery(filter, namespace) : null;
}
