import type { Logger } from "~/logging/logger";
import type { PrivacyDatabase } from "~/privacy/batches";
import { pendingRequestIds, runPrivacyRequest } from "~/privacy/run-request";
import { queuePrivacyRequest } from "~/queue/queue.server";
import type { PrivacyRequestJob } from "~/queue/queue.server";

// Privacy requests (customers/redact, customers/data_request, shop/redact) are recorded by their webhook and carried
// out here, one job per request, in bounded batches (app/privacy/). The webhook nudges the queue after its commit; a
// sweep every minute queues any pending request that has no job (the nudge lost in a crash, or a job that used up its
// retries), so an acknowledged request always ends. A job whose worker died is noticed by its missed heartbeats
// (queue.server.ts) and retried, resuming after the last committed batch.

export interface PrivacyJobDeps {
  database: PrivacyDatabase;
  log: Logger;
  privacyBatchRows: number;
}

export const privacyJobs = {
  async privacyRequest(deps: PrivacyJobDeps, { requestId }: PrivacyRequestJob): Promise<void> {
    await runPrivacyRequest(deps.database, requestId, { batchRows: deps.privacyBatchRows, log: deps.log });
  },

  async privacyRequestsAll(deps: PrivacyJobDeps): Promise<number> {
    const pending = await pendingRequestIds(deps.database.sql);
    for (const { id } of pending) await queuePrivacyRequest(id);
    return pending.length;
  },
};
