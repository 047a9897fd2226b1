import { isNetRevenueBasis } from "../facts/net-revenue";
import { NOW_UTC } from "~/database/sql-conventions";
import type { SqlExecutor } from "~/database/sql-conventions";
import type { ShopContext } from "../topics/types";
import { shopUsable } from "~/privacy/gone";

// The shop as background work sees it. Every step of every job starts here: a shop that may no longer be used
// (uninstalled, or its redaction pending: app/privacy/gone.ts) stops its work, which is how app/uninstalled stops the
// shop's jobs.

export interface SyncShop extends ShopContext {
  usable: boolean;
}

export async function loadSyncShop(sql: SqlExecutor, shopId: string): Promise<SyncShop | null> {
  const { rows } = await sql.query<{
    id: string;
    domain: string;
    currencyCode: string;
    netRevenueBasis: string;
    usable: boolean;
  }>(
    `SELECT s."id", s."domain", s."currencyCode", s."netRevenueBasis", ${shopUsable("s")} AS usable FROM "Shop" s WHERE s."id" = $1`,
    [shopId],
  );
  const row = rows[0];
  if (!row) return null;
  return { ...row, netRevenueBasis: isNetRevenueBasis(row.netRevenueBasis) ? row.netRevenueBasis : "merchandise" };
}

export type BackfillState = "pending" | "running" | "importing" | "refund-details" | "completed" | "failed" | "stopped";

async function ensureSyncState(sql: SqlExecutor, shopId: string): Promise<void> {
  await sql.query(
    `INSERT INTO "SyncState" ("shopId", "updatedAt") VALUES ($1, ${NOW_UTC}) ON CONFLICT ("shopId") DO NOTHING`,
    [shopId],
  );
}

/** A new backfill: started now, no error, not finished. */
export async function markBackfillStarted(sql: SqlExecutor, shopId: string): Promise<void> {
  await ensureSyncState(sql, shopId);
  await sql.query(
    `UPDATE "SyncState" SET "backfillState" = 'running', "backfillStartedAt" = ${NOW_UTC}, "backfillFinishedAt" = NULL,
       "backfillError" = NULL, "refundDetailsDone" = 0, "refundDetailsTotal" = 0, "updatedAt" = ${NOW_UTC}
     WHERE "shopId" = $1`,
    [shopId],
  );
}

export async function setBackfillState(
  sql: SqlExecutor,
  shopId: string,
  state: BackfillState,
  error: string | null = null,
): Promise<void> {
  await ensureSyncState(sql, shopId);
  const finished = state === "completed" || state === "failed";
  await sql.query(
    `UPDATE "SyncState" SET "backfillState" = $2, "backfillError" = COALESCE($3, "backfillError"),
       "backfillFinishedAt" = CASE WHEN $4 THEN ${NOW_UTC} ELSE "backfillFinishedAt" END, "updatedAt" = ${NOW_UTC}
     WHERE "shopId" = $1`,
    [shopId, state, error, finished],
  );
}
