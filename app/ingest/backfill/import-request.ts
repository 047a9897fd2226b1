import { enqueue, JOBS } from "~/queue/queue.server";

/** Asks the job queue to import (or record the failure of) a finished bulk operation; a duplicate request is dropped. */
export async function requestBulkImport(shopId: string, operationId: string): Promise<void> {
  await enqueue(JOBS.bulkImport, { shopId, operationId }, { singletonKey: operationId });
}
