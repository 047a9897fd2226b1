import { Prisma } from "@prisma/client";
import type { PrismaClient } from "@prisma/client";
import { customerRedactionPending } from "~/privacy/gone";

// Segment movement as the admin counts it: entries and exits (and tier changes) after the shop's baseline, the end
// of the first full pass over its whole order history (app/recompute/baseline.server.ts), and for a custom segment
// after the fill that followed its last save. Before those, the log holds the import placing customers where they
// already were: "+293 in the last 30 days" on the day of install would be the import, not customers moving.

export interface MovementWindow {
  /** When the import's placements end; null while the order history is still being imported. */
  baselineAt: Date | null;
  /** Movement counts from here: the later of the baseline and 30 days ago; null when there is no baseline yet. */
  from: Date | null;
}

export type Movement = Map<string, { entered: number; exited: number }>;

/** Movement leaves out customers whose redaction is pending (app/privacy/gone.ts): they count nowhere. */
const KEPT = Prisma.raw(`NOT ${customerRedactionPending(`t."shopId"`, `t."customerShopifyId"`)}`);

const DAYS_30 = 30 * 86_400_000;

export async function movementWindow(prisma: PrismaClient, shopId: string, now = new Date()): Promise<MovementWindow> {
  const state = await prisma.modelState.findUnique({ where: { shopId }, select: { baselineAt: true } });
  const baselineAt = state?.baselineAt ?? null;
  if (!baselineAt) return { baselineAt: null, from: null };
  const monthAgo = new Date(now.getTime() - DAYS_30);
  return { baselineAt, from: baselineAt > monthAgo ? baselineAt : monthAgo };
}

/** Entries and exits per membership segment (win-back, occasions, custom) since `from`. */
export async function membershipMovement(prisma: PrismaClient, shopId: string, from: Date | null): Promise<Movement> {
  if (!from) return new Map();
  const rows = await prisma.$queryRaw<{ key: string; entered: number; exited: number }[]>`
    SELECT t."segmentKey" AS key, count(*) FILTER (WHERE t.kind = 'entered')::int AS entered, count(*) FILTER (WHERE t.kind = 'exited')::int AS exited
      FROM "SegmentTransition" t
      LEFT JOIN "SegmentDefinition" d ON d."shopId" = t."shopId" AND d.key = t."segmentKey"
     WHERE t."shopId" = ${shopId} AND t.at > ${from} AND (d."filledAt" IS NULL OR t.at > d."filledAt") AND ${KEPT}
     GROUP BY 1`;
  return new Map(rows.map((row) => [row.key, { entered: row.entered, exited: row.exited }]));
}

/** Customers into and out of each tier (by tier ID) since `from`. */
export async function tierMovement(prisma: PrismaClient, shopId: string, from: Date | null): Promise<Movement> {
  if (!from) return new Map();
  const rows = await prisma.$queryRaw<{ tier: string; entered: number; exited: number }[]>`
    SELECT tier, sum(entered)::int AS entered, sum(exited)::int AS exited FROM (
      SELECT "toTierId" AS tier, 1 AS entered, 0 AS exited FROM "TierChange" t WHERE "shopId" = ${shopId} AND "createdAt" > ${from} AND "toTierId" IS NOT NULL AND ${KEPT}
      UNION ALL
      SELECT "fromTierId", 0, 1 FROM "TierChange" t WHERE "shopId" = ${shopId} AND "createdAt" > ${from} AND "fromTierId" IS NOT NULL AND ${KEPT}
    ) moves GROUP BY tier`;
  return new Map(rows.map((row) => [row.tier, { entered: row.entered, exited: row.exited }]));
}

/** Weekly entries and exits over the last 26 weeks, after the baseline (and a custom segment's fill). */
export function membershipWeeks(prisma: PrismaClient, shopId: string, segmentKey: string, baselineAt: Date | null) {
  if (!baselineAt) return Promise.resolve([]);
  return prisma.$queryRaw<WeekRow[]>`
    SELECT to_char(date_trunc('week', t.at), 'YYYY-MM-DD') AS week, count(*) FILTER (WHERE t.kind = 'entered')::int AS entered, count(*) FILTER (WHERE t.kind = 'exited')::int AS exited
      FROM "SegmentTransition" t
      LEFT JOIN "SegmentDefinition" d ON d."shopId" = t."shopId" AND d.key = t."segmentKey"
     WHERE t."shopId" = ${shopId} AND t."segmentKey" = ${segmentKey} AND t.at >= now() - interval '26 weeks' AND t.at > ${baselineAt}
       AND (d."filledAt" IS NULL OR t.at > d."filledAt") AND ${KEPT}
     GROUP BY 1 ORDER BY 1`;
}

export function tierWeeks(prisma: PrismaClient, shopId: string, tierId: string, baselineAt: Date | null) {
  if (!baselineAt) return Promise.resolve([]);
  return prisma.$queryRaw<WeekRow[]>`
    SELECT to_char(date_trunc('week', "createdAt"), 'YYYY-MM-DD') AS week,
           count(*) FILTER (WHERE "toTierId" = ${tierId})::int AS entered, count(*) FILTER (WHERE "fromTierId" = ${tierId})::int AS exited
      FROM "TierChange" t WHERE "shopId" = ${shopId} AND ("toTierId" = ${tierId} OR "fromTierId" = ${tierId})
       AND "createdAt" >= now() - interval '26 weeks' AND "createdAt" > ${baselineAt} AND ${KEPT}
     GROUP BY 1 ORDER BY 1`;
}

export type WeekRow = { week: string; entered: number; exited: number };
