import type { Prisma } from "@prisma/client";
import type { CustomerRecord } from "~/segments/customer-record";
import type { ProgramVersion } from "./segment-config.server";
import type { ClassifiedCustomer } from "./classify-batch.server";
import { isoDate, jsonRows, lockShopSegments } from "./database.server";

// Writes a batch of classified customers: profiles, loyalty statuses, tier history, segment memberships and their
// transitions, in one transaction under the shop's segment lock. Facts are read before the lock is taken, so a
// customer whose stored profile was computed from newer facts (a refresh that ran meanwhile) is left alone.

type Tx = Prisma.TransactionClient;

export interface WriteOptions {
  shopId: string;
  program: ProgramVersion | null;
  /** When the batch's facts were read: the version of what is written. */
  readAt: Date;
  /** Segment keys whose membership this batch decides (built-in and valid custom ones). */
  segmentKeys: ReadonlySet<string>;
  now?: Date;
}

export interface WriteSummary {
  written: number;
  skippedNewer: number;
  entered: number;
  exited: number;
  tierChanges: number;
}

const PROFILE_COLUMNS: Array<[column: string, type: string, value: (r: CustomerRecord) => unknown]> = [
  ["customerShopifyId", "text", (r) => r.customerId],
  ["asOf", "date", (r) => isoDate(r.asOf)],
  ["orders", "int", (r) => r.orders],
  ["ordersPlaced", "int", (r) => r.ordersPlaced],
  ["netSpendMinor", "bigint", (r) => Math.round(r.netSpendMinor)],
  ["averageOrderValueMinor", "bigint", (r) => r.averageOrderValueMinor],
  ["firstOrderOn", "date", (r) => isoDate(r.firstOrderDay)],
  ["lastOrderOn", "date", (r) => isoDate(r.lastOrderDay)],
  ["daysSinceFirstOrder", "int", (r) => r.daysSinceFirstOrder],
  ["daysSinceLastOrder", "int", (r) => r.daysSinceLastOrder],
  ["purchaseDays", "int", (r) => r.purchaseDays],
  ["meanIntervalDays", "float8", (r) => r.meanIntervalDays],
  ["medianIntervalDays", "float8", (r) => r.medianIntervalDays],
  ["lastIntervalDays", "int", (r) => r.lastIntervalDays],
  ["netSpend365Minor", "bigint", (r) => Math.round(r.netSpend365Minor)],
  ["orders365", "int", (r) => r.orders365],
  ["refundedMinor", "bigint", (r) => Math.round(r.refundedMinor)],
  ["refundCancelShare", "float8", (r) => r.refundCancelShare],
  ["lastRefundOrCancelOn", "date", (r) => isoDate(r.lastRefundOrCancelDay)],
  ["lastOrderRefunded", "boolean", (r) => r.lastOrderRefunded],
  ["discountMinor", "bigint", (r) => Math.round(r.discountMinor)],
  ["discountedOrderShare", "float8", (r) => r.discountedOrderShare],
  ["topProductTypes", "text[]", (r) => r.topProductTypes],
  ["purchaseMonths", "int[]", (r) => r.purchaseMonths],
  ["purchaseYears", "int", (r) => r.purchaseYears],
  ["peakSeasonStartMonth", "int", (r) => r.peakSeasonStartMonth],
  ["peakSeasonShare", "float8", (r) => r.peakSeasonShare],
  ["peakSeasonYears", "int", (r) => r.peakSeasonYears],
  ["x", "int", (r) => r.x],
  ["tX", "int", (r) => r.tX],
  ["T", "int", (r) => r.T],
  ["tierId", "text", (r) => r.tierId],
  ["tierName", "text", (r) => r.tierName],
  ["rfmR", "int", (r) => r.rfmR],
  ["rfmF", "int", (r) => r.rfmF],
  ["rfmM", "int", (r) => r.rfmM],
  ["rfmGroup", "text", (r) => r.rfmGroup],
  ["lifecycle", "text", (r) => r.lifecycle],
  ["expectedGapDays", "float8", (r) => r.expectedGapDays],
  ["pAlive", "float8", (r) => r.pAlive],
  ["expectedOrders90", "float8", (r) => r.expectedOrders90],
  ["expectedOrders365", "float8", (r) => r.expectedOrders365],
  ["expectedNextOrderOn", "date", (r) => isoDate(r.expectedNextOrderDay)],
  ["expectedOrderValueMinor", "bigint", (r) => (r.expectedOrderValueMinor === null ? null : Math.round(r.expectedOrderValueMinor))],
  ["clv12mMinor", "bigint", (r) => (r.clv12mMinor === null ? null : Math.round(r.clv12mMinor))],
  ["confidence", "text", (r) => r.confidence],
  ["segments", "text[]", (r) => r.segments],
  ["explanations", "jsonb", (r) => r.explanations],
];

const quoted = (column: string) => `"${column}"`;
const UPSERT_PROFILES = `
  INSERT INTO "CustomerProfile" ("shopId", ${PROFILE_COLUMNS.map(([c]) => quoted(c)).join(", ")}, "computedAt")
  SELECT $1, ${PROFILE_COLUMNS.map(([c]) => `r.${quoted(c)}`).join(", ")}, $3::timestamptz
    FROM jsonb_to_recordset($2::jsonb) AS r(${PROFILE_COLUMNS.map(([c, t]) => `${quoted(c)} ${t}`).join(", ")})
  ON CONFLICT ("shopId", "customerShopifyId") DO UPDATE SET
    ${[...PROFILE_COLUMNS.slice(1).map(([c]) => `${quoted(c)} = EXCLUDED.${quoted(c)}`), `"computedAt" = EXCLUDED."computedAt"`].join(",\n    ")}
  WHERE "CustomerProfile"."computedAt" <= EXCLUDED."computedAt"`;

async function customersWithNewerProfiles(tx: Tx, shopId: string, ids: string[], readAt: Date): Promise<Set<string>> {
  const rows = await tx.$queryRawUnsafe<Array<{ id: string }>>(
    `SELECT "customerShopifyId" AS id FROM "CustomerProfile"
      WHERE "shopId" = $1 AND "customerShopifyId" IN (SELECT jsonb_array_elements_text($2::jsonb)) AND "computedAt" > $3::timestamptz`,
    shopId,
    JSON.stringify(ids),
    readAt.toISOString(),
  );
  return new Set(rows.map((row) => row.id));
}

async function writeStatuses(tx: Tx, options: WriteOptions, items: ClassifiedCustomer[]): Promise<number> {
  const program = options.program;
  if (!program) return 0;
  const ids = items.map((item) => item.customerId);
  // Tier moves already recorded by a writer that got here first (same facts, same replay) are not repeated.
  const stored = await tx.$queryRawUnsafe<Array<{ id: string; evaluated: string }>>(
    `SELECT "customerShopifyId" AS id, "evaluatedOn"::text AS evaluated, "programVersion" AS version FROM "LoyaltyStatus"
      WHERE "shopId" = $1 AND "customerShopifyId" IN (SELECT jsonb_array_elements_text($2::jsonb))`,
    options.shopId,
    JSON.stringify(ids),
  );
  const evaluated = new Map(stored.map((row) => [row.id, Math.round(Date.parse(row.evaluated) / 86_400_000)]));
  const names = new Map(program.program.tiers.map((tier) => [tier.id, tier.name]));
  const statusRows = items.flatMap((item) =>
    item.status
      ? [{ id: item.customerId, tier: item.status.tierId, since: isoDate(item.status.since), grace: isoDate(item.status.graceFrom), evaluated: isoDate(item.status.evaluatedOn) }]
      : [],
  );
  const changes = items.flatMap((item) =>
    item.moves
      .filter((move) => move.reason === "program-change" || move.day > (evaluated.get(item.customerId) ?? -Infinity))
      .map((move) => ({
        id: item.customerId,
        on: isoDate(move.day),
        fromId: move.fromTierId,
        fromName: move.fromTierId === null ? null : (names.get(move.fromTierId) ?? move.fromTierId),
        toId: move.toTierId,
        toName: move.toTierId === null ? null : (names.get(move.toTierId) ?? move.toTierId),
        reason: move.reason,
      })),
  );
  if (statusRows.length > 0) {
    await tx.$executeRawUnsafe(
      `INSERT INTO "LoyaltyStatus" ("shopId", "customerShopifyId", "programVersion", "tierId", since, "graceFrom", "evaluatedOn", "updatedAt")
       SELECT $1, r.id, $3, r.tier, r.since, r.grace, r.evaluated, now() FROM jsonb_to_recordset($2::jsonb) AS r(id text, tier text, since date, grace date, evaluated date)
       ON CONFLICT ("shopId", "customerShopifyId") DO UPDATE SET "programVersion" = EXCLUDED."programVersion", "tierId" = EXCLUDED."tierId",
         since = EXCLUDED.since, "graceFrom" = EXCLUDED."graceFrom", "evaluatedOn" = EXCLUDED."evaluatedOn", "updatedAt" = now()
       WHERE "LoyaltyStatus"."evaluatedOn" <= EXCLUDED."evaluatedOn"`,
      options.shopId,
      jsonRows(statusRows),
      program.version,
    );
  }
  if (changes.length > 0) {
    await tx.$executeRawUnsafe(
      `INSERT INTO "TierChange" ("shopId", "customerShopifyId", "on", "fromTierId", "fromTierName", "toTierId", "toTierName", reason)
       SELECT $1, r.id, r.on, r."fromId", r."fromName", r."toId", r."toName", r.reason
         FROM jsonb_to_recordset($2::jsonb) AS r(id text, "on" date, "fromId" text, "fromName" text, "toId" text, "toName" text, reason text)`,
      options.shopId,
      jsonRows(changes),
    );
  }
  return changes.length;
}

async function writeMemberships(tx: Tx, options: WriteOptions, items: ClassifiedCustomer[], now: Date): Promise<{ entered: number; exited: number }> {
  const open = await tx.$queryRawUnsafe<Array<{ id: bigint; customer: string; key: string }>>(
    `SELECT id, "customerShopifyId" AS customer, "segmentKey" AS key FROM "SegmentMembership"
      WHERE "shopId" = $1 AND "exitedAt" IS NULL AND "customerShopifyId" IN (SELECT jsonb_array_elements_text($2::jsonb))`,
    options.shopId,
    JSON.stringify(items.map((item) => item.customerId)),
  );
  const current = new Map<string, Map<string, bigint>>();
  for (const row of open) {
    if (!current.has(row.customer)) current.set(row.customer, new Map());
    current.get(row.customer)?.set(row.key, BigInt(row.id));
  }
  const entered: Array<{ id: string; key: string; why: string | null }> = [];
  const exited: Array<{ id: string; key: string; membership: string; why: string | null }> = [];
  for (const item of items) {
    const before = current.get(item.customerId) ?? new Map<string, bigint>();
    const after = new Set(item.record.segments);
    for (const key of after) if (!before.has(key)) entered.push({ id: item.customerId, key, why: item.record.explanations[key] ?? null });
    for (const [key, membership] of before) {
      if (!after.has(key) && options.segmentKeys.has(key)) exited.push({ id: item.customerId, key, membership: membership.toString(), why: null });
    }
  }
  const at = now.toISOString();
  if (entered.length > 0) {
    await tx.$executeRawUnsafe(
      `INSERT INTO "SegmentMembership" ("shopId", "customerShopifyId", "segmentKey", "enteredAt")
       SELECT $1, r.id, r.key, $3::timestamptz FROM jsonb_to_recordset($2::jsonb) AS r(id text, key text)`,
      options.shopId,
      jsonRows(entered),
      at,
    );
  }
  if (exited.length > 0) {
    await tx.$executeRawUnsafe(
      `UPDATE "SegmentMembership" SET "exitedAt" = $3::timestamptz
        WHERE "shopId" = $1 AND id IN (SELECT (jsonb_array_elements_text($2::jsonb))::bigint)`,
      options.shopId,
      JSON.stringify(exited.map((row) => row.membership)),
      at,
    );
  }
  const transitions = [...entered.map((row) => ({ ...row, kind: "entered" })), ...exited.map((row) => ({ id: row.id, key: row.key, why: row.why, kind: "exited" }))];
  if (transitions.length > 0) {
    await tx.$executeRawUnsafe(
      `INSERT INTO "SegmentTransition" ("shopId", "customerShopifyId", "segmentKey", kind, at, explanation)
       SELECT $1, r.id, r.key, r.kind, $3::timestamptz, r.why FROM jsonb_to_recordset($2::jsonb) AS r(id text, key text, kind text, why text)`,
      options.shopId,
      jsonRows(transitions),
      at,
    );
  }
  return { entered: entered.length, exited: exited.length };
}

export async function writeResults(tx: Tx, options: WriteOptions, batch: ClassifiedCustomer[]): Promise<WriteSummary> {
  await lockShopSegments(tx, options.shopId);
  const newer = await customersWithNewerProfiles(tx, options.shopId, batch.map((item) => item.customerId), options.readAt);
  const items = batch.filter((item) => !newer.has(item.customerId));
  const summary: WriteSummary = { written: items.length, skippedNewer: newer.size, entered: 0, exited: 0, tierChanges: 0 };
  if (items.length === 0) return summary;
  await tx.$executeRawUnsafe(UPSERT_PROFILES, options.shopId, jsonRows(items.map((item) => Object.fromEntries(PROFILE_COLUMNS.map(([c, , v]) => [c, v(item.record)])))), options.readAt.toISOString());
  summary.tierChanges = await writeStatuses(tx, options, items);
  Object.assign(summary, await writeMemberships(tx, options, items, options.now ?? new Date()));
  return summary;
}
