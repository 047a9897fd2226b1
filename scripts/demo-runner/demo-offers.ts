import type { PrismaClient } from "@prisma/client";
import type { OfferInput } from "../../app/offers/model.ts";
import { setPersonalised } from "../../app/offers/opt-out.server.ts";
import { createOffer, getOffer } from "../../app/offers/store.server.ts";
import { getLoyaltyProgram } from "../../app/recompute/loyalty.server.ts";

// The demo shop's offers: one per loyalty tier, a win-back offer for at-risk customers (higher priority), and a
// welcome offer for guests, each with the default 10% holdout (guests: none). Created once; a merchant's edits in
// a later session are kept. One demo customer has turned personalised offers off, so the preview can show it.

export async function ensureDemoOffers(prisma: PrismaClient, shopId: string): Promise<number> {
  const loyalty = await getLoyaltyProgram(prisma, shopId);
  const offers: Array<OfferInput & { id: string }> = [
    ...(loyalty?.program.tiers ?? []).map((tier) => ({
      id: `${tier.id}-members`,
      name: `${tier.name} members`,
      audience: { kind: "tier" as const, tierKey: tier.id },
      content: {
        headline: `${tier.name} members: 15% off new arrivals`,
        body: "This week only.",
        ctaLabel: "Shop new arrivals",
        ctaUrl: "/collections/new",
      },
      discount: { kind: "existing_code" as const, code: `${tier.id.toUpperCase()}15` },
      priority: 5,
      status: "active" as const,
    })),
    {
      id: "win-back",
      name: "Win back at-risk customers",
      audience: { kind: "segment", segmentKey: "at_risk" },
      content: {
        headline: "We miss you: free delivery this week",
        ctaLabel: "See what's new",
        ctaUrl: "/collections/all",
      },
      discount: { kind: "existing_code", code: "COMEBACK" },
      priority: 10,
      status: "active",
    },
    {
      id: "welcome",
      name: "Welcome offer",
      audience: { kind: "guests" },
      content: {
        headline: "10% off your first order",
        body: "Create an account and save.",
        ctaLabel: "Create an account",
        ctaUrl: "/account/register",
      },
      discount: { kind: "existing_code", code: "WELCOME10" },
      status: "active",
    },
  ];
  let created = 0;
  for (const offer of offers) {
    if (await getOffer(prisma, shopId, offer.id)) continue;
    const result = await createOffer(prisma, shopId, offer);
    if (!result.ok) throw new Error(`demo offer ${offer.id}: ${JSON.stringify(result.errors)}`);
    created += 1;
  }
  if (created > 0) {
    const someone = await prisma.customerProfile.findFirst({
      where: { shopId, lifecycle: "active" },
      orderBy: { customerShopifyId: "desc" },
      select: { customerShopifyId: true },
    });
    if (someone) await setPersonalised(prisma, shopId, someone.customerShopifyId, false);
  }
  return created;
}
