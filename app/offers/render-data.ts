import {
  CONTRACT_VERSION,
  guestOfferSchema,
  treatmentOfferSchema,
  liquidMoneyCents,
} from "~/storefront-contract/metafields";
import type {
  CustomerMetafieldValues,
  GuestOffer,
  HoldoutOffer,
  OfferReason,
  ReasonKey,
  TreatmentOffer,
} from "~/storefront-contract/metafields";
import { discountCode } from "./model";
import type { Audience, Offer } from "./model";

// Turns a chosen offer into the render data of the published-data contract (app/storefront-contract/metafields.ts): the
// reason line's key and parameters, the content, and the shopper's progress to their next tier.

/** Built-in segments with a reason sentence of their own; any other segment key gets the generic "segment". */
export const SEGMENT_REASONS: Readonly<Record<string, ReasonKey>> = {
  at_risk: "at_risk",
  lapsed: "lapsed",
  lost: "lost",
  high_value_at_risk: "high_value_at_risk",
  unhappy: "unhappy",
  post_purchase_upsell: "post_purchase_upsell",
  // app/segments names the post-purchase window "upsell_window".
  upsell_window: "post_purchase_upsell",
  first_order_anniversary: "first_order_anniversary",
  seasonal_buyer: "seasonal_buyer",
};

export interface ReasonContext {
  /** Display name of the shopper's current tier (needed for tier audiences). */
  tierName?: string;
  /** The shopper's first order, for the anniversary reason's year count. */
  firstOrderAt?: Date;
  now: Date;
}

export function reasonFor(audience: Audience, context: ReasonContext): OfferReason {
  switch (audience.kind) {
    case "tier":
      if (!context.tierName)
        throw new Error(`a tier offer's reason needs the shopper's tier name (tier ${audience.tierKey})`);
      return { key: "tier_member", params: { tier: context.tierName } };
    case "segment": {
      const key = SEGMENT_REASONS[audience.segmentKey] ?? "segment";
      if (key !== "first_order_anniversary") return { key, params: {} };
      const years = context.firstOrderAt ? wholeYearsBetween(context.firstOrderAt, context.now) : 0;
      return years >= 1 ? { key, params: { count: years } } : { key: "segment", params: {} };
    }
    case "custom_segment":
      return { key: "custom_segment", params: {} };
    case "everyone":
      return { key: "everyone", params: {} };
    case "guests":
      return { key: "guest", params: {} };
  }
}

/** Completed years from `from` to `to`, by calendar date in UTC (29 February counts from 1 March in other years). */
export function wholeYearsBetween(from: Date, to: Date): number {
  let years = to.getUTCFullYear() - from.getUTCFullYear();
  const anniversary = Date.UTC(
    to.getUTCFullYear(),
    from.getUTCMonth(),
    from.getUTCDate(),
    from.getUTCHours(),
    from.getUTCMinutes(),
    from.getUTCSeconds(),
  );
  if (to.getTime() < anniversary) years -= 1;
  return Math.max(0, years);
}

function content(offer: Offer, reason: OfferReason) {
  const code = discountCode(offer);
  return {
    v: CONTRACT_VERSION,
    offer_id: offer.id,
    headline: offer.content.headline,
    ...(offer.content.body ? { body: offer.content.body } : {}),
    cta: { label: offer.content.ctaLabel, url: offer.content.ctaUrl },
    ...(offer.content.image ? { image: offer.content.image } : {}),
    ...(code ? { discount_code: code } : {}),
    reason,
  };
}

export function treatmentOffer(offer: Offer, context: ReasonContext): TreatmentOffer {
  return treatmentOfferSchema.parse({ ...content(offer, reasonFor(offer.audience, context)), holdout: false });
}

/** A holdout shopper's render data carries the offer id (for the exposure beacon) and nothing of its content. */
export function holdoutOffer(offer: Offer): HoldoutOffer {
  return { v: CONTRACT_VERSION, offer_id: offer.id, holdout: true };
}

/** The shop-wide offer for visitors who are not logged in (a guests or everyone audience). */
export function guestOffer(offer: Offer): GuestOffer {
  if (offer.audience.kind !== "guests" && offer.audience.kind !== "everyone")
    throw new Error(`offer ${offer.id} is not for guests`);
  return guestOfferSchema.parse(
    content(offer, { key: offer.audience.kind === "guests" ? "guest" : "everyone", params: {} }),
  );
}

/** What the storefront shows of where a shopper stands in the loyalty programme (app/publish/audience.server.ts). */
export interface ShopperStanding {
  tierKey: string;
  tierName: string;
  /** Absent at the top tier. A tier is reached by spend or by orders; either or both may be given. */
  next?: { tierName: string; remainingSpendMinor?: number; remainingOrders?: number };
}

type TierMetafields = Pick<
  CustomerMetafieldValues,
  "tier" | "tier_name" | "next_tier_name" | "next_tier_spend_cents" | "next_tier_orders"
>;

export function tierMetafields(standing: ShopperStanding | null, currency: string): TierMetafields {
  if (!standing) return {};
  const values: TierMetafields = { tier: standing.tierKey, tier_name: standing.tierName };
  const next = standing.next;
  if (!next) return values;
  // next_tier_name is present whenever there is a next tier (the storefront reads its absence as "top tier");
  // what is still needed is published only while something is.
  const spend =
    next.remainingSpendMinor && next.remainingSpendMinor > 0
      ? liquidMoneyCents(next.remainingSpendMinor, currency)
      : undefined;
  const orders = next.remainingOrders && next.remainingOrders > 0 ? next.remainingOrders : undefined;
  return { ...values, next_tier_name: next.tierName, next_tier_spend_cents: spend, next_tier_orders: orders };
}
