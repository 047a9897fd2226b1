import type { Prisma, PrismaClient } from "@prisma/client";
import { dayFromIsoDate, isoDateFromDay, type Day } from "./days";

// What the segmentation persistence needs from Prisma: a client, or a transaction of one (so the order-event
// refresh can run inside the transaction that recorded the order).

export type Db = PrismaClient | Prisma.TransactionClient;

export function isClient(db: Db): db is PrismaClient {
  return "$transaction" in db && typeof (db as PrismaClient).$transaction === "function";
}

/** Runs work in a transaction: a new one on a client, or the caller's. */
export async function inTransaction<T>(db: Db, work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return isClient(db) ? db.$transaction(work, { timeout: 120_000, maxWait: 60_000 }) : work(db);
}

/** DATE columns come back as midnight UTC. */
export function dayOfDate(date: Date | null): Day | null {
  return date === null ? null : Math.round(date.getTime() / 86_400_000);
}

export function dateOfDay(day: Day | null): Date | null {
  return day === null ? null : new Date(day * 86_400_000);
}

export function isoDate(day: Day | null): string | null {
  return day === null ? null : isoDateFromDay(day);
}

export { dayFromIsoDate };

/** Serialises rows for jsonb_to_recordset: bigints as strings PostgreSQL casts back exactly. */
export function jsonRows(rows: readonly object[]): string {
  return JSON.stringify(rows, (_key, value) => (typeof value === "bigint" ? value.toString() : value));
}

/** Every segmentation write for a shop holds this transaction lock, so batches and refreshes never interleave. */
export async function lockShopSegments(tx: Prisma.TransactionClient, shopId: string): Promise<void> {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext('cadence.segments'), hashtext($1))`, shopId);
}
