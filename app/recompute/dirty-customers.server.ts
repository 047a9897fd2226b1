import { isoSql } from "~/database/sql-conventions";
import type { SqlExecutor } from "~/database/sql-conventions";

// The outbox between ingest and profiles. Every writer of a customer's facts (an order, a refund, a cancellation, an
// order's deletion, the customer's own deletion) sets Customer.metricsDirtyAt in the same transaction as the change,
// so a crash can never leave a change without its refresh. The profile refresh drains it:
//
//   await refreshDirtyCustomers(database().sql, shopId, async (customerIds) => { …recompute their profiles… });
//
// A redacted customer has no row left to mark: customers/redact deletes the Customer row, and tables that hold a
// customer's derived data must reference Customer with onDelete: Cascade (or be reached from app/privacy/redact-customer.ts).

export interface DirtyCustomer {
  shopifyId: string;
  /** The mark as read; clearing compares it, so a change made after listing is not cleared. */
  dirtyAt: string;
}

/** Oldest marks first. */
export async function listDirtyCustomers(sql: SqlExecutor, shopId: string, limit = 500): Promise<DirtyCustomer[]> {
  const { rows } = await sql.query<DirtyCustomer>(
    `SELECT "shopifyId", ${isoSql('"metricsDirtyAt"')} AS "dirtyAt"
     FROM "Customer" WHERE "shopId" = $1 AND "metricsDirtyAt" IS NOT NULL
     ORDER BY "metricsDirtyAt", "shopifyId" LIMIT $2`,
    [shopId, limit],
  );
  return rows;
}

/** Compare-and-clear: a customer marked again since it was listed keeps its mark. Returns how many were cleared. */
export async function clearDirtyCustomers(
  sql: SqlExecutor,
  shopId: string,
  customers: DirtyCustomer[],
): Promise<number> {
  if (customers.length === 0) return 0;
  const { rows } = await sql.query<{ cleared: number }>(
    // Rows are locked in customer order, the order in which ingest's batches mark them (cadence_ingest_orders), so
    // the two never wait on each other in a cycle.
    `WITH locked AS (
       SELECT c.id FROM "Customer" c
       JOIN jsonb_to_recordset($2::jsonb) AS d("shopifyId" text, "dirtyAt" timestamp(3)) ON c."shopifyId" = d."shopifyId"
       WHERE c."shopId" = $1 AND c."metricsDirtyAt" = d."dirtyAt"
       ORDER BY c."shopifyId" FOR UPDATE OF c),
     cleared AS (
       UPDATE "Customer" c SET "metricsDirtyAt" = NULL FROM locked WHERE c.id = locked.id RETURNING 1)
     SELECT count(*)::int AS cleared FROM cleared`,
    [shopId, JSON.stringify(customers)],
  );
  return rows[0]?.cleared ?? 0;
}

/** Lists, refreshes and clears in batches until no customer is left dirty (or `maxBatches` ran). */
export async function refreshDirtyCustomers(
  sql: SqlExecutor,
  shopId: string,
  refresh: (customerShopifyIds: string[]) => Promise<void>,
  options: { batchSize?: number; maxBatches?: number } = {},
): Promise<number> {
  let refreshed = 0;
  for (let batch = 0; batch < (options.maxBatches ?? 10_000); batch += 1) {
    const dirty = await listDirtyCustomers(sql, shopId, options.batchSize ?? 500);
    if (dirty.length === 0) break;
    await refresh(dirty.map((customer) => customer.shopifyId));
    refreshed += await clearDirtyCustomers(sql, shopId, dirty);
  }
  return refreshed;
}
