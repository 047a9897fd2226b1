import { randomInt } from "node:crypto";
import type { Prisma, PrismaClient } from "@prisma/client";
import type { SqlExecutor } from "~/database/sql-executor";
import { shopUsable } from "~/privacy/gone";
import { dueForSync, NO_SYNC_ERROR, syncErrorColumns } from "~/shopify-admin/sync-outcome";
import type { SyncFailure } from "~/shopify-admin/sync-outcome";

// OfferDiscount rows: what Cadence created in Shopify for an offer's Cadence-created code, and the outbox the
// discount job drains. Every function takes the shop's row ID and filters on it. Each Shopify object's GID is stored
// the moment Shopify returns it, so an interrupted job never loses track of something it created.

type Db = PrismaClient | Prisma.TransactionClient;

export type OfferDiscountRecord = Prisma.OfferDiscountGetPayload<object>;

// Shoppers type codes: no 0/O or 1/I, which read alike.
const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** A code for the offer: its ID as a readable prefix, then six random characters so no shop's code is guessable. */
export function newOfferCode(offerId: string, random: (max: number) => number = randomInt): string {
  const prefix =
    offerId
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 20) || "CADENCE";
  let suffix = "";
  for (let index = 0; index < 6; index += 1) suffix += CODE_ALPHABET[random(CODE_ALPHABET.length)];
  return `${prefix}-${suffix}`;
}

/**
 * Marks the offer's discount as needing a sync, creating its row (and choosing its code) the first time. A change
 * clears the last error: it may be the merchant's fix. Returned unawaited so it can join the offer's transaction.
 */
export function markDiscountPending(prisma: Db, shopId: string, offerId: string, now = new Date()) {
  return prisma.offerDiscount.upsert({
    where: { shopId_offerId: { shopId, offerId } },
    create: { shopId, offerId, code: newOfferCode(offerId), pendingSince: now },
    update: { pendingSince: now, ...NO_SYNC_ERROR },
  });
}

export function discountRecord(prisma: Db, shopId: string, offerId: string): Promise<OfferDiscountRecord | null> {
  return prisma.offerDiscount.findUnique({ where: { shopId_offerId: { shopId, offerId } } });
}

export async function recordShopifyIds(
  prisma: Db,
  shopId: string,
  offerId: string,
  ids: { segmentGid?: string | null; discountGid?: string | null },
): Promise<void> {
  await prisma.offerDiscount.update({ where: { shopId_offerId: { shopId, offerId } }, data: ids });
}

/**
 * A sync finished: Shopify now has what the offer asked for when the sync read it. The pending mark is cleared only
 * if no change came in since (`pendingSince` is the mark the sync started from); a newer change is synced next.
 */
export async function finishSync(
  prisma: Db,
  shopId: string,
  offerId: string,
  pendingSince: Date | null,
  state: { active: boolean },
  now = new Date(),
): Promise<void> {
  await prisma.offerDiscount.update({
    where: { shopId_offerId: { shopId, offerId } },
    data: { ...state, ...NO_SYNC_ERROR, syncedAt: now },
  });
  await prisma.offerDiscount.updateMany({ where: { shopId, offerId, pendingSince }, data: { pendingSince: null } });
}

export async function recordSyncError(
  prisma: Db,
  shopId: string,
  offerId: string,
  failure: SyncFailure,
  now = new Date(),
): Promise<void> {
  await prisma.offerDiscount.updateMany({
    where: { shopId, offerId },
    data: syncErrorColumns(failure, now),
  });
}

/** The row goes once nothing of it is left in Shopify, unless the offer changed again meanwhile. */
export async function forgetDiscount(
  prisma: Db,
  shopId: string,
  offerId: string,
  pendingSince: Date | null,
): Promise<void> {
  await prisma.offerDiscount.deleteMany({
    where: { shopId, offerId, pendingSince, segmentGid: null, discountGid: null },
  });
}

/** The merchant's Retry: the error is cleared and the discount queued again. */
export async function retryDiscount(prisma: PrismaClient, shopId: string, offerId: string): Promise<void> {
  await markDiscountPending(prisma, shopId, offerId);
}

export async function hasPendingDiscount(prisma: Db, shopId: string, offerId: string): Promise<boolean> {
  return (await prisma.offerDiscount.count({ where: { shopId, offerId, pendingSince: { not: null } } })) > 0;
}

/**
 * Every installed shop's pending discounts: the sweep that catches a queue send lost between a change and its job,
 * and tries again what failed for a passing reason. A refusal (Shopify's userErrors) waits for the merchant: a
 * change to the offer, or Retry.
 */
export async function pendingDiscounts(sql: SqlExecutor): Promise<Array<{ shopId: string; offerId: string }>> {
  const { rows } = await sql.query<{ shopId: string; offerId: string }>(
    `SELECT d."shopId", d."offerId" FROM "OfferDiscount" d JOIN "Shop" s ON s."id" = d."shopId"
      WHERE ${dueForSync("d")} AND ${shopUsable("s")}
      ORDER BY d."pendingSince"`,
  );
  return rows;
}
