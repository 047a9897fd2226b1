import { parseOffer } from "~/offers/model";
import type { Offer, OfferInput } from "~/offers/model";

// Small offer builder for the offer-logic tests: a valid active offer for everyone unless told otherwise.
export function offer(overrides: Partial<OfferInput> & { id: string }): Offer {
  return parseOffer({
    name: overrides.id,
    audience: { kind: "everyone" },
    content: { headline: `Offer ${overrides.id}`, ctaLabel: "Shop", ctaUrl: "/collections/all" },
    status: "active",
    ...overrides,
  });
}

export const customer = (
  customerId: string,
  extra: { tierKey?: string; segmentKeys?: string[]; customSegmentIds?: string[]; optedOut?: boolean } = {},
) => ({
  kind: "customer" as const,
  customerId,
  segmentKeys: [],
  customSegmentIds: [],
  ...extra,
});
