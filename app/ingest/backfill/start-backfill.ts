import type { AdminClient } from "~/shopify-admin/client";
import { assertNoUserErrors } from "~/shopify-admin/errors";
import { BULK_OPERATION_RUN_QUERY } from "~/shopify-admin/operations/bulk-operation";
import { bulkCustomersQuery, bulkOrdersQuery } from "~/shopify-admin/operations/bulk-queries";
import { SHOP_COUNTS } from "~/shopify-admin/operations/counts";
import type { SqlExecutor } from "~/database/sql-conventions";
import { listBulkImports, recordBulkStarted } from "./bulk-import-state";
import type { BulkKind } from "./bulk-import-state";
import { markBackfillStarted, setBackfillState } from "./sync-shop";

// The install backfill: one bulk query for all orders (with line items and refund IDs) and one for all customers,
// run side by side (API 2026-01 and later allow several bulk queries per shop). Their completion arrives as
// bulk_operations/finish, with polling as the fallback. Starting again after an interruption starts only what is
// missing, so a retried job never runs a second copy of an operation that is already under way.

export interface StartedBulk {
  operationId: string;
  kind: BulkKind;
}

export async function startBackfill(sql: SqlExecutor, client: AdminClient, shopId: string): Promise<StartedBulk[]> {
  const existing = await listBulkImports(sql, shopId);
  const live = new Set(
    existing.filter((row) => row.status !== "failed" && row.status !== "stopped").map((row) => row.kind),
  );
  const missing = (["orders", "customers"] as const).filter((kind) => !live.has(kind));
  if (missing.length === 0) return [];
  if (live.size === 0) await markBackfillStarted(sql, shopId);
  else await setBackfillState(sql, shopId, "running");

  // Totals for the progress bar while the operations run; Shopify's rootObjectCount replaces them at the end.
  const counts = await client.request(SHOP_COUNTS);
  const totals: Record<BulkKind, number | null> = {
    orders: counts.ordersCount?.count ?? null,
    customers: counts.customersCount?.count ?? null,
  };
  const started: StartedBulk[] = [];
  for (const kind of missing) {
    const query = kind === "orders" ? bulkOrdersQuery() : bulkCustomersQuery();
    const data = await client.request(BULK_OPERATION_RUN_QUERY, { query });
    assertNoUserErrors(data.bulkOperationRunQuery, BULK_OPERATION_RUN_QUERY.name);
    const operationId = data.bulkOperationRunQuery.bulkOperation?.id;
    if (!operationId) throw new Error("bulkOperationRunQuery returned no operation");
    await recordBulkStarted(sql, shopId, operationId, kind, totals[kind]);
    started.push({ operationId, kind });
  }
  return started;
}
