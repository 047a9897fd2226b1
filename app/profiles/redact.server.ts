import type { Prisma } from "@prisma/client";

// customers/redact: every segmentation row about the customer goes, history included. Called from the
// compliance handler inside the webhook's transaction. (shop/redact deletes the shop row; these tables cascade.)

export async function redactCustomerSegmentation(tx: Prisma.TransactionClient, shopId: string, customerShopifyId: string): Promise<void> {
  const where = { shopId, customerShopifyId };
  await tx.customerProfile.deleteMany({ where });
  await tx.loyaltyStatus.deleteMany({ where });
  await tx.tierChange.deleteMany({ where });
  await tx.tierOverride.deleteMany({ where });
  await tx.segmentMembership.deleteMany({ where });
  await tx.segmentTransition.deleteMany({ where });
}

/** customers/data_request: what segmentation holds about the customer, for the merchant to hand over. */
export async function customerSegmentationData(tx: Prisma.TransactionClient, shopId: string, customerShopifyId: string) {
  const where = { shopId, customerShopifyId };
  // One query at a time: a transaction is one connection.
  const profile = await tx.customerProfile.findUnique({ where: { shopId_customerShopifyId: where } });
  const loyaltyStatus = await tx.loyaltyStatus.findUnique({ where: { shopId_customerShopifyId: where } });
  const tierHistory = await tx.tierChange.findMany({ where, orderBy: { id: "asc" } });
  const tierOverrides = await tx.tierOverride.findMany({ where, orderBy: { id: "asc" } });
  const memberships = await tx.segmentMembership.findMany({ where, orderBy: { id: "asc" } });
  return { profile, loyaltyStatus, tierHistory, tierOverrides, memberships };
}
