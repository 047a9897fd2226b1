import type { Prisma, PrismaClient } from "@prisma/client";
import type { SqlExecutor } from "~/database/sql-executor";
import { shopUsable } from "~/privacy/gone";
import { dueForSync, NO_SYNC_ERROR, syncErrorColumns } from "~/shopify-admin/sync-outcome";
import type { SyncFailure } from "~/shopify-admin/sync-outcome";

// NativeSegment rows: which Cadence segments the merchant uses in Shopify, the GID of each native segment, and the
// outbox the native-segment job drains. Every function takes the shop's row ID and filters on it.

type Db = PrismaClient | Prisma.TransactionClient;

export type NativeSegmentRecord = Prisma.NativeSegmentGetPayload<object>;

/**
 * The merchant's "Use in Shopify" (true) or "Stop using in Shopify" (false): marks the segment's sync pending and clears
 * the last error (the request may be the merchant's fix). Turning off a segment that was never on changes nothing.
 */
export async function requestNativeSegment(
  prisma: Db,
  shopId: string,
  segmentKey: string,
  enabled: boolean,
  now = new Date(),
): Promise<boolean> {
  const reset = { pendingSince: now, ...NO_SYNC_ERROR };
  if (!enabled)
    return (
      (await prisma.nativeSegment.updateMany({ where: { shopId, segmentKey }, data: { enabled: false, ...reset } }))
        .count > 0
    );
  await prisma.nativeSegment.upsert({
    where: { shopId_segmentKey: { shopId, segmentKey } },
    create: { shopId, segmentKey, enabled: true, ...reset },
    update: { enabled: true, ...reset },
  });
  return true;
}

export function nativeSegmentRecord(
  prisma: Db,
  shopId: string,
  segmentKey: string,
): Promise<NativeSegmentRecord | null> {
  return prisma.nativeSegment.findUnique({ where: { shopId_segmentKey: { shopId, segmentKey } } });
}

export async function recordNativeSegment(
  prisma: Db,
  shopId: string,
  segmentKey: string,
  data: { segmentGid?: string | null; shopifyName?: string },
): Promise<void> {
  await prisma.nativeSegment.updateMany({ where: { shopId, segmentKey }, data });
}

/** Shopify has the segment with this query; the pending mark is cleared unless a newer request came in meanwhile. */
export async function finishNativeSegmentSync(
  prisma: Db,
  shopId: string,
  segmentKey: string,
  pendingSince: Date | null,
  shopifyQuery: string,
  now = new Date(),
): Promise<void> {
  await prisma.nativeSegment.updateMany({
    where: { shopId, segmentKey },
    data: { shopifyQuery, ...NO_SYNC_ERROR, syncedAt: now },
  });
  await prisma.nativeSegment.updateMany({ where: { shopId, segmentKey, pendingSince }, data: { pendingSince: null } });
}

export async function recordNativeSegmentError(
  prisma: Db,
  shopId: string,
  segmentKey: string,
  failure: SyncFailure,
  now = new Date(),
): Promise<void> {
  await prisma.nativeSegment.updateMany({
    where: { shopId, segmentKey },
    data: syncErrorColumns(failure, now),
  });
}

/** The row goes once its native segment is gone from Shopify, unless the merchant turned it on again meanwhile. */
export async function forgetNativeSegment(
  prisma: Db,
  shopId: string,
  segmentKey: string,
  pendingSince: Date | null,
): Promise<void> {
  await prisma.nativeSegment.deleteMany({ where: { shopId, segmentKey, pendingSince, segmentGid: null } });
}

/**
 * Every installed shop's native segments that need a sync: a request whose job was never sent, a temporary failure
 * due another try, and (`drifted`) enabled segments whose name Shopify has is no longer the one they need (a renamed
 * tier or custom segment) or whose Cadence segment is gone. A refusal waits for the merchant's Retry.
 */
export async function pendingNativeSegments(sql: SqlExecutor): Promise<Array<{ shopId: string; segmentKey: string }>> {
  const { rows } = await sql.query<{ shopId: string; segmentKey: string }>(
    `SELECT n."shopId", n."segmentKey" FROM "NativeSegment" n JOIN "Shop" s ON s."id" = n."shopId"
      WHERE ${dueForSync("n")} AND ${shopUsable("s")}
      ORDER BY n."pendingSince"`,
  );
  return rows;
}

/** A shop's enabled native segments that are in step as far as Cadence knows (not pending), for the drift check. */
export function settledNativeSegments(
  prisma: Db,
  shopId: string,
): Promise<Array<Pick<NativeSegmentRecord, "segmentKey" | "shopifyName">>> {
  return prisma.nativeSegment.findMany({
    where: { shopId, enabled: true, pendingSince: null, lastError: null },
    select: { segmentKey: true, shopifyName: true },
  });
}

/** Marks segments pending again (a rename, or a Cadence segment that no longer exists). */
export async function markNativeSegmentsPending(
  prisma: Db,
  shopId: string,
  segmentKeys: string[],
  now = new Date(),
): Promise<void> {
  if (segmentKeys.length)
    await prisma.nativeSegment.updateMany({
      where: { shopId, segmentKey: { in: segmentKeys }, pendingSince: null },
      data: { pendingSince: now },
    });
}
