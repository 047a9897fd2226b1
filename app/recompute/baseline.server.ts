import type { SqlExecutor } from "~/database/sql-executor";

// The movement baseline (ModelState.baselineAt): the end of the first full pass over the shop's whole order
// history. Until then, every segment entry, exit and tier change is the import finding where customers already
// stood (a three-year history replayed today puts everyone into their segments "today"); after it, they are
// customers moving. A backfill that has not finished, or failed, means the history is not whole yet.

const IMPORT_UNDER_WAY = `'pending', 'running', 'importing', 'refund-details', 'failed'`;

/** Whether the shop's order history is whole: no backfill row, or one that completed (or was stopped by uninstall). */
export async function historyComplete(sql: SqlExecutor, shopId: string): Promise<boolean> {
  const { rows } = await sql.query<{ waiting: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM "SyncState" WHERE "shopId" = $1 AND "backfillState" IN (${IMPORT_UNDER_WAY})) AS waiting`,
    [shopId],
  );
  return !rows[0]?.waiting;
}

/** Sets the baseline to now, once: later passes leave it. */
export async function markBaseline(sql: SqlExecutor, shopId: string): Promise<void> {
  await sql.query(
    `UPDATE "ModelState" SET "baselineAt" = now() WHERE "shopId" = $1 AND "baselineAt" IS NULL RETURNING "shopId"`,
    [shopId],
  );
}
