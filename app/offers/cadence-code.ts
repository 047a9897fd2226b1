import type { Offer } from "./model";

// A Cadence-created code is shown only while Shopify's discount matches the offer (docs/storefront.md,
// "Cadence-created codes"). These rules decide, when an offer changes, whether the code it carries stays valid
// until the discount job has told Shopify, or must wait for it. Pure.

/** Is either version of the offer one whose discount Cadence manages in Shopify? */
export function involvesCadenceCode(before: Offer | null, after: Offer | null): boolean {
  return before?.discount.kind === "cadence_code" || after?.discount.kind === "cadence_code";
}

/**
 * Would a shopper shown `after` with the current code get something Shopify does not give yet? True when who may
 * redeem it (audience), what it takes off (value, minimum, once per customer) or when it runs (schedule) changed,
 * or when the offer was just activated (a paused offer's discount is deactivated in Shopify).
 */
export function redemptionChanged(before: Offer, after: Offer): boolean {
  if (before.discount.kind !== "cadence_code" || after.discount.kind !== "cadence_code") return true;
  if (after.status === "active" && before.status !== "active") return true;
  const terms = (offer: Offer) => {
    const discount = offer.discount as Extract<Offer["discount"], { kind: "cadence_code" }>;
    return JSON.stringify([
      offer.audience,
      discount.value,
      discount.minimumSubtotalMinor,
      discount.oncePerCustomer,
      offer.startsAt?.getTime() ?? null,
      offer.endsAt?.getTime() ?? null,
    ]);
  };
  return terms(before) !== terms(after);
}

/**
 * `after` with the code it may carry: the stored code when nothing a shopper could redeem changed, otherwise none
 * (the offer waits for the discount job). Merchants never set a Cadence-created code themselves.
 */
export function withCarriedCode(before: Offer | null, after: Offer): Offer {
  if (after.discount.kind !== "cadence_code") return after;
  const carried =
    before && before.discount.kind === "cadence_code" && !redemptionChanged(before, after)
      ? before.discount.code
      : null;
  return { ...after, discount: { ...after.discount, code: carried } };
}
