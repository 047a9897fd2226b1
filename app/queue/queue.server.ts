import { PgBoss } from "pg-boss";
import { database } from "~/db.server";
import { logger } from "~/logging/logger";

// Durable background work in the app's own database, with pg-boss (docs/decisions/0006-job-queue-pg-boss.md): jobs
// survive a restart, and several app instances share them without a broker. This module only sends; app/jobs/workers.server.ts runs them.

export const JOBS = {
  /** After install: shop info, then the backfill. */
  shopSetup: "shop-setup",
  /** Start the backfill's bulk queries. */
  backfillStart: "backfill-start",
  /** Fallback for a lost bulk_operations/finish webhook. */
  bulkPoll: "bulk-poll",
  /** Download and import one finished bulk operation's JSONL file. */
  bulkImport: "bulk-import",
  /** Fetch refund details the bulk file cannot hold. */
  refundDetails: "refund-details",
  /** Cron: enqueue a reconciliation pass for every installed shop. */
  reconcileAll: "reconcile-all",
  /** One shop's reconciliation pass. */
  reconcileShop: "reconcile-shop",
  /** Cron: bring every shop's changed customers' profiles and segments up to date (the dirty-customer outbox). */
  profilesRefreshAll: "profiles-refresh-all",
  /** Cron: enqueue the nightly full segmentation pass for every installed shop. */
  fullPassAll: "full-pass-all",
  /** One shop's full pass: refit, re-rank, reclassify, write back (also on demand). */
  fullPass: "full-pass",
  /** At install: create the metafield definitions the theme extension reads. */
  defineMetafields: "define-metafields",
  /** Publish a shop's changed metafields (after a full pass or a refresh). */
  publish: "publish",
  /** Cron: queue publishing for shops with storefront-queued shoppers. */
  publishQueuedAll: "publish-queued-all",
  /** Publish only a shop's storefront-queued shoppers. */
  publishQueued: "publish-queued",
  /** Bring Shopify's segment and discount in line with one offer's Cadence-created code. */
  discountSync: "discount-sync",
  /** Cron: queue a discount sync for every offer whose change has not been synced. */
  discountSyncAll: "discount-sync-all",
  /** Carry out one privacy request (customers/redact, customers/data_request, shop/redact) in bounded batches. */
  privacyRequest: "privacy-request",
  /** Cron: queue a job for every privacy request still pending (the webhook's own nudge may have been lost). */
  privacyRequestsAll: "privacy-requests-all",
  /** Evaluate and send one shop's Shopify Flow triggers (app/publish/flow/). */
  flowDispatch: "flow-dispatch",
  /** Cron: queue a Flow dispatch for every shop with triggers waiting. */
  flowDispatchAll: "flow-dispatch-all",
  /** Bring Shopify's native segment in line with one Cadence segment used there ("Use in Shopify"). */
  nativeSegmentSync: "native-segment-sync",
  /** Cron: queue a native-segment sync for every request not yet synced, and every segment renamed or gone. */
  nativeSegmentSyncAll: "native-segment-sync-all",
} as const;

export type JobName = (typeof JOBS)[keyof typeof JOBS];

export interface ShopJob {
  shopId: string;
}

/**
 * A privacy request's job names the request only: its row outlives the shop in pg-boss's table (kept a while after
 * completion), where a shop's ID must not remain once the shop is redacted. Sent by queuePrivacyRequest.
 */
export interface PrivacyRequestJob {
  requestId: string;
}

/** Queues a privacy request's job; one already queued or running for it makes this a no-op (exclusive queue). */
export async function queuePrivacyRequest(requestId: string): Promise<void> {
  const boss = await jobQueue();
  const data: PrivacyRequestJob = { requestId };
  await boss.send(JOBS.privacyRequest, data, { singletonKey: requestId });
}

const SCHEMA = "pgboss";

const GLOBAL_KEY = Symbol.for("cadence.jobQueue");
type GlobalWithQueue = typeof globalThis & { [GLOBAL_KEY]?: Promise<PgBoss> };

/**
 * Privacy requests run long (a large shop's redaction: a minute or more) and must survive a dead worker: their jobs
 * send heartbeats (pg-boss does, while the handler runs), and one that misses them for PRIVACY_HEARTBEAT_SECONDS is
 * failed and retried, resuming after its last committed batch (app/privacy/batches.ts). pg-boss looks for such jobs
 * in its supervisor's pass over a queue, which runs at most every monitor interval (60 s by default): both are
 * shortened so a crashed redaction resumes within about half a minute, not after the hour-long expiry. (pg-boss's
 * minimum heartbeat is 10 s. A live job taken for dead runs twice at once, which batches.ts makes harmless.) The pass
 * also counts each queue's jobs, a small aggregate over pg-boss's table.
 */
const PRIVACY_HEARTBEAT_SECONDS = 10;
const SUPERVISE_SECONDS = 15;

async function openQueue(): Promise<PgBoss> {
  const boss = new PgBoss({
    ...database().jobQueueOptions,
    schema: SCHEMA,
    superviseIntervalSeconds: SUPERVISE_SECONDS,
    monitorIntervalSeconds: SUPERVISE_SECONDS,
  });
  boss.on("error", (error: Error) => logger().error("job queue error", { error: error.message }));
  await boss.start();
  // "exclusive": one queued-or-running job per singleton key (per shop, per bulk operation), so a repeated request
  // is dropped rather than run twice; every send to such a queue passes its key. Polls are plain ("standard"): a poll
  // queues its successor while it runs. A discount or native-segment sync is "stately": one queued and one running
  // per offer or segment, so a change made while its sync runs is synced after it. Failed jobs retry with back-off.
  for (const name of Object.values(JOBS)) {
    await boss.createQueue(name, {
      policy:
        name === JOBS.bulkPoll
          ? "standard"
          : name === JOBS.discountSync || name === JOBS.nativeSegmentSync
            ? "stately"
            : "exclusive",
      retryLimit: 5,
      retryDelay: 30,
      retryBackoff: true,
      expireInSeconds: 3600,
      // One request per job, retried soon after a failure; the sweep re-queues one that used up its retries.
      ...(name === JOBS.privacyRequest
        ? { heartbeatSeconds: PRIVACY_HEARTBEAT_SECONDS, retryDelay: 5, retryLimit: 10, expireInSeconds: 6 * 3600 }
        : {}),
    });
  }
  return boss;
}

/** The process's one queue client, started on first use (it creates pg-boss's schema the first time). */
export function jobQueue(): Promise<PgBoss> {
  const holder = globalThis as GlobalWithQueue;
  holder[GLOBAL_KEY] ??= openQueue().catch((error: unknown) => {
    delete holder[GLOBAL_KEY];
    throw error;
  });
  return holder[GLOBAL_KEY];
}

export async function stopJobQueue(): Promise<void> {
  const holder = globalThis as GlobalWithQueue;
  const running = holder[GLOBAL_KEY];
  delete holder[GLOBAL_KEY];
  if (running) await (await running).stop({ graceful: true, timeout: 10_000 });
}

export type Enqueue = (
  name: JobName,
  data: ShopJob & Record<string, unknown>,
  options?: { startAfterSeconds?: number; singletonKey?: string },
) => Promise<void>;

/** Queues a job on the process's queue client (pg-boss drops a duplicate of a job with the same singleton key). */
export const enqueue: Enqueue = async (name, data, options = {}) => {
  const boss = await jobQueue();
  await boss.send(name, data, {
    ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
    ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
  });
};
