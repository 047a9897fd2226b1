import { NOW_UTC } from "~/database/sql-conventions";
import type { SqlExecutor } from "~/database/sql-conventions";
import { listBulkImports } from "./bulk-import-state";
import { pendingRefundDetails } from "./refund-details";
import { setBackfillState } from "./sync-shop";

// Where a backfill goes next once one of its steps finished: wait for the other bulk operation, fetch refund details,
// or complete. Completion hands over to reconciliation, whose watermark starts a few minutes before the bulk
// operations began, so any change made while they ran is looked at again.

export type BackfillNext = "wait-imports" | "refund-details" | "completed" | "failed";

const WATERMARK_MARGIN = "5 minutes";

export async function advanceBackfill(sql: SqlExecutor, shopId: string): Promise<BackfillNext> {
  const imports = await listBulkImports(sql, shopId);
  // The latest operation of each kind counts (a failed one may have been started again).
  const latest = new Map(imports.map((row) => [row.kind, row]));
  if ([...latest.values()].some((row) => row.status === "failed")) return "failed";
  if (latest.size < 2 || [...latest.values()].some((row) => row.status !== "imported")) return "wait-imports";
  const pending = await pendingRefundDetails(sql, shopId);
  if (pending > 0) {
    await setBackfillState(sql, shopId, "refund-details");
    await sql.query(
      `UPDATE "SyncState" SET "refundDetailsTotal" = "refundDetailsDone" + $2, "updatedAt" = ${NOW_UTC} WHERE "shopId" = $1`,
      [shopId, pending],
    );
    return "refund-details";
  }
  await sql.query(
    `UPDATE "SyncState" s SET
       "ordersReconciledTo" = COALESCE(s."ordersReconciledTo", b.started - interval '${WATERMARK_MARGIN}'),
       "customersReconciledTo" = COALESCE(s."customersReconciledTo", b.started - interval '${WATERMARK_MARGIN}')
     FROM (SELECT min("startedAt") AS started FROM "BulkImport" WHERE "shopId" = $1) b
     WHERE s."shopId" = $1`,
    [shopId],
  );
  await setBackfillState(sql, shopId, "completed");
  return "completed";
}
