import type { AdminClient } from "~/shopify-admin/client";
import { BULK_OPERATION_BY_ID } from "~/shopify-admin/operations/bulk-operation";
import type { SqlExecutor } from "~/database/sql-conventions";
import { findBulkImport, recordBulkFinished } from "./bulk-import-state";
import { loadSyncShop } from "./sync-shop";

// The fallback for a bulk_operations/finish webhook that never came: ask Shopify how the operation stands.

export type PollOutcome = "running" | "finished" | "stopped";

export async function pollBulkOperation(
  sql: SqlExecutor,
  client: AdminClient,
  shopId: string,
  operationId: string,
): Promise<PollOutcome> {
  const shop = await loadSyncShop(sql, shopId);
  if (!shop?.usable) return "stopped";
  const row = await findBulkImport(sql, shopId, operationId);
  if (!row || row.status === "stopped") return "stopped";
  if (row.status !== "running") return "finished";
  const operation = (await client.request(BULK_OPERATION_BY_ID, { id: operationId })).node;
  if (
    operation &&
    (operation.status === "CREATED" || operation.status === "RUNNING" || operation.status === "CANCELING")
  )
    return "running";
  const completed = operation?.status === "COMPLETED";
  await recordBulkFinished(sql, shopId, operationId, {
    completed,
    error: completed
      ? null
      : operation
        ? `${operation.status}${operation.errorCode ? ` (${operation.errorCode})` : ""}`
        : "unknown to Shopify",
    rootObjectCount: operation ? Number(operation.rootObjectCount) : null,
  });
  return "finished";
}
