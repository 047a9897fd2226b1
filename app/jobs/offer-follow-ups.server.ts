import type { PrismaClient } from "@prisma/client";
import { hasPendingDiscount } from "~/offers/discount-records.server";
import { discountJobKey } from "./discount-jobs";
import { enqueue, JOBS } from "~/queue/queue.server";

/**
 * After the merchant changes an offer: the storefront's metafields are republished, and an offer whose
 * Cadence-created code must change in Shopify gets its discount sync (which republishes again once the code is ready).
 */
export async function queueOfferFollowUps(prisma: PrismaClient, shopId: string, offerId: string): Promise<void> {
  await enqueue(JOBS.publish, { shopId }, { singletonKey: shopId });
  if (await hasPendingDiscount(prisma, shopId, offerId))
    await enqueue(JOBS.discountSync, { shopId, offerId }, { singletonKey: discountJobKey({ shopId, offerId }) });
}
