import type { SqlExecutor } from "~/database/sql-executor";

// How the privacy job works through a request: a list of steps, each run as batches of at most `limit` rows, every
// batch its own transaction that first locks the request's row and then records what it deleted on it. So:
// - bounded: no transaction holds more than one batch's locks or takes more than a batch's time;
// - resumable: a crash loses at most the batch in flight (rolled back); the retried job starts over at the first
//   step, and every step already done finds nothing left and costs one indexed probe;
// - idempotent and safe to run twice at once: each batch deletes what is there when it runs, and the row lock
//   makes a second runner of the same request wait for the first one's batch.

export interface PrivacyDatabase {
  sql: SqlExecutor;
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

export interface PendingRequest {
  id: string;
  shopId: string;
  kind: string;
  customerShopifyId: string | null;
  orderShopifyIds: string[];
  dataRequestId: string | null;
  shopDomain: string | null;
}

const PENDING_COLUMNS = `"id"::text AS id, "shopId", "kind", "customerShopifyId", "orderShopifyIds", "dataRequestId", "shopDomain"`;

export async function pendingRequest(sql: SqlExecutor, id: string, lock = false): Promise<PendingRequest | null> {
  const { rows } = await sql.query<PendingRequest>(
    `SELECT ${PENDING_COLUMNS} FROM "PrivacyRequest" WHERE "id" = $1::bigint AND "finishedAt" IS NULL${
      lock ? " FOR UPDATE" : ""
    }`,
    [id],
  );
  const row = rows[0];
  return row ? { ...row, orderShopifyIds: row.orderShopifyIds ?? [] } : null;
}

export interface BatchResult {
  /** Rows the step found to work on: fewer than the limit means the step is done. */
  matched: number;
  /** Rows deleted, dependents included (for the progress shown in sync status). */
  deleted: number;
}

export interface Step {
  name: string;
  batch(tx: SqlExecutor, request: PendingRequest, limit: number): Promise<BatchResult>;
}

/** Runs one unit of work in a transaction with the request's row locked; null when it is no longer pending. */
export function withRequest<T>(
  db: PrivacyDatabase,
  id: string,
  work: (tx: SqlExecutor, request: PendingRequest) => Promise<T>,
): Promise<T | null> {
  return db.transaction(async (tx) => {
    const request = await pendingRequest(tx, id, true);
    return request ? work(tx, request) : null;
  });
}

/** Runs the steps to the end; false when the request stopped being pending on the way (another runner finished it). */
export async function runSteps(
  db: PrivacyDatabase,
  id: string,
  steps: readonly Step[],
  limit: number,
  onBatch?: () => Promise<void>,
): Promise<boolean> {
  for (const step of steps) {
    for (;;) {
      const result = await withRequest(db, id, async (tx, request) => {
        const done = await step.batch(tx, request, limit);
        await tx.query(
          `UPDATE "PrivacyRequest" SET "step" = $2, "rowsDeleted" = "rowsDeleted" + $3, "startedAt" = COALESCE("startedAt", now()) WHERE "id" = $1::bigint`,
          [id, step.name, done.deleted],
        );
        return done;
      });
      if (!result) return false;
      await onBatch?.();
      if (result.matched < limit) break;
    }
  }
  return true;
}

/**
 * Deletes at most `limit` rows of `table` matching `where` (whose parameters are $1…; the limit goes last). Rows are
 * picked through an index on the condition and deleted by their physical address (a TID scan), so a batch costs
 * what it deletes, whatever the table's size.
 */
export async function deleteSome(
  tx: SqlExecutor,
  table: string,
  where: string,
  params: unknown[],
  limit: number,
): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    `WITH gone AS (
       DELETE FROM "${table}" WHERE ctid = ANY(ARRAY(SELECT ctid FROM "${table}" WHERE ${where} LIMIT $${
         params.length + 1
       }::int)) RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [...params, limit],
  );
  return rows[0]?.n ?? 0;
}

/** A step that deletes `table`'s rows matching `where` in batches. */
export function deleteStep(table: string, where: string, params: (request: PendingRequest) => unknown[]): Step {
  return {
    name: table,
    async batch(tx, request, limit) {
      const deleted = await deleteSome(tx, table, where, params(request), limit);
      return { matched: deleted, deleted };
    },
  };
}

/** Marks the request done; its customer's and orders' IDs are cleared, so a finished request names nobody. */
export async function finishRequest(tx: SqlExecutor, id: string, outcome: "done" | "superseded"): Promise<void> {
  await tx.query(
    `UPDATE "PrivacyRequest" SET "finishedAt" = now(), "startedAt" = COALESCE("startedAt", now()), "outcome" = $2, "step" = NULL,
            "customerShopifyId" = NULL, "orderShopifyIds" = ARRAY[]::text[], "lastError" = NULL, "lastErrorAt" = NULL
      WHERE "id" = $1::bigint`,
    [id, outcome],
  );
}
