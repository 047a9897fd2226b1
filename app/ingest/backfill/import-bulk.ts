import type { Database } from "~/db.server";
import type { AdminClient, FetchLike } from "~/shopify-admin/client";
import { downloadBulkResult, readBulkJsonl } from "~/shopify-admin/bulk-jsonl";
import type { BulkLine } from "~/shopify-admin/bulk-jsonl";
import { BULK_OPERATION_BY_ID } from "~/shopify-admin/operations/bulk-operation";
import type { BulkOperation } from "~/shopify-admin/operations/bulk-operation";
import type { BulkCustomerLine, BulkLineItemLine, BulkOrderLine } from "~/shopify-admin/operations/bulk-queries";
import { customerRow } from "../facts/customers";
import { orderFields } from "../facts/orders";
import { jsonParam, NOW_UTC } from "~/database/sql-conventions";
import type { SqlExecutor } from "~/database/sql-conventions";
import { normalizeGraphqlCustomer, normalizeGraphqlLineOf, normalizeGraphqlOrder } from "../order-graphql";
import type { NormalizedLine } from "../normalized";
import { idFromGid } from "../shopify-ids";
import { findBulkImport, recordBulkFinished } from "./bulk-import-state";
import type { BulkImportRow, BulkKind } from "./bulk-import-state";
import { loadSyncShop, setBackfillState } from "./sync-shop";
import type { SyncShop } from "./sync-shop";

// Imports one finished bulk operation's JSONL file, streamed: the file is read a chunk at a time and written in
// batches, each batch in one transaction together with the import's progress (lines consumed), so an interrupted
// import resumes after the last committed batch and writes nothing twice. Memory is one batch, whatever the file's
// size (test/unit/shopify-admin/bulk-jsonl-memory.test.ts reads 100,000 orders under a 96 MB heap).

export const BATCH_LINES = 1000;
const MAX_REPORTED_PROBLEMS = 5;

export type ImportOutcome =
  | { status: "imported"; objects: number; lines: number; skipped: number }
  | { status: "not-ready" }
  | { status: "failed"; error: string }
  | { status: "stopped" };

interface OrderBatch {
  orders: Array<ReturnType<typeof orderFields> & { shopifyId: string; refundIds: string[] }>;
  lines: Array<NormalizedLine & { orderShopifyId: string }>;
}

/** What a batch of lines becomes, per kind of bulk operation. Throws for a line it cannot read (counted, skipped). */
interface BatchBuilder {
  add(object: Record<string, unknown>): "root" | "child";
  size(): number;
  write(tx: SqlExecutor, shop: SyncShop, operationId: string): Promise<void>;
  reset(): void;
}

function ordersBatch(): BatchBuilder {
  let batch: OrderBatch = { orders: [], lines: [] };
  return {
    add(object) {
      if (typeof object.__parentId === "string") {
        const line = object as unknown as BulkLineItemLine;
        batch.lines.push(normalizeGraphqlLineOf(line.__parentId, line));
        return "child";
      }
      const order = object as unknown as BulkOrderLine;
      const normalized = normalizeGraphqlOrder({ ...order, lineItems: [] });
      batch.orders.push({
        shopifyId: normalized.shopifyId,
        ...orderFields(normalized),
        refundIds: (order.refunds ?? []).map((refund) => idFromGid(refund.id, "Refund")),
      });
      return "root";
    },
    size: () => batch.orders.length + batch.lines.length,
    async write(tx, shop, operationId) {
      await tx.query(`SELECT * FROM cadence_import_bulk_orders($1, $2, $3, $4::jsonb, $5::jsonb)`, [
        shop.id,
        operationId,
        shop.netRevenueBasis,
        jsonParam(batch.orders),
        jsonParam(batch.lines),
      ]);
    },
    reset() {
      batch = { orders: [], lines: [] };
    },
  };
}

function customersBatch(): BatchBuilder {
  let customers: ReturnType<typeof customerRow>[] = [];
  return {
    add(object) {
      customers.push(customerRow(normalizeGraphqlCustomer(object as unknown as BulkCustomerLine)));
      return "root";
    },
    size: () => customers.length,
    async write(tx, shop) {
      await tx.query(`SELECT cadence_write_customers($1, $2::jsonb)`, [shop.id, jsonParam(customers)]);
    },
    reset() {
      customers = [];
    },
  };
}

export interface ImportOptions {
  fetch?: FetchLike;
  batchLines?: number;
  /** Called after each committed batch (tests use it to interrupt an import). */
  onBatch?: (progress: { linesDone: number; objectsDone: number }) => void | Promise<void>;
}

async function operationStatus(client: AdminClient, operationId: string): Promise<BulkOperation | null> {
  return (await client.request(BULK_OPERATION_BY_ID, { id: operationId })).node;
}

export async function importBulkOperation(
  db: Database,
  client: AdminClient,
  shopId: string,
  operationId: string,
  options: ImportOptions = {},
): Promise<ImportOutcome> {
  const shop = await loadSyncShop(db.sql, shopId);
  if (!shop?.usable) return { status: "stopped" };
  let row = await findBulkImport(db.sql, shopId, operationId);
  if (!row) throw new Error(`bulk operation ${operationId} is not part of shop ${shopId}'s backfill`);
  if (row.status === "imported")
    return { status: "imported", objects: row.objectsDone, lines: row.linesDone, skipped: 0 };
  if (row.status === "stopped") return { status: "stopped" };

  const operation = await operationStatus(client, operationId);
  if (!operation) return failImport(db.sql, shopId, row, "Shopify no longer knows this bulk operation");
  if (operation.status === "CREATED" || operation.status === "RUNNING" || operation.status === "CANCELING")
    return { status: "not-ready" };
  if (operation.status !== "COMPLETED") {
    await recordBulkFinished(db.sql, shopId, operationId, {
      completed: false,
      error: `${operation.status}${operation.errorCode ? ` (${operation.errorCode})` : ""}`,
      rootObjectCount: null,
    });
    return failImport(
      db.sql,
      shopId,
      row,
      `bulk operation ${operation.status.toLowerCase()}${operation.errorCode ? `: ${operation.errorCode}` : ""}`,
    );
  }
  await db.sql.query(
    `UPDATE "BulkImport" SET "status" = 'importing', "objectsTotal" = $3::int, "completedAt" = COALESCE("completedAt", ${NOW_UTC}), "updatedAt" = ${NOW_UTC}
     WHERE "shopId" = $1 AND "operationId" = $2`,
    [shopId, operationId, Number(operation.rootObjectCount)],
  );
  await setBackfillState(db.sql, shopId, "importing");
  row = { ...row, status: "importing" };

  // A bulk query that matched nothing has no file.
  const skipped = operation.url
    ? await importLines(db, shop, row, await downloadBulkResult(operation.url, options.fetch), options)
    : { count: 0, problems: [] };
  if (skipped === "stopped") return { status: "stopped" };
  const finished = await finishImport(db.sql, shopId, row, skipped);
  return { status: "imported", objects: finished.objectsDone, lines: finished.linesDone, skipped: skipped.count };
}

interface Skipped {
  count: number;
  problems: string[];
}

async function importLines(
  db: Database,
  shop: SyncShop,
  row: BulkImportRow,
  stream: ReadableStream<Uint8Array>,
  options: ImportOptions,
): Promise<Skipped | "stopped"> {
  const builder = row.kind === "orders" ? ordersBatch() : customersBatch();
  const batchLines = options.batchLines ?? BATCH_LINES;
  const skipped: Skipped = { count: 0, problems: [] };
  let lastLine = row.linesDone;
  let roots = 0;
  let objectsDone = row.objectsDone;

  const commit = async () => {
    await db.transaction(async (tx) => {
      if (builder.size() > 0) await builder.write(tx, shop, row.operationId);
      await tx.query(
        `UPDATE "BulkImport" SET "linesDone" = $3, "objectsDone" = "objectsDone" + $4, "updatedAt" = ${NOW_UTC}
         WHERE "shopId" = $1 AND "operationId" = $2`,
        [shop.id, row.operationId, lastLine, roots],
      );
    });
    objectsDone += roots;
    builder.reset();
    roots = 0;
    await options.onBatch?.({ linesDone: lastLine, objectsDone });
  };

  for await (const line of readBulkJsonl(stream, row.linesDone)) {
    addLine(builder, line, skipped, () => (roots += 1));
    lastLine = line.line;
    if (builder.size() >= batchLines) {
      await commit();
      // An uninstall stops the import between batches; what was committed stays.
      const current = await loadSyncShop(db.sql, shop.id);
      if (!current?.usable) {
        await stream.cancel().catch(() => undefined);
        return "stopped";
      }
    }
  }
  await commit();
  return skipped;
}

function addLine(builder: BatchBuilder, line: BulkLine, skipped: Skipped, countRoot: () => void): void {
  try {
    if (builder.add(line.object) === "root") countRoot();
  } catch (error) {
    // One unreadable object does not stop a backfill of millions; it is counted and reported with its line.
    skipped.count += 1;
    if (skipped.problems.length < MAX_REPORTED_PROBLEMS)
      skipped.problems.push(`line ${line.line}: ${(error as Error).message}`);
  }
}

async function finishImport(
  sql: SqlExecutor,
  shopId: string,
  row: BulkImportRow,
  skipped: Skipped,
): Promise<BulkImportRow> {
  // Lines still waiting belong to orders this operation did not write (a webhook holds a newer state): dropped.
  await sql.query(`DELETE FROM "BackfillPendingLine" WHERE "shopId" = $1 AND "operationId" = $2`, [
    shopId,
    row.operationId,
  ]);
  const error = skipped.count > 0 ? `${skipped.count} line(s) could not be read; ${skipped.problems.join("; ")}` : null;
  const { rows } = await sql.query<BulkImportRow>(
    `UPDATE "BulkImport" SET "status" = 'imported', "importedAt" = ${NOW_UTC}, "error" = $3, "updatedAt" = ${NOW_UTC}
     WHERE "shopId" = $1 AND "operationId" = $2
     RETURNING "operationId", "kind", "status", "objectsTotal", "objectsDone", "linesDone", "error"`,
    [shopId, row.operationId, error],
  );
  return rows[0]!;
}

async function failImport(sql: SqlExecutor, shopId: string, row: BulkImportRow, error: string): Promise<ImportOutcome> {
  await sql.query(
    `UPDATE "BulkImport" SET "status" = 'failed', "error" = $3, "updatedAt" = ${NOW_UTC} WHERE "shopId" = $1 AND "operationId" = $2`,
    [shopId, row.operationId, error],
  );
  await setBackfillState(sql, shopId, "failed", `${row.kind}: ${error}`);
  return { status: "failed", error };
}

export type { BulkKind };
