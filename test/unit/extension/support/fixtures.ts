import { holdoutBucket } from "~/offers/holdout";
import { parseOffer } from "~/offers/model";
import type { Offer } from "~/offers/model";
import { customerMetafieldValues, guestOfferFor } from "~/offers/personalise";
import type { CustomerFacts } from "~/offers/personalise";
import type { ShopperStanding } from "~/offers/render-data";
import { CUSTOMER_IDENTITY } from "./storefront";

// A shop with three tiers, an at-risk win-back offer, a guest offer, and the shoppers the storefront tests render.

export const SHOP = "cadence-demo.myshopify.com";
export const NOW = new Date("2026-05-04T12:00:00Z");

const tierOffer = (tier: string, name: string, code: string): Offer =>
  parseOffer({
    id: `${tier}-members`,
    name: `${name} members`,
    audience: { kind: "tier", tierKey: tier },
    content: {
      headline: `${name} members: 15% off new arrivals`,
      body: "Ends Sunday.",
      ctaLabel: "Shop new arrivals",
      ctaUrl: "/collections/new",
    },
    discount: { kind: "cadence_code", code, value: { type: "percentage", percent: 15 } },
    priority: 5,
    status: "active",
  });

export const OFFERS: Offer[] = [
  tierOffer("bronze", "Bronze", "BRONZE15"),
  tierOffer("silver", "Silver", "SILVER15"),
  tierOffer("gold", "Gold", "GOLD15"),
  parseOffer({
    id: "win-back",
    name: "Win back at-risk customers",
    audience: { kind: "segment", segmentKey: "at_risk" },
    content: {
      headline: "We miss you: free delivery this week",
      ctaLabel: "See what’s new",
      ctaUrl: "/collections/all",
    },
    discount: { kind: "existing_code", code: "COMEBACK" },
    priority: 10,
    status: "active",
  }),
  parseOffer({
    id: "anniversary",
    name: "First-order anniversary",
    audience: { kind: "segment", segmentKey: "first_order_anniversary" },
    content: {
      headline: "Happy anniversary: a gift with your next order",
      ctaLabel: "Choose your gift",
      ctaUrl: "/pages/anniversary",
    },
    priority: 20,
    status: "active",
  }),
  parseOffer({
    id: "welcome",
    name: "Welcome offer",
    audience: { kind: "guests" },
    content: {
      headline: "10% off your first order",
      body: "Sign up and save.",
      ctaLabel: "Create an account",
      ctaUrl: "/account/register",
    },
    discount: { kind: "existing_code", code: "WELCOME10" },
    status: "active",
  }),
];

export const STANDINGS: Record<"bronze" | "silver" | "gold", ShopperStanding> = {
  bronze: { tierKey: "bronze", tierName: "Bronze", next: { tierName: "Silver", remainingSpendMinor: 6000 } },
  silver: {
    tierKey: "silver",
    tierName: "Silver",
    next: { tierName: "Gold", remainingSpendMinor: 4000, remainingOrders: 2 },
  },
  gold: { tierKey: "gold", tierName: "Gold" },
};

/** The first customer ID (counting up from the identity's) whose bucket puts them in the offer's holdout. */
export function holdoutCustomerId(offer: Offer): string {
  for (let id = BigInt(CUSTOMER_IDENTITY.id); ; id += 1n) {
    if (holdoutBucket(SHOP, offer.id, String(id)) < offer.holdoutPercent * 100) return String(id);
  }
}

/** The first customer ID whose bucket puts them in the offer's treatment arm. */
export function treatmentCustomerId(offer: Offer): string {
  for (let id = BigInt(CUSTOMER_IDENTITY.id); ; id += 1n) {
    if (holdoutBucket(SHOP, offer.id, String(id)) >= offer.holdoutPercent * 100) return String(id);
  }
}

export function offerById(id: string): Offer {
  const offer = OFFERS.find((candidate) => candidate.id === id);
  if (!offer) throw new Error(`no fixture offer ${id}`);
  return offer;
}

export interface ShopperSetup {
  customerId: string;
  tier?: keyof typeof STANDINGS;
  standing?: ShopperStanding | null;
  segments?: string[];
  optedOut?: boolean;
  firstOrderAt?: Date;
  offers?: Offer[];
}

/** What Cadence would publish on this customer, from the fixture offers. */
export function published(setup: ShopperSetup) {
  const standing = setup.standing !== undefined ? setup.standing : setup.tier ? STANDINGS[setup.tier] : null;
  const facts: CustomerFacts = {
    shop: SHOP,
    shopper: {
      kind: "customer",
      customerId: setup.customerId,
      tierKey: standing?.tierKey,
      segmentKeys: setup.segments ?? [],
      customSegmentIds: [],
      optedOut: setup.optedOut,
    },
    standing,
    currency: "GBP",
    firstOrderAt: setup.firstOrderAt,
  };
  return customerMetafieldValues(facts, setup.offers ?? OFFERS, NOW);
}

export const GUEST_OFFER = guestOfferFor(SHOP, OFFERS, NOW);
