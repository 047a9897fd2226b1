import type { SqlExecutor } from "~/database/sql-executor";
import { NOW_UTC } from "~/database/sql-conventions";
import type { Logger } from "~/logging/logger";

// How each kind of background work last went for one shop (ShopJobStatus). Work that covers every shop runs each
// shop on its own: one shop's exception is recorded here and logged, and the next shop goes on. The sync status
// (app/ingest/sync-status.ts, the admin's Sync page and `cadence sync status`) shows a shop's failing work.

/** The per-shop step of the every-minute profile refresh, which has no queue of its own. */
export const PROFILES_REFRESH = "profiles-refresh";

/** Enough of a message to act on; a stack or a huge driver message is cut here. */
const MAX_ERROR_LENGTH = 500;

export function errorText(error: unknown): string {
  const text =
    error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

export async function recordJobSuccess(sql: SqlExecutor, shopId: string, job: string): Promise<void> {
  await sql.query(
    `INSERT INTO "ShopJobStatus" ("shopId", job, "lastRunAt", "lastSuccessAt", failures)
     SELECT s.id, $2, ${NOW_UTC}, ${NOW_UTC}, 0 FROM "Shop" s WHERE s.id = $1
     ON CONFLICT ("shopId", job) DO UPDATE SET "lastRunAt" = EXCLUDED."lastRunAt", "lastSuccessAt" = EXCLUDED."lastSuccessAt",
       failures = 0, "failingSince" = NULL, error = NULL`,
    [shopId, job],
  );
}

export async function recordJobFailure(sql: SqlExecutor, shopId: string, job: string, error: unknown): Promise<void> {
  // Through the Shop row: a shop deleted meanwhile (shop/redact) leaves nothing behind.
  await sql.query(
    `INSERT INTO "ShopJobStatus" ("shopId", job, "lastRunAt", "failingSince", failures, error)
     SELECT s.id, $2, ${NOW_UTC}, ${NOW_UTC}, 1, $3 FROM "Shop" s WHERE s.id = $1
     ON CONFLICT ("shopId", job) DO UPDATE SET "lastRunAt" = EXCLUDED."lastRunAt",
       "failingSince" = COALESCE("ShopJobStatus"."failingSince", EXCLUDED."failingSince"),
       failures = "ShopJobStatus".failures + 1, error = EXCLUDED.error`,
    [shopId, job, errorText(error)],
  );
}

/**
 * Runs one shop's part of a job and records how it went. A failure is recorded and logged, then rethrown only when
 * `rethrow` is set (a queued per-shop job, which the queue retries); a loop over shops passes false and goes on.
 */
export async function runForShop<T>(
  deps: { sql: SqlExecutor; log: Logger },
  shopId: string,
  job: string,
  work: () => Promise<T>,
  options: { rethrow: boolean },
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  let value: T;
  try {
    value = await work();
  } catch (error) {
    deps.log.error("background work failed for a shop", { job, shopId, reason: errorText(error) });
    try {
      await recordJobFailure(deps.sql, shopId, job, error);
    } catch (recordError) {
      // The database itself failing: nothing shop-specific to record; the log line above says what happened.
      deps.log.error("could not record a shop's job failure", { job, shopId, reason: errorText(recordError) });
    }
    if (options.rethrow) throw error;
    return { ok: false, error };
  }
  await recordJobSuccess(deps.sql, shopId, job);
  return { ok: true, value };
}
