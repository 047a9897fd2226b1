import type { Prisma } from "@prisma/client";

// customers/redact: every offers row about the customer goes (events, assignments, opt-out, published values,
// queue entry). Guests' events carry no customer and are kept. Called from the compliance handler inside the
// webhook's transaction; shop/redact deletes the shop row, and these tables cascade.

export async function redactCustomerOffers(tx: Prisma.TransactionClient, shopId: string, customerShopifyId: string): Promise<void> {
  const where = { shopId, customerShopifyId };
  await tx.offerEvent.deleteMany({ where });
  await tx.offerAssignment.deleteMany({ where });
  await tx.shopperOptOut.deleteMany({ where });
  await tx.publishQueueItem.deleteMany({ where });
  await tx.publishedMetafields.deleteMany({ where: { shopId, owner: `customer:${customerShopifyId}` } });
}

/** customers/data_request: what the offers hold about the customer, for the merchant to hand over. */
export async function customerOffersData(tx: Prisma.TransactionClient, shopId: string, customerShopifyId: string) {
  const where = { shopId, customerShopifyId };
  // One query at a time: a transaction is one connection.
  const optOut = await tx.shopperOptOut.findUnique({ where: { shopId_customerShopifyId: where }, select: { optedOut: true, changedAt: true } });
  const assignments = await tx.offerAssignment.findMany({ where, select: { offerId: true, arm: true, assignedAt: true }, orderBy: { assignedAt: "asc" } });
  const events = await tx.offerEvent.findMany({ where, select: { offerId: true, type: true, arm: true, surface: true, occurredAt: true }, orderBy: { id: "asc" } });
  const published = await tx.publishedMetafields.findUnique({ where: { shopId_owner: { shopId, owner: `customer:${customerShopifyId}` } }, select: { values: true, publishedAt: true } });
  return { optOut, assignments, events, published };
}
