import type { Job, PgBoss } from "pg-boss";
import { database } from "~/db.server";
import { logger } from "~/logging/logger";
import { enqueue, jobQueue, JOBS, stopJobQueue } from "~/queue/queue.server";
import type { JobName } from "~/queue/queue.server";
import { config } from "~/config.server";
import { runForShop } from "./shop-job-status";
import { discountJobs } from "./discount-jobs";
import { privacyJobs } from "./privacy-jobs";
import type { PrivacyJobDeps } from "./privacy-jobs";
import { flowJobs } from "./flow-jobs";
import type { FlowJobDeps } from "./flow-jobs";
import { nativeSegmentJobs } from "./native-segment-jobs";
import { publishJobs } from "./publish-jobs";
import type { PublishJobDeps } from "./publish-jobs";
import { segmentJobs } from "./segment-jobs";
import type { SegmentJobDeps } from "./segment-jobs";
import { syncJobs } from "./sync-jobs";
import type { AdminAccess, SyncJobDeps } from "./sync-jobs";

// Runs the sync jobs in this process with pg-boss: every app instance works the shared queue (jobs are claimed with
// SKIP LOCKED, so each runs once), and the reconciliation pass is scheduled with pg-boss's cron, which fires once per
// schedule however many instances there are. A cron that covers every shop queues one job per shop (or, for the
// profile refresh, runs each shop on its own), so one shop's failure never stops another's; each per-shop job's
// outcome is recorded on its shop's sync status (shop-job-status.ts) and a failed one is retried by the queue.

/** Every 15 minutes: well inside Shopify's 4 hours of webhook retries, cheap when nothing was missed. */
export const RECONCILE_CRON = "*/15 * * * *";
/** Every minute: changed customers' profiles and segments follow their orders within about a minute. */
export const PROFILES_REFRESH_CRON = "* * * * *";
/** Nightly at 03:00 UTC: refit, re-rank and reclassify every shop. */
export const FULL_PASS_CRON = "0 3 * * *";
/** Every minute: an opt-out reaches the storefront's metafields within about a minute. */
export const PUBLISH_QUEUED_CRON = "* * * * *";
/** Every minute: an offer change whose discount job was never sent is synced within about a minute. */
export const DISCOUNT_SYNC_CRON = "* * * * *";
/** Every minute: a privacy request whose job was never queued (or gave up) is queued within about a minute. */
export const PRIVACY_REQUESTS_CRON = "* * * * *";
/** Every minute: a tier change or segment move reaches Shopify Flow within about a minute. */
export const FLOW_DISPATCH_CRON = "* * * * *";
/** Every minute: a "Use in Shopify" request whose job was never sent, or a renamed segment, reaches Shopify within a minute. */
export const NATIVE_SEGMENT_SYNC_CRON = "* * * * *";

type Deps = SyncJobDeps & SegmentJobDeps & PublishJobDeps & FlowJobDeps & PrivacyJobDeps;
type Handler = (deps: Deps, data: never) => Promise<unknown>;

const HANDLERS: Record<JobName, Handler> = {
  [JOBS.shopSetup]: syncJobs.shopSetup,
  [JOBS.backfillStart]: syncJobs.backfillStart,
  [JOBS.bulkPoll]: syncJobs.bulkPoll,
  [JOBS.bulkImport]: syncJobs.bulkImport,
  [JOBS.refundDetails]: syncJobs.refundDetails,
  [JOBS.reconcileAll]: (deps) => syncJobs.reconcileAll(deps),
  [JOBS.reconcileShop]: syncJobs.reconcileShop,
  [JOBS.profilesRefreshAll]: (deps) => segmentJobs.profilesRefreshAll(deps),
  [JOBS.fullPassAll]: (deps) => segmentJobs.fullPassAll(deps),
  [JOBS.fullPass]: segmentJobs.fullPass,
  [JOBS.defineMetafields]: publishJobs.defineMetafields,
  [JOBS.publish]: publishJobs.publish,
  [JOBS.publishQueuedAll]: (deps) => publishJobs.publishQueuedAll(deps),
  [JOBS.publishQueued]: (deps, data: { shopId: string }) =>
    publishJobs.publish(deps, { shopId: data.shopId, queuedOnly: true }),
  [JOBS.discountSync]: discountJobs.syncDiscount,
  [JOBS.discountSyncAll]: (deps) => discountJobs.syncDiscountsAll(deps),
  [JOBS.privacyRequest]: privacyJobs.privacyRequest,
  [JOBS.privacyRequestsAll]: (deps) => privacyJobs.privacyRequestsAll(deps),
  [JOBS.flowDispatch]: flowJobs.dispatch,
  [JOBS.flowDispatchAll]: (deps) => flowJobs.dispatchAll(deps),
  [JOBS.nativeSegmentSync]: nativeSegmentJobs.syncNativeSegment,
  [JOBS.nativeSegmentSyncAll]: (deps) => nativeSegmentJobs.syncNativeSegmentsAll(deps),
};

/** How often each queue is polled: a privacy request's job is picked up within a second of its webhook's answer. */
const pollingSeconds = (name: JobName) => (name === JOBS.privacyRequest ? 1 : 5);
/** One job: a shop's job records its outcome on the shop's status and rethrows a failure for the queue to retry. */
export async function runJob(deps: Deps, name: JobName, handler: Handler, data: object): Promise<unknown> {
  const shopId = (data as { shopId?: unknown }).shopId;
  if (typeof shopId !== "string" || shopId === "*") return handler(deps, data as never);
  const outcome = await runForShop(
    { sql: deps.database.sql, log: deps.log },
    shopId,
    name,
    () => handler(deps, data as never),
    { rethrow: true },
  );
  return outcome.ok ? outcome.value : undefined;
}

export async function startWorkers(access: AdminAccess): Promise<() => Promise<void>> {
  const boss: PgBoss = await jobQueue();
  const deps: Deps = {
    database: database(),
    access,
    enqueue,
    log: logger(),
    privacyBatchRows: config().privacyBatchRows,
  };
  for (const [name, handler] of Object.entries(HANDLERS) as Array<[JobName, Handler]>) {
    await boss.work(name, { pollingIntervalSeconds: pollingSeconds(name) }, async (jobs: Job<object>[]) => {
      for (const job of jobs) await runJob(deps, name, handler, job.data);
    });
  }
  await boss.schedule(JOBS.reconcileAll, RECONCILE_CRON, { shopId: "*" });
  await boss.schedule(JOBS.profilesRefreshAll, PROFILES_REFRESH_CRON, { shopId: "*" });
  await boss.schedule(JOBS.fullPassAll, FULL_PASS_CRON, { shopId: "*" });
  await boss.schedule(JOBS.publishQueuedAll, PUBLISH_QUEUED_CRON, { shopId: "*" });
  await boss.schedule(JOBS.discountSyncAll, DISCOUNT_SYNC_CRON, { shopId: "*" });
  await boss.schedule(JOBS.privacyRequestsAll, PRIVACY_REQUESTS_CRON, { shopId: "*" });
  await boss.schedule(JOBS.flowDispatchAll, FLOW_DISPATCH_CRON, { shopId: "*" });
  await boss.schedule(JOBS.nativeSegmentSyncAll, NATIVE_SEGMENT_SYNC_CRON, { shopId: "*" });
  logger().info("background work started", { queues: Object.keys(HANDLERS).length });
  return stopJobQueue;
}
