import type { PrismaClient } from "@prisma/client";
import { minorToDecimal } from "~/money/decimal";
import { customerMetafieldValues } from "~/offers/personalise";
import type { CustomerDecision, CustomerFacts } from "~/offers/personalise";
import { activeOffers } from "~/offers/store.server";
import { loadCustomerFacts } from "~/publish/audience.server";
import type { CustomerMetafieldValues } from "~/storefront-contract/metafields";

// The shoppers the local storefront preview can impersonate: a guest, and one customer for each case the storefront
// distinguishes (each tier, at risk, opted out, held out of their offer), found among the shop's customers with
// the same offer logic the publisher uses.

export interface PreviewShopper {
  customerId: string;
  /** Why this customer is in the list: "Gold", "At risk", "Opted out", "Holdout". */
  persona: string;
  orders: number;
  netSpend: string;
  lastOrderAt: string | null;
}

export interface PreviewShop {
  id: string;
  domain: string;
  currencyCode: string;
  shoppers: PreviewShopper[];
}

interface Candidate {
  facts: CustomerFacts;
  values: CustomerMetafieldValues;
  decision: CustomerDecision | null;
}

export async function previewShop(
  prisma: PrismaClient,
  shopDomain: string,
  now = new Date(),
): Promise<(PreviewShop & { candidates: Map<string, Candidate> }) | null> {
  const shop = await prisma.shop.findUnique({
    where: { domain: shopDomain },
    select: { id: true, domain: true, currencyCode: true },
  });
  if (!shop) return null;
  const [offers, facts] = await Promise.all([activeOffers(prisma, shop.id), loadCustomerFacts(prisma, shop)]);
  const candidates = new Map(
    facts.map((customer) => [
      customer.shopper.customerId,
      { facts: customer, ...customerMetafieldValues(customer, offers, now) },
    ]),
  );
  const personas: Array<[string, (candidate: Candidate) => boolean]> = [];
  const tiers = new Map<string, string>();
  for (const { facts: customer } of candidates.values())
    if (customer.standing) tiers.set(customer.standing.tierKey, customer.standing.tierName);
  const treated = (candidate: Candidate) => !candidate.facts.shopper.optedOut && candidate.decision?.arm !== "holdout";
  for (const [key, name] of tiers)
    personas.push([
      name,
      (candidate) =>
        treated(candidate) &&
        candidate.facts.shopper.tierKey === key &&
        candidate.decision?.offer.audience.kind === "tier",
    ]);
  personas.push([
    "At risk",
    (candidate) => treated(candidate) && candidate.facts.shopper.segmentKeys.includes("at_risk"),
  ]);
  personas.push(["Opted out", (candidate) => Boolean(candidate.facts.shopper.optedOut)]);
  personas.push(["Holdout", (candidate) => candidate.decision?.arm === "holdout"]);

  const chosen: Array<{ customerId: string; persona: string }> = [];
  for (const [persona, matches] of personas) {
    const found = [...candidates.values()].find(
      (candidate) =>
        matches(candidate) && !chosen.some((pick) => pick.customerId === candidate.facts.shopper.customerId),
    );
    if (found) chosen.push({ customerId: found.facts.shopper.customerId, persona });
  }
  const totals = await prisma.order.groupBy({
    by: ["customerShopifyId"],
    where: {
      shopId: shop.id,
      test: false,
      cancelledAt: null,
      customerShopifyId: { in: chosen.map((pick) => pick.customerId) },
    },
    _count: { _all: true },
    _sum: { netMinor: true },
    _max: { processedAt: true },
  });
  const byCustomer = new Map(totals.map((row) => [row.customerShopifyId, row]));
  return {
    ...shop,
    candidates,
    shoppers: chosen.map(({ customerId, persona }) => {
      const row = byCustomer.get(customerId);
      return {
        customerId,
        persona,
        orders: row?._count._all ?? 0,
        netSpend: minorToDecimal(row?._sum.netMinor ?? 0n, shop.currencyCode),
        lastOrderAt: row?._max.processedAt?.toISOString() ?? null,
      };
    }),
  };
}
