import {
  LIST_METAFIELD_MAX_ITEMS,
  customerMetafieldValuesSchema,
  publishedCustomSegment,
} from "~/storefront-contract/metafields";
import type { CustomerMetafieldValues, GuestOffer } from "~/storefront-contract/metafields";
import { chooseOffer } from "./choose";
import type { Shopper } from "./choose";
import { assignArm } from "./holdout";
import type { Arm } from "./holdout";
import type { Offer } from "./model";
import { guestOffer, holdoutOffer, tierMetafields, treatmentOffer } from "./render-data";
import type { ShopperStanding } from "./render-data";

// Everything Cadence publishes for one shopper, from the shop's offers and what the segments know about them.
// The publisher calls this per changed customer, diffs the result against what it last published, and
// writes the difference (app/storefront-contract/metafields.ts: encodeCustomerMetafields, metafieldsSetBatches).

// A custom segment whose slug is not an identifier cannot be a metafield value; it simply is not published.
const PUBLISHABLE_KEY = /^[A-Za-z0-9_-]{1,64}$/;

export interface CustomerDecision {
  offer: Offer;
  arm: Arm;
}

export interface CustomerFacts {
  shop: string;
  shopper: Extract<Shopper, { kind: "customer" }>;
  standing: ShopperStanding | null;
  /** The shop's currency, in which tier thresholds are counted. */
  currency: string;
  firstOrderAt?: Date;
}

export function decideForCustomer(facts: CustomerFacts, offers: readonly Offer[], now: Date): CustomerDecision | null {
  const offer = chooseOffer(offers, facts.shopper, now);
  if (!offer) return null;
  return {
    offer,
    arm: assignArm({
      shop: facts.shop,
      offerId: offer.id,
      shopper: facts.shopper,
      holdoutPercent: offer.holdoutPercent,
    }),
  };
}

export function customerMetafieldValues(
  facts: CustomerFacts,
  offers: readonly Offer[],
  now: Date,
): { values: CustomerMetafieldValues; decision: CustomerDecision | null } {
  // An opted-out customer keeps only the opt-out itself: tier, segments and offer are deleted from Shopify.
  if (facts.shopper.optedOut) return { values: { opted_out: true }, decision: null };
  const decision = decideForCustomer(facts, offers, now);
  const segments = [...new Set(facts.shopper.segmentKeys)].sort();
  if (segments.length > LIST_METAFIELD_MAX_ITEMS)
    throw new RangeError(`${segments.length} segment keys; a list metafield holds ${LIST_METAFIELD_MAX_ITEMS}`);
  // Published so that Shopify can see them: a Cadence-created code's segment filters on them (app/publish/discounts/).
  const customSegments = [...new Set(facts.shopper.customSegmentIds.map(publishedCustomSegment))]
    .filter((key) => PUBLISHABLE_KEY.test(key))
    .sort();
  if (customSegments.length > LIST_METAFIELD_MAX_ITEMS)
    throw new RangeError(
      `${customSegments.length} custom segment keys; a list metafield holds ${LIST_METAFIELD_MAX_ITEMS}`,
    );
  const offer = !decision
    ? undefined
    : decision.arm === "holdout"
      ? holdoutOffer(decision.offer)
      : treatmentOffer(decision.offer, { tierName: facts.standing?.tierName, firstOrderAt: facts.firstOrderAt, now });
  const values = customerMetafieldValuesSchema.parse({
    ...tierMetafields(facts.standing, facts.currency),
    ...(segments.length > 0 ? { segments } : {}),
    ...(customSegments.length > 0 ? { custom_segments: customSegments } : {}),
    ...(offer ? { offer } : {}),
  });
  return { values, decision };
}

/** A visitor who is not logged in: the best live guests-or-everyone offer (never held out), or none. */
export function decideForGuest(shop: string, offers: readonly Offer[], now: Date): CustomerDecision | null {
  const shopper = { kind: "guest" } as const;
  const offer = chooseOffer(offers, shopper, now);
  if (!offer) return null;
  return { offer, arm: assignArm({ shop, offerId: offer.id, shopper, holdoutPercent: offer.holdoutPercent }) };
}

/** The shop metafield for visitors who are not logged in. */
export function guestOfferFor(shop: string, offers: readonly Offer[], now: Date): GuestOffer | null {
  const decision = decideForGuest(shop, offers, now);
  return decision ? guestOffer(decision.offer) : null;
}
