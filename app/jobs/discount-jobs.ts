import { loadSyncShop } from "~/ingest/backfill/sync-shop";
import { pendingDiscounts } from "~/offers/discount-records.server";
import { ShopifySetupError } from "~/publish/shopify-segments.server";
import { syncOfferDiscount } from "~/publish/discounts/sync.server";
import { isAdminApiError, NoShopifyStoreError } from "~/shopify-admin/errors";
import type { PublishJobDeps } from "./publish-jobs";
import { JOBS } from "~/queue/queue.server";

// Cadence-created codes in Shopify (app/publish/discounts/): one job per offer after each change that involves such
// a code, and a sweep every minute for changes whose job was never sent. A failure is stored on the offer's row and
// shown on its page; only failures that may pass (network, throttling, Shopify's 5xx) are left to the queue's
// retries. The others wait for the merchant: a change to the offer, or Retry.

export interface OfferJob {
  shopId: string;
  offerId: string;
}

/** One queued-or-running sync per offer (the queue is "stately": a change made during a run is queued behind it). */
export const discountJobKey = ({ shopId, offerId }: OfferJob) => `${shopId}:${offerId}`;

export const discountJobs = {
  async syncDiscount(deps: PublishJobDeps, job: OfferJob): Promise<void> {
    const shop = await loadSyncShop(deps.database.sql, job.shopId);
    if (!shop?.usable) return;
    const row = await deps.database.prisma.shop.findUniqueOrThrow({
      where: { id: job.shopId },
      select: { id: true, currencyCode: true },
    });
    try {
      const outcome = await syncOfferDiscount(
        deps.database.prisma,
        row,
        () => deps.access.clientFor(shop),
        job.offerId,
      );
      deps.log.info("offer discount synced", { ...job, outcome });
      // The offer can now be shown (or no longer is): the storefront's metafields follow.
      if (outcome !== "idle") await deps.enqueue(JOBS.publish, { shopId: job.shopId }, { singletonKey: job.shopId });
    } catch (error) {
      deps.log.warn("offer discount sync failed", {
        ...job,
        reason: error instanceof Error ? error.message : String(error),
      });
      // A refusal (Shopify's userErrors, revoked access, the offer's own setup) is stored and shown: retrying the
      // same request cannot help. So is a shop with no Shopify store (the demo's), which the minute sweep retries.
      // Anything else goes back to the queue, which retries with back-off.
      const refusal =
        error instanceof ShopifySetupError ||
        error instanceof NoShopifyStoreError ||
        (isAdminApiError(error) && !error.retryLater);
      if (!refusal) throw error;
    }
  },

  async syncDiscountsAll(deps: PublishJobDeps): Promise<number> {
    const pending = await pendingDiscounts(deps.database.sql);
    for (const job of pending) await deps.enqueue(JOBS.discountSync, job, { singletonKey: discountJobKey(job) });
    return pending.length;
  },
};
