import { namedSegment } from "~/admin-data/segments.server";
import { parseSegmentKey } from "~/segments/segment-key";
import type { PrismaClient } from "@prisma/client";
import { loadSyncShop } from "~/ingest/backfill/sync-shop";
import { nativeSegmentName } from "~/publish/native-segments/query";
import {
  markNativeSegmentsPending,
  pendingNativeSegments,
  settledNativeSegments,
} from "~/publish/native-segments/records.server";
import { syncNativeSegment } from "~/publish/native-segments/sync.server";
import type { CurrentSegment } from "~/publish/native-segments/sync.server";
import { NotPublishedError } from "~/publish/segment-query";
import { ShopifySetupError } from "~/publish/shopify-segments.server";
import { isAdminApiError, NoShopifyStoreError } from "~/shopify-admin/errors";
import type { PublishJobDeps } from "./publish-jobs";
import { JOBS } from "~/queue/queue.server";
import { shopUsable } from "~/privacy/gone";

// Native Shopify segments for Cadence segments (app/publish/native-segments/): one job per segment after the merchant
// turns "Use in Shopify" on or off, and a sweep every minute for requests whose job was never sent, temporary failures
// due another try, and segments whose name changed or which no longer exist. As with Cadence-created codes
// (discount-jobs.ts), only failures that may pass are left to the queue's retries; a refusal waits for the merchant.

export interface NativeSegmentJob {
  shopId: string;
  segmentKey: string;
}

export const nativeSegmentJobKey = ({ shopId, segmentKey }: NativeSegmentJob) => `${shopId}:${segmentKey}`;

/** The Cadence segment a key names, as it is now (null: it no longer exists). */
async function currentSegment(prisma: PrismaClient, shopId: string, segmentKey: string): Promise<CurrentSegment> {
  const ref = parseSegmentKey(segmentKey);
  const named = ref ? await namedSegment(prisma, shopId, ref) : null;
  return ref && named ? { name: named.name, ref } : null;
}

export const nativeSegmentJobs = {
  async syncNativeSegment(deps: PublishJobDeps, job: NativeSegmentJob): Promise<void> {
    const shop = await loadSyncShop(deps.database.sql, job.shopId);
    if (!shop?.usable) return;
    try {
      const current = await currentSegment(deps.database.prisma, job.shopId, job.segmentKey);
      const outcome = await syncNativeSegment(
        deps.database.prisma,
        job.shopId,
        () => deps.access.clientFor(shop),
        job.segmentKey,
        current,
      );
      deps.log.info("native segment synced", { ...job, outcome });
    } catch (error) {
      deps.log.warn("native segment sync failed", {
        ...job,
        reason: error instanceof Error ? error.message : String(error),
      });
      const refusal =
        error instanceof ShopifySetupError ||
        error instanceof NotPublishedError ||
        error instanceof NoShopifyStoreError ||
        (isAdminApiError(error) && !error.retryLater);
      if (!refusal) throw error;
    }
  },

  /** Cron: pending requests, and segments renamed or gone since Shopify last heard. */
  async syncNativeSegmentsAll(deps: PublishJobDeps): Promise<number> {
    const { rows: shops } = await deps.database.sql.query<{ shopId: string }>(
      `SELECT DISTINCT n."shopId" FROM "NativeSegment" n JOIN "Shop" s ON s."id" = n."shopId" WHERE ${shopUsable("s")} AND n."enabled"`,
    );
    for (const { shopId } of shops) {
      const drifted: string[] = [];
      for (const row of await settledNativeSegments(deps.database.prisma, shopId)) {
        const current = await currentSegment(deps.database.prisma, shopId, row.segmentKey);
        if (!current || nativeSegmentName(current.name, row.segmentKey) !== row.shopifyName)
          drifted.push(row.segmentKey);
      }
      await markNativeSegmentsPending(deps.database.prisma, shopId, drifted);
    }
    const pending = await pendingNativeSegments(deps.database.sql);
    for (const job of pending)
      await deps.enqueue(JOBS.nativeSegmentSync, job, { singletonKey: nativeSegmentJobKey(job) });
    return pending.length;
  },
};
