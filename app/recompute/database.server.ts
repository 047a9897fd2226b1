import type { Prisma } from "@prisma/client";
import type { SqlExecutor } from "~/database/sql-executor";
import { isoDateFromDay } from "~/profiles/days";
import type { Day } from "~/profiles/days";

// How segmentation's SQL is written. Segmentation reaches the database through the app's one Database
// (app/db.server.ts): typed reads and small writes through its Prisma client, the bulk statements of a full pass
// (reading a batch's orders, writing a batch's profiles and memberships) as plain SQL on node-postgres, where
// Prisma's per-query mapping would cost as much CPU as the segmentation itself. Every query casts its results
// (::float8, ::text, ::int), so what comes back is plain JavaScript values.

/** DATE columns come back as midnight UTC. */
export function dayOfDate(date: Date | null): Day | null {
  return date === null ? null : Math.round(date.getTime() / 86_400_000);
}

/** A DATE read as text ("2026-03-01"). */
export function dayOfText(text: string | null): Day | null {
  return text === null ? null : Math.round(Date.parse(text) / 86_400_000);
}

export function dateOfDay(day: Day | null): Date | null {
  return day === null ? null : new Date(day * 86_400_000);
}

export function isoDate(day: Day | null): string | null {
  return day === null ? null : isoDateFromDay(day);
}

/** For Prisma transactions of segmentation writes: they wait for the shop's segment lock, held by a batch write. */
export const PRISMA_TRANSACTION_OPTIONS = { timeout: 120_000, maxWait: 60_000 };

const LOCK_SHOP_SEGMENTS = `SELECT pg_advisory_xact_lock(hashtext('cadence.segments'), hashtext($1))::text`;

/** Every segmentation write for a shop holds this transaction lock, so batches and refreshes never interleave. */
export async function lockShopSegments(sql: SqlExecutor, shopId: string): Promise<void> {
  await sql.query(LOCK_SHOP_SEGMENTS, [shopId]);
}

/** The same lock inside a Prisma transaction (staff overrides and custom segments write through Prisma). */
export async function lockShopSegmentsInPrisma(tx: Prisma.TransactionClient, shopId: string): Promise<void> {
  await tx.$queryRawUnsafe(LOCK_SHOP_SEGMENTS, shopId);
}

/**
 * Customers a statement is about: a page of the shop's customers in index order (a full-pass batch) is matched
 * as one key range, which PostgreSQL reads with one index descent; any other set by list. Rows of customers
 * outside the set that fall inside a range are ignored by the callers, who look results up by customer.
 */
export interface CustomerSet {
  ids: readonly string[];
  /** True when ids is a contiguous page of the Customer table in its index order. */
  contiguous: boolean;
}

export function customerCondition(
  column: string,
  set: CustomerSet,
  firstParam: number,
): { sql: string; params: unknown[] } {
  if (set.contiguous && set.ids.length > 0) {
    return {
      sql: `${column} >= $${firstParam} AND ${column} <= $${firstParam + 1}`,
      params: [set.ids[0], set.ids[set.ids.length - 1]],
    };
  }
  return { sql: `${column} = ANY($${firstParam}::text[])`, params: [[...set.ids]] };
}
