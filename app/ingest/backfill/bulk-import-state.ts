import { NOW_UTC } from "~/database/sql-conventions";
import type { SqlExecutor } from "~/database/sql-conventions";

// Bookkeeping of the backfill's bulk operations (BulkImport rows), shared by the bulk_operations/finish webhook,
// the polling fallback and the import job.

export type BulkKind = "orders" | "customers";

export interface BulkImportRow {
  operationId: string;
  kind: BulkKind;
  status: string;
  objectsTotal: number | null;
  objectsDone: number;
  linesDone: number;
  error: string | null;
}

const COLUMNS = `"operationId", "kind", "status", "objectsTotal", "objectsDone", "linesDone", "error"`;

export async function recordBulkStarted(
  sql: SqlExecutor,
  shopId: string,
  operationId: string,
  kind: BulkKind,
  objectsTotal: number | null,
): Promise<void> {
  await sql.query(
    `INSERT INTO "BulkImport" ("shopId", "operationId", "kind", "status", "objectsTotal", "startedAt", "updatedAt")
     VALUES ($1, $2, $3, 'running', $4, ${NOW_UTC}, ${NOW_UTC})
     ON CONFLICT ("shopId", "operationId") DO NOTHING`,
    [shopId, operationId, kind, objectsTotal],
  );
}

/**
 * Shopify finished the operation (webhook or poll, whichever comes first; the second changes nothing). Returns the
 * row when this call moved it out of "running", so the caller starts the import once.
 */
export async function recordBulkFinished(
  sql: SqlExecutor,
  shopId: string,
  operationId: string,
  result: { completed: boolean; error: string | null; rootObjectCount: number | null },
): Promise<BulkImportRow | null> {
  const { rows } = await sql.query<BulkImportRow>(
    `UPDATE "BulkImport" SET "status" = $3, "error" = $4, "completedAt" = ${NOW_UTC}, "updatedAt" = ${NOW_UTC},
       "objectsTotal" = COALESCE($5::int, "objectsTotal")
     WHERE "shopId" = $1 AND "operationId" = $2 AND "status" = 'running'
     RETURNING ${COLUMNS}`,
    [shopId, operationId, result.completed ? "completed" : "failed", result.error, result.rootObjectCount],
  );
  return rows[0] ?? null;
}

export async function findBulkImport(
  sql: SqlExecutor,
  shopId: string,
  operationId: string,
): Promise<BulkImportRow | null> {
  const { rows } = await sql.query<BulkImportRow>(
    `SELECT ${COLUMNS} FROM "BulkImport" WHERE "shopId" = $1 AND "operationId" = $2`,
    [shopId, operationId],
  );
  return rows[0] ?? null;
}

export async function listBulkImports(sql: SqlExecutor, shopId: string): Promise<BulkImportRow[]> {
  const { rows } = await sql.query<BulkImportRow>(
    `SELECT ${COLUMNS} FROM "BulkImport" WHERE "shopId" = $1 ORDER BY "id"`,
    [shopId],
  );
  return rows;
}
