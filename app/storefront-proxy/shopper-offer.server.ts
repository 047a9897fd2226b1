import type { PrismaClient } from "@prisma/client";
import { customerMetafieldValues, guestOfferFor } from "~/offers/personalise";
import { activeOffers } from "~/offers/store.server";
import type { Offer } from "~/offers/model";
import { loadCustomerFacts, shopProgram, type PublishShop } from "~/publish/audience.server";
import type { LoyaltyProgram } from "~/segments/tiers/program";
import { storefrontReadable, type CustomerMetafieldValues, type GuestOffer } from "~/publish/contract";

// GET /apps/cadence/offer: the same values the publisher writes to the shopper's metafields (those the storefront may
// read), computed now, for themes that render with their own script. A held-out shopper gets the holdout document
// (offer ID only).

export type ShopperOffer = { shopper: "guest"; offer: GuestOffer | null } | ({ shopper: "customer" } & CustomerMetafieldValues);

// The shop's offers and loyalty program change when the merchant edits them; the storefront asks constantly. A few
// seconds' delay is invisible next to publishing's, and halves this endpoint's queries.
const SHOP_INPUTS_MS = 5_000;
const shopInputs = new Map<string, { at: number; inputs: Promise<{ offers: Offer[]; program: LoyaltyProgram | null }> }>();

function cachedShopInputs(prisma: PrismaClient, shopId: string) {
  const cached = shopInputs.get(shopId);
  if (cached && Date.now() - cached.at < SHOP_INPUTS_MS) return cached.inputs;
  const inputs = Promise.all([activeOffers(prisma, shopId), shopProgram(prisma, shopId)]).then(([offers, program]) => ({ offers, program }));
  shopInputs.set(shopId, { at: Date.now(), inputs });
  inputs.catch(() => shopInputs.delete(shopId));
  return inputs;
}

export async function shopperOffer(prisma: PrismaClient, shop: PublishShop, customerId: string | null, now = new Date()): Promise<ShopperOffer> {
  const { offers, program } = await cachedShopInputs(prisma, shop.id);
  if (!customerId) return { shopper: "guest", offer: guestOfferFor(offers, now) };
  const [facts] = await loadCustomerFacts(prisma, shop, [customerId], { program });
  // None: the customer's redaction began after the request was let in (app/privacy/gone.ts); answered as a guest.
  if (!facts) return { shopper: "guest", offer: guestOfferFor(offers, now) };
  return { shopper: "customer", ...storefrontReadable(customerMetafieldValues(facts, offers, now).values) };
}
