import type { SqlExecutor } from "~/database/sql-executor";

export type { SqlExecutor };

// Conventions of the app's raw SQL (docs/decisions/0005-ingest-writes-in-sql-functions.md):
// - Prisma's DateTime columns are `timestamp(3)` holding UTC. Dates go in as ISO strings ending in "Z" (PostgreSQL
//   keeps the wall-clock part, which is UTC), and "now" is written as NOW_UTC, never a bare now().
// - Results are cast to text or int in the SELECT: node-postgres returns int8 and numeric as strings.
// - Row sets go in as one JSON parameter (jsonb_to_recordset): one statement whatever the number of rows.

export const NOW_UTC = `(now() AT TIME ZONE 'UTC')`;

/** JSON for a jsonb parameter; bigint money becomes a JSON number (minor units are far below 2^53). */
export function jsonParam(value: unknown): string {
  return JSON.stringify(value, (_key, item) => (typeof item === "bigint" ? Number(item) : item));
}

export function isoOrNull(value: Date | null | undefined): string | null {
  return value ? value.toISOString() : null;
}

/** A timestamp(3) column as ISO 8601 text in UTC, whatever the session's time zone. */
export function isoSql(column: string): string {
  return `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/**
 * Deletes one customer's rows from each table (every table named has "shopId" and "customerShopifyId" columns), one
 * statement at a time: a transaction is one connection. The names are the callers' constants, never input.
 */
export async function deleteCustomerRows(
  tx: SqlExecutor,
  tables: readonly string[],
  shopId: string,
  customerShopifyId: string,
): Promise<void> {
  for (const table of tables) {
    await tx.query(`DELETE FROM "${table}" WHERE "shopId" = $1 AND "customerShopifyId" = $2`, [
      shopId,
      customerShopifyId,
    ]);
  }
}
