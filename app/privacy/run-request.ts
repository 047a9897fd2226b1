import type { SqlExecutor } from "~/database/sql-executor";
import type { Logger } from "~/logging/logger";
import { DEFAULT_PRIVACY_BATCH_ROWS } from "~/config.server";
import { pendingRequest } from "./batches";
import type { PrivacyDatabase } from "./batches";
import { answerDataRequest } from "./data-request";
import { redactCustomer } from "./redact-customer";
import { redactShop } from "./redact-shop";
import { recordShopRedaction } from "./requests";

// The privacy-request job (app/jobs/privacy-jobs.ts) runs one request to its end with runPrivacyRequest; the tests
// and the demo's reset run them in-process the same way. See batches.ts for how a request survives a crash.

export interface PrivacyRunOptions {
  batchRows?: number;
  log?: Logger;
  /** Called after every committed batch (tests use it to stop a run part-way). */
  onBatch?: () => Promise<void>;
}

export type RunOutcome = "done" | "superseded" | "not-pending";

export async function runPrivacyRequest(
  db: PrivacyDatabase,
  id: string,
  options: PrivacyRunOptions = {},
): Promise<RunOutcome> {
  const request = await pendingRequest(db.sql, id);
  if (!request) return "not-pending";
  const limit = options.batchRows ?? DEFAULT_PRIVACY_BATCH_ROWS;
  const started = performance.now();
  const context = { requestId: id, shopId: request.shopId, kind: request.kind };
  options.log?.info("privacy request started", context);
  try {
    let outcome: RunOutcome;
    if (request.kind === "customer-redact")
      outcome = (await redactCustomer(db, request, limit, options.onBatch)) ? "done" : "not-pending";
    else if (request.kind === "shop-redact") {
      outcome = (await redactShop(db, request, limit, options.onBatch)) ? "done" : "not-pending";
    } else if (request.kind === "data-request") outcome = (await answerDataRequest(db, request)) ?? "not-pending";
    else throw new Error(`unknown privacy request kind "${request.kind}"`);
    options.log?.info("privacy request finished", {
      ...context,
      outcome,
      ...(request.shopDomain ? { shop: request.shopDomain } : {}),
      millis: Math.round(performance.now() - started),
    });
    return outcome;
  } catch (error) {
    // Kept for sync status; the job queue retries the request, which resumes where the last committed batch left it.
    await db.sql
      .query(`UPDATE "PrivacyRequest" SET "lastError" = $2, "lastErrorAt" = now() WHERE "id" = $1::bigint`, [
        id,
        (error as Error).message.slice(0, 500),
      ])
      .catch(() => undefined);
    throw error;
  }
}

/** Pending requests, oldest first: the sweep queues a job for each (pg-boss drops one already queued or running). */
export async function pendingRequestIds(sql: SqlExecutor): Promise<Array<{ id: string; shopId: string }>> {
  const { rows } = await sql.query<{ id: string; shopId: string }>(
    `SELECT "id"::text AS id, "shopId" FROM "PrivacyRequest" WHERE "finishedAt" IS NULL ORDER BY "id"`,
  );
  return rows;
}

/** Runs every pending request in this process, oldest first; returns how many it ran. */
export async function runPendingPrivacyRequests(db: PrivacyDatabase, options: PrivacyRunOptions = {}): Promise<number> {
  const pending = await pendingRequestIds(db.sql);
  for (const { id } of pending) await runPrivacyRequest(db, id, options);
  return pending.length;
}

/** Every row of the shop, now, as a shop/redact would delete it (the demo's reset). */
export async function redactShopNow(
  db: PrivacyDatabase,
  shop: { id: string; domain: string },
  options: PrivacyRunOptions = {},
): Promise<void> {
  const id = await db.transaction((tx) => recordShopRedaction(tx, shop, null));
  await runPrivacyRequest(db, id, options);
}
