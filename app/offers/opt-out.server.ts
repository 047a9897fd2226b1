import type { PrismaClient } from "@prisma/client";

// A shopper turning personalised offers off (or back on) from the storefront. The choice is stored, mirrored on
// the Customer row when Cadence has one, and queued for the publisher, which writes the opted_out metafield
// ahead of its regular pass (docs/storefront.md "Opt-out"). Choosing offers picks nothing for an opted-out
// shopper (app/offers/choose.ts), so the JSON endpoint and reports follow at once.

export async function setPersonalised(
  prisma: PrismaClient,
  shopId: string,
  customerId: string,
  personalised: boolean,
  now = new Date(),
): Promise<void> {
  const optedOut = !personalised;
  await prisma.$transaction([
    prisma.shopperOptOut.upsert({
      where: { shopId_customerShopifyId: { shopId, customerShopifyId: customerId } },
      create: { shopId, customerShopifyId: customerId, optedOut, changedAt: now },
      update: { optedOut, changedAt: now },
    }),
    prisma.customer.updateMany({
      where: { shopId, shopifyId: customerId },
      data: { optedOut, optedOutAt: optedOut ? now : null },
    }),
    prisma.publishQueueItem.upsert({
      where: { shopId_customerShopifyId: { shopId, customerShopifyId: customerId } },
      create: { shopId, customerShopifyId: customerId, reason: optedOut ? "opt_out" : "opt_in", enqueuedAt: now },
      update: { reason: optedOut ? "opt_out" : "opt_in", enqueuedAt: now },
    }),
  ]);
}

/** The customers among `customerIds` (or all, when omitted) who have opted out. */
export async function optedOutCustomers(
  prisma: PrismaClient,
  shopId: string,
  customerIds?: readonly string[],
): Promise<Set<string>> {
  const rows = await prisma.shopperOptOut.findMany({
    where: { shopId, optedOut: true, ...(customerIds ? { customerShopifyId: { in: [...customerIds] } } : {}) },
    select: { customerShopifyId: true },
  });
  return new Set(rows.map((row) => row.customerShopifyId));
}
