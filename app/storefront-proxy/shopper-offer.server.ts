import type { PrismaClient } from "@prisma/client";
import type { ServerDecision } from "~/offers/beacon";
import { customerMetafieldValues, decideForGuest, guestOfferFor } from "~/offers/personalise";
import { activeOffers } from "~/offers/store.server";
import type { Offer } from "~/offers/model";
import type { Database } from "~/db.server";
import { loadOneCustomerFacts, shopProgram } from "~/publish/audience.server";
import type { PublishShop } from "~/publish/audience.server";
import type { LoyaltyProgram } from "~/segments/tiers/program";
import { storefrontReadable } from "~/storefront-contract/metafields";
import type { CustomerMetafieldValues, GuestOffer } from "~/storefront-contract/metafields";

// GET /apps/cadence/offer: the same values the publisher writes to the shopper's metafields (those the storefront may
// read), computed now, for themes that render with their own script. A held-out shopper gets the holdout document
// (offer ID only). POST /apps/cadence/events checks each beacon against the same decision (shopperDecision).

export type ShopperOffer =
  { shopper: "guest"; offer: GuestOffer | null } | ({ shopper: "customer" } & CustomerMetafieldValues);

// The shop's offers and loyalty program change when the merchant edits them; the storefront asks constantly. A few
// seconds' delay is invisible next to publishing's, and halves this endpoint's queries.
const SHOP_INPUTS_MS = 5_000;
const shopInputs = new Map<
  string,
  { at: number; inputs: Promise<{ offers: Offer[]; program: LoyaltyProgram | null }> }
>();

function cachedShopInputs(prisma: PrismaClient, shopId: string) {
  const cached = shopInputs.get(shopId);
  if (cached && Date.now() - cached.at < SHOP_INPUTS_MS) return cached.inputs;
  const inputs = Promise.all([activeOffers(prisma, shopId), shopProgram(prisma, shopId)]).then(([offers, program]) => ({
    offers,
    program,
  }));
  shopInputs.set(shopId, { at: Date.now(), inputs });
  inputs.catch(() => shopInputs.delete(shopId));
  return inputs;
}

/** `database`: the app's (app/db.server.ts): Prisma for the shop's offers and program, its SQL executor for the shopper. */
type ShopperDatabase = Pick<Database, "prisma" | "sql">;

export async function shopperOffer(
  database: ShopperDatabase,
  shop: PublishShop,
  customerId: string | null,
  now = new Date(),
): Promise<ShopperOffer> {
  const { offers, program } = await cachedShopInputs(database.prisma, shop.id);
  if (!customerId) return { shopper: "guest", offer: guestOfferFor(shop.domain, offers, now) };
  const facts = await loadOneCustomerFacts(database.sql, shop, customerId, program);
  return { shopper: "customer", ...storefrontReadable(customerMetafieldValues(facts, offers, now).values) };
}

/**
 * The offer and arm the shopper is shown now, decided as the publisher decides them (the same functions, on the same
 * profile, opt-out and offers), or null when they are shown none (an opted-out customer, no offer for them).
 */
export async function shopperDecision(
  database: ShopperDatabase,
  shop: PublishShop,
  customerId: string | null,
  now = new Date(),
): Promise<ServerDecision | null> {
  const { offers, program } = await cachedShopInputs(database.prisma, shop.id);
  if (!customerId) return decideForGuest(shop.domain, offers, now);
  return customerMetafieldValues(await loadOneCustomerFacts(database.sql, shop, customerId, program), offers, now)
    .decision;
}
