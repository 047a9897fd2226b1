import type { Prisma, PrismaClient } from "@prisma/client";
import type { Database } from "~/db.server";
import type { SqlExecutor } from "~/database/sql-executor";
import { isoDateFromDay, type Day } from "./days";

// How segmentation reaches the database. Small, typed reads go through Prisma; the bulk statements of a full pass
// (reading a batch's orders, writing a batch's profiles and memberships) go through plain SQL. Given the app's
// Database on PostgreSQL, that SQL runs on node-postgres directly: Prisma's per-query mapping cost as much CPU as
// the segmentation itself. Given a Prisma client (or a Prisma transaction), it runs through Prisma's raw queries. Every query casts its results (::float8, ::text, ::int), so
// both paths return the same JavaScript values.

export type Db = PrismaClient | Prisma.TransactionClient;
export type DbSource = Db | Database;

export interface SqlRunner {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
}

export interface SegmentDb {
  prisma: Db;
  sql: SqlRunner;
  /** Runs work in one transaction: a new one, or the caller's when built from a transaction client. */
  transaction<T>(work: (sql: SqlRunner) => Promise<T>): Promise<T>;
}

function isDatabase(source: DbSource): source is Database {
  return "withConnection" in source && "jobQueueOptions" in source;
}

export function isClient(db: Db): db is PrismaClient {
  return "$transaction" in db && typeof (db as PrismaClient).$transaction === "function";
}

const prismaRunner = (db: Db): SqlRunner => ({ query: (text, params = []) => db.$queryRawUnsafe(text, ...params) });
const executorRunner = (executor: SqlExecutor): SqlRunner => ({
  query: async <Row,>(text: string, params?: unknown[]) => (await executor.query<Row>(text, params)).rows,
});

const TRANSACTION_OPTIONS = { timeout: 120_000, maxWait: 60_000 };

export function segmentDb(source: DbSource): SegmentDb {
  if (isDatabase(source)) {
    return {
      prisma: source.prisma,
      sql: executorRunner(source.sql),
      transaction: (work) =>
        source.withConnection(async (executor) => {
          await executor.query("BEGIN");
          try {
            const result = await work(executorRunner(executor));
            await executor.query("COMMIT");
            return result;
          } catch (error) {
            await executor.query("ROLLBACK");
            throw error;
          }
        }),
    };
  }
  const db = isDatabase(source) ? source.prisma : source;
  return {
    prisma: db,
    sql: prismaRunner(db),
    transaction: (work) => (isClient(db) ? db.$transaction((tx) => work(prismaRunner(tx)), TRANSACTION_OPTIONS) : work(prismaRunner(db))),
  };
}

/** Runs typed Prisma work in a transaction: a new one on a client, or the caller's. */
export async function inTransaction<T>(db: Db, work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return isClient(db) ? db.$transaction(work, TRANSACTION_OPTIONS) : work(db);
}

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

/** Every segmentation write for a shop holds this transaction lock, so batches and refreshes never interleave. */
export async function lockShopSegments(sql: SqlRunner, shopId: string): Promise<void> {
  await sql.query(`SELECT pg_advisory_xact_lock(hashtext('cadence.segments'), hashtext($1))::text`, [shopId]);
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

export function customerCondition(column: string, set: CustomerSet, firstParam: number): { sql: string; params: unknown[] } {
  if (set.contiguous && set.ids.length > 0) {
    return { sql: `${column} >= $${firstParam} AND ${column} <= $${firstParam + 1}`, params: [set.ids[0], set.ids[set.ids.length - 1]] };
  }
  return { sql: `${column} = ANY($${firstParam}::text[])`, params: [[...set.ids]] };
}
