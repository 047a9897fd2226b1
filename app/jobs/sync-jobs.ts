import { isAdminApiError } from "~/shopify-admin/errors";
import type { AdminClient } from "~/shopify-admin/client";
import { SHOP_INFO } from "~/shopify-admin/operations/shop";
import type { Logger } from "~/logging/logger";
import { advanceBackfill } from "~/ingest/backfill/advance";
import { importBulkOperation } from "~/ingest/backfill/import-bulk";
import type { ImportOptions } from "~/ingest/backfill/import-bulk";
import { pollBulkOperation } from "~/ingest/backfill/poll-bulk";
import { fetchRefundDetails } from "~/ingest/backfill/refund-details";
import { startBackfill } from "~/ingest/backfill/start-backfill";
import { loadSyncShop, setBackfillState } from "~/ingest/backfill/sync-shop";
import type { SyncShop } from "~/ingest/backfill/sync-shop";
import type { Database } from "~/db.server";
import { NOW_UTC } from "~/database/sql-conventions";
import { recordShopInfo } from "~/ingest/install";
import { reconcileShop } from "~/ingest/reconcile/reconcile-shop";
import { JOBS } from "~/queue/queue.server";
import type { Enqueue } from "~/queue/queue.server";
import { shopUsable } from "~/privacy/gone";

// What each background job does, with everything it needs passed in: the database, Admin API access, a way to queue
// the next job. pg-boss runs them in production (workers.server.ts); tests call them directly, with the Admin API
// mocked. A job whose shop is gone or uninstalled ends at once: that is how app/uninstalled stops a shop's work.

export interface AdminAccess {
  /** An Admin client with the shop's offline token (refreshed when it expires). */
  clientFor(shop: SyncShop): Promise<AdminClient>;
}

export interface SyncJobDeps {
  database: Database;
  access: AdminAccess;
  enqueue: Enqueue;
  log: Logger;
  importOptions?: ImportOptions;
}

export interface BulkJobData {
  shopId: string;
  operationId: string;
  attempt?: number;
}

/** How long to wait before polling a running bulk operation again: 30 s, doubling, at most 10 minutes. */
export function pollDelaySeconds(attempt: number): number {
  return Math.min(600, 30 * 2 ** Math.max(0, attempt));
}

async function installedShop(deps: SyncJobDeps, shopId: string, job: string): Promise<SyncShop | null> {
  const shop = await loadSyncShop(deps.database.sql, shopId);
  if (!shop?.usable) {
    deps.log.info("sync job skipped: shop not installed", { job, shopId });
    return null;
  }
  return shop;
}

// A revoked token (401/403) cannot be retried into working: the shop uninstalled or withdrew a scope.
async function unlessUnauthorized<T>(
  deps: SyncJobDeps,
  shopId: string,
  work: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    if (!isAdminApiError(error, "unauthorized")) throw error;
    deps.log.warn("sync job stopped: Admin API access refused", { shopId, reason: error.message });
    await setBackfillState(deps.database.sql, shopId, "failed", error.message);
    return undefined;
  }
}

export const syncJobs = {
  /** After install: the shop's currency and time zone, then the backfill. */
  async shopSetup(deps: SyncJobDeps, { shopId }: { shopId: string }): Promise<void> {
    const shop = await installedShop(deps, shopId, JOBS.shopSetup);
    if (!shop) return;
    await unlessUnauthorized(deps, shopId, async () => {
      const client = await deps.access.clientFor(shop);
      const { shop: info } = await client.request(SHOP_INFO);
      await recordShopInfo(deps.database.sql, shopId, info);
      await deps.enqueue(JOBS.defineMetafields, { shopId }, { singletonKey: shopId });
      await deps.enqueue(JOBS.backfillStart, { shopId }, { singletonKey: shopId });
    });
  },

  async backfillStart(deps: SyncJobDeps, { shopId }: { shopId: string }): Promise<void> {
    const shop = await installedShop(deps, shopId, JOBS.backfillStart);
    if (!shop) return;
    await unlessUnauthorized(deps, shopId, async () => {
      const started = await startBackfill(deps.database.sql, await deps.access.clientFor(shop), shopId);
      for (const { operationId } of started) {
        await deps.enqueue(
          JOBS.bulkPoll,
          { shopId, operationId, attempt: 0 },
          { startAfterSeconds: pollDelaySeconds(0) },
        );
      }
    });
  },

  async bulkPoll(deps: SyncJobDeps, data: BulkJobData): Promise<void> {
    const shop = await installedShop(deps, data.shopId, JOBS.bulkPoll);
    if (!shop) return;
    await unlessUnauthorized(deps, data.shopId, async () => {
      const outcome = await pollBulkOperation(
        deps.database.sql,
        await deps.access.clientFor(shop),
        data.shopId,
        data.operationId,
      );
      if (outcome === "finished") {
        await deps.enqueue(
          JOBS.bulkImport,
          { shopId: data.shopId, operationId: data.operationId },
          { singletonKey: data.operationId },
        );
      } else if (outcome === "running") {
        const attempt = (data.attempt ?? 0) + 1;
        await deps.enqueue(JOBS.bulkPoll, { ...data, attempt }, { startAfterSeconds: pollDelaySeconds(attempt) });
      }
    });
  },

  async bulkImport(deps: SyncJobDeps, data: BulkJobData): Promise<void> {
    const shop = await installedShop(deps, data.shopId, JOBS.bulkImport);
    if (!shop) return;
    await unlessUnauthorized(deps, data.shopId, async () => {
      const outcome = await importBulkOperation(
        deps.database,
        await deps.access.clientFor(shop),
        data.shopId,
        data.operationId,
        deps.importOptions,
      );
      deps.log.info("bulk import", { shopId: data.shopId, operationId: data.operationId, outcome: outcome.status });
      if (outcome.status === "not-ready") {
        await deps.enqueue(JOBS.bulkPoll, { ...data, attempt: 0 }, { startAfterSeconds: pollDelaySeconds(0) });
      } else if (outcome.status === "imported") {
        await syncJobs.continueBackfill(deps, data.shopId);
      }
    });
  },

  async refundDetails(deps: SyncJobDeps, { shopId }: { shopId: string }): Promise<void> {
    const shop = await installedShop(deps, shopId, JOBS.refundDetails);
    if (!shop) return;
    await unlessUnauthorized(deps, shopId, async () => {
      const result = await fetchRefundDetails(deps.database, await deps.access.clientFor(shop), shopId);
      if (!result.stopped) await syncJobs.continueBackfill(deps, shopId);
    });
  },

  async continueBackfill(deps: SyncJobDeps, shopId: string): Promise<void> {
    const next = await advanceBackfill(deps.database.sql, shopId);
    if (next === "refund-details") await deps.enqueue(JOBS.refundDetails, { shopId }, { singletonKey: shopId });
    if (next === "completed") {
      deps.log.info("backfill completed", { shopId });
      // The whole history is in: fit the models and place every customer now rather than at the nightly pass (until
      // then RFM scores and predictions are missing), and that pass becomes the baseline segment movement counts from.
      await deps.enqueue(JOBS.fullPass, { shopId }, { singletonKey: shopId });
    }
  },

  /** The scheduled pass: one reconciliation job per installed shop whose backfill has completed. */
  async reconcileAll(deps: SyncJobDeps): Promise<number> {
    const { rows } = await deps.database.sql.query<{ shopId: string }>(
      `SELECT s."id" AS "shopId" FROM "Shop" s JOIN "SyncState" st ON st."shopId" = s."id"
       WHERE ${shopUsable("s")} AND st."backfillState" = 'completed' AND st."ordersReconciledTo" < ${NOW_UTC}`,
    );
    for (const { shopId } of rows) await deps.enqueue(JOBS.reconcileShop, { shopId }, { singletonKey: shopId });
    return rows.length;
  },

  async reconcileShop(deps: SyncJobDeps, { shopId }: { shopId: string }): Promise<void> {
    const shop = await installedShop(deps, shopId, JOBS.reconcileShop);
    if (!shop) return;
    await unlessUnauthorized(deps, shopId, async () => {
      const result = await reconcileShop(deps.database, await deps.access.clientFor(shop), shopId);
      deps.log.info("reconciliation pass", { shopId, ...result });
    });
  },
};
