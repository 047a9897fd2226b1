import type { Job, PgBoss } from "pg-boss";
import { database } from "~/db.server";
import { logger } from "~/logging/logger";
import { enqueue, jobQueue, JOBS, stopJobQueue, type JobName } from "./queue.server";
import { syncJobs, type AdminAccess, type SyncJobDeps } from "./sync-jobs";

// Runs the sync jobs in this process with pg-boss: every app instance works the shared queue (jobs are claimed with
// SKIP LOCKED, so each runs once), and the reconciliation pass is scheduled with pg-boss's cron, which fires once per
// schedule however many instances there are.

/** Every 15 minutes: well inside Shopify's 4 hours of webhook retries, cheap when nothing was missed. */
export const RECONCILE_CRON = "*/15 * * * *";

type Handler = (deps: SyncJobDeps, data: never) => Promise<unknown>;

const HANDLERS: Record<JobName, Handler> = {
  [JOBS.shopSetup]: syncJobs.shopSetup,
  [JOBS.backfillStart]: syncJobs.backfillStart,
  [JOBS.bulkPoll]: syncJobs.bulkPoll,
  [JOBS.bulkImport]: syncJobs.bulkImport,
  [JOBS.refundDetails]: syncJobs.refundDetails,
  [JOBS.reconcileAll]: (deps) => syncJobs.reconcileAll(deps),
  [JOBS.reconcileShop]: syncJobs.reconcileShop,
};

export async function startWorkers(access: AdminAccess): Promise<() => Promise<void>> {
  const boss: PgBoss = await jobQueue();
  const deps: SyncJobDeps = { db: database(), access, enqueue, log: logger() };
  for (const [name, handler] of Object.entries(HANDLERS) as Array<[JobName, Handler]>) {
    await boss.work(name, { pollingIntervalSeconds: 5 }, async (jobs: Job<object>[]) => {
      for (const job of jobs) await handler(deps, job.data as never);
    });
  }
  await boss.schedule(JOBS.reconcileAll, RECONCILE_CRON, { shopId: "*" });
  logger().info("background work started", { queues: Object.keys(HANDLERS).length });
  return stopJobQueue;
}
