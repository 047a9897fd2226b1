import { CUSTOM_PREFIX } from "~/segments/classify";
import { publishedCustomSegment } from "~/storefront-contract/metafields";
import { filterOn } from "../segment-query";
import type { MetafieldFilter } from "../segment-query";

// Which published metafield value puts a customer in a Cadence segment, for the native Shopify segment that follows
// it ("Use in Shopify"). Pure. The values are those app/publish/audience.server.ts and offers/personalise.ts publish:
// the tier key in `tier`; built-in segments, lifecycle stages and `rfm_<group>` in `segments`; custom segments by
// slug in `custom_segments`. (The built-in at_risk, lapsed and lost segments are exactly those lifecycle stages, so
// the shared value selects the same customers either way.) An opted-out customer has none of these metafields, so
// is in no native segment.

/** A segment as the admin names it (app/segments/segment-key.ts SegmentRef has this shape). */
export type NativeSegmentRef =
  | { kind: "tier"; tierId: string }
  | { kind: "rfm"; group: string }
  | { kind: "lifecycle"; stage: string }
  | { kind: "membership"; segmentKey: string };

export function nativeSegmentFilter(ref: NativeSegmentRef): MetafieldFilter {
  switch (ref.kind) {
    case "tier":
      return filterOn("tier", ref.tierId);
    case "rfm":
      return filterOn("segments", `rfm_${ref.group}`);
    case "lifecycle":
      return filterOn("segments", ref.stage);
    case "membership":
      return ref.segmentKey.startsWith(CUSTOM_PREFIX)
        ? filterOn("custom_segments", publishedCustomSegment(ref.segmentKey))
        : filterOn("segments", ref.segmentKey);
  }
}

/** Shopify's limit on a segment's name. */
const NAME_LIMIT = 255;

/**
 * The native segment's name in Shopify's admin: the merchant's own name for the segment, and its key, which keeps
 * names unique (a custom segment may share a tier's name; Shopify refuses two segments with one name).
 */
export function nativeSegmentName(name: string, segmentKey: string): string {
  const suffix = ` (${segmentKey})`;
  return `Cadence: ${name}`.slice(0, NAME_LIMIT - suffix.length) + suffix;
}
