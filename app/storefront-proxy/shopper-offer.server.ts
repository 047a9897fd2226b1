import type { PrismaClient } from "@prisma/client";
import { customerMetafieldValues, guestOfferFor } from "~/offers/personalise";
import { activeOffers } from "~/offers/store.server";
import { loadCustomerFacts, type PublishShop } from "~/publish/audience.server";
import type { CustomerMetafieldValues, GuestOffer } from "~/publish/contract";

// GET /apps/cadence/offer: the same values the publisher writes to the shopper's metafields, computed now, for
// themes that render with their own script. A held-out shopper gets the holdout document (offer ID only).

export type ShopperOffer = { shopper: "guest"; offer: GuestOffer | null } | ({ shopper: "customer" } & CustomerMetafieldValues);

export async function shopperOffer(prisma: PrismaClient, shop: PublishShop, customerId: string | null, now = new Date()): Promise<ShopperOffer> {
  const offers = await activeOffers(prisma, shop.id);
  if (!customerId) return { shopper: "guest", offer: guestOfferFor(offers, now) };
  const [facts] = await loadCustomerFacts(prisma, shop, [customerId]);
  if (!facts) throw new Error(`no facts for customer ${customerId}`);
  return { shopper: "customer", ...customerMetafieldValues(facts, offers, now).values };
}
