import { isLive } from "./model";
import type { Audience, Offer } from "./model";

// Which offer a shopper gets. One offer wins per shopper, and the same inputs always give the same winner:
// live offers whose audience includes the shopper, highest priority first, then the more specific audience,
// then the smaller offer id. Holdout is decided afterwards, for the winner only (see holdout.ts): a shopper held
// out of the winning offer sees generic content, never the runner-up, or the holdout would measure one offer
// against another instead of against no offer.

export type Shopper =
  | { kind: "guest" }
  | {
      kind: "customer";
      /** Shopify's numeric customer ID, as the app proxy's `logged_in_customer_id` carries it. */
      customerId: string;
      tierKey?: string;
      segmentKeys: readonly string[];
      customSegmentIds: readonly string[];
      optedOut?: boolean;
    };

// A shopper in a custom segment the merchant built, or in a named segment, is a closer fit than a whole tier;
// "everyone" is the broadest.
const SPECIFICITY: Record<Audience["kind"], number> = {
  custom_segment: 4,
  segment: 3,
  tier: 2,
  guests: 1,
  everyone: 0,
};

export function inAudience(audience: Audience, shopper: Shopper): boolean {
  switch (audience.kind) {
    case "everyone":
      return true;
    case "guests":
      return shopper.kind === "guest";
    case "tier":
      return shopper.kind === "customer" && shopper.tierKey === audience.tierKey;
    case "segment":
      return shopper.kind === "customer" && shopper.segmentKeys.includes(audience.segmentKey);
    case "custom_segment":
      return shopper.kind === "customer" && shopper.customSegmentIds.includes(audience.segmentId);
  }
}

/** The offers this shopper could get now, best first. Opted-out customers get none. */
export function eligibleOffers(offers: readonly Offer[], shopper: Shopper, now: Date): Offer[] {
  if (shopper.kind === "customer" && shopper.optedOut) return [];
  return offers.filter((offer) => isLive(offer, now) && inAudience(offer.audience, shopper)).sort(compareOffers);
}

export function chooseOffer(offers: readonly Offer[], shopper: Shopper, now: Date): Offer | null {
  return eligibleOffers(offers, shopper, now)[0] ?? null;
}

export function compareOffers(a: Offer, b: Offer): number {
  return (
    b.priority - a.priority ||
    SPECIFICITY[b.audience.kind] - SPECIFICITY[a.audience.kind] ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}
