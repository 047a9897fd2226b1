import { JOBS } from "~/queue/queue.server";
import type { SqlExecutor } from "~/database/sql-executor";
import { deleteStep, runSteps, withRequest } from "./batches";
import type { PendingRequest, PrivacyDatabase, Step } from "./batches";

// shop/redact, as the privacy job carries it out: every row of the shop goes. Every table with a shopId column is
// found in the database's own catalogue, so a table added later is covered without a change here; the largest go
// first, children before their parents (an order's lines and refunds before the order), each in bounded batches;
// then the Shop row, whose foreign keys cascade to whatever is left (this request's row and the delivery's ledger
// row included). The shop's sessions went with the delivery. The job queue's rows that name the shop go too:
// pg-boss keeps jobs in its documented pgboss.job table, and this shop's jobs carry its ID in their data.

/** Deleted first, in this order: the biggest tables, and an order's dependents before the order. */
const FIRST = ["OrderLine", "Refund", "BackfillPendingLine", "BackfillRefundDetail", "Order"];
/** Never swept by table: the request's own row goes with the Shop row, at the very end. */
const LAST = ["PrivacyRequest"];

async function tablesWithShopId(sql: SqlExecutor): Promise<string[]> {
  const { rows } = await sql.query<{ name: string }>(
    `SELECT c.table_name AS name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema = current_schema() AND c.column_name = 'shopId'
      ORDER BY c.table_name`,
  );
  const found = rows.map((row) => row.name).filter((name) => !LAST.includes(name));
  return [...FIRST.filter((name) => found.includes(name)), ...found.filter((name) => !FIRST.includes(name))];
}

/** The job queue's name for privacy requests (app/queue/queue.server.ts): a shop's redaction leaves those jobs alone. */
export const PRIVACY_REQUEST_QUEUE = JOBS.privacyRequest;

/** The shop's queued and finished jobs, privacy requests' aside (they find their request gone and stop). */
const queuedJobs: Step = {
  name: "queued jobs",
  async batch(tx, request) {
    const { rows } = await tx.query<{ present: boolean }>(`SELECT to_regclass('pgboss.job') IS NOT NULL AS present`);
    if (!rows[0]?.present) return { matched: 0, deleted: 0 };
    const { rows: gone } = await tx.query<{ n: number }>(
      `WITH gone AS (DELETE FROM pgboss.job WHERE data->>'shopId' = $1 AND name <> $2 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
      [request.shopId, PRIVACY_REQUEST_QUEUE],
    );
    return { matched: 0, deleted: gone[0]?.n ?? 0 };
  },
};

export async function redactShop(
  db: PrivacyDatabase,
  request: PendingRequest,
  limit: number,
  onBatch?: () => Promise<void>,
): Promise<boolean> {
  const tables = await tablesWithShopId(db.sql);
  const steps = [
    queuedJobs,
    ...tables.map((table) => deleteStep(table, `"shopId" = $1`, (current: PendingRequest) => [current.shopId])),
  ];
  if (!(await runSteps(db, request.id, steps, limit, onBatch))) return false;
  const deleted = await withRequest(db, request.id, async (tx) => {
    await tx.query(`DELETE FROM "Shop" WHERE "id" = $1`, [request.shopId]);
    return true;
  });
  return deleted === true;
}
