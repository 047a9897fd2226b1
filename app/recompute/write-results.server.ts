import type { CustomerRecord } from "~/segments/customer-record";
import type { ProgramVersion } from "./segment-config.server";
import type { ClassifiedCustomer } from "./classify-batch.server";
import { customerCondition, isoDate, lockShopSegments } from "./database.server";
import type { CustomerSet } from "./database.server";
import type { SqlExecutor } from "~/database/sql-executor";

// Writes a batch of classified customers: profiles, loyalty statuses, tier history, segment memberships and their
// transitions, in one transaction; all but the profiles under the shop's segment lock. Facts are read before the
// lock is taken, so a customer whose stored profile was computed from newer facts (a refresh that ran meanwhile) is
// left alone.

export interface WriteOptions {
  shopId: string;
  program: ProgramVersion | null;
  /** Every stored version, for the names of tiers a program change removed (their moves out are recorded by name). */
  programVersions?: ReadonlyMap<number, ProgramVersion>;
  /** When the batch's facts were read: the version of what is written. */
  readAt: Date;
  /** Segment keys whose membership this batch decides (built-in and valid custom ones). */
  segmentKeys: ReadonlySet<string>;
  /** Whether the batch is a contiguous page of customers (matched as a key range). */
  contiguous?: boolean;
  now?: Date;
}

export interface WriteSummary {
  written: number;
  skippedNewer: number;
  entered: number;
  exited: number;
  tierChanges: number;
  /** Customers whose status another writer changed meanwhile: not written here, to be marked for the refresh. */
  overtaken: number;
}

export interface WriteOutcome extends WriteSummary {
  overtakenIds: string[];
}

export const emptyWriteSummary = (): WriteSummary => ({
  written: 0,
  skippedNewer: 0,
  entered: 0,
  exited: 0,
  tierChanges: 0,
  overtaken: 0,
});

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
  [
    "expectedOrderValueMinor",
    "bigint",
    (r) => (r.expectedOrderValueMinor === null ? null : Math.round(r.expectedOrderValueMinor)),
  ],
  ["clv12mMinor", "bigint", (r) => (r.clv12mMinor === null ? null : Math.round(r.clv12mMinor))],
  ["confidence", "text", (r) => r.confidence],
  ["segments", "text[]", (r) => r.segments],
  ["explanations", "jsonb", (r) => r.explanations],
];

const quoted = (column: string) => `"${column}"`;

// One parameter per column, zipped row by row (ROWS FROM): PostgreSQL parses an array literal faster than JSON
// records (docs/segments.md "Recompute"). Each array parameter is sent as one literal built here, not
// as a JavaScript array the driver would escape element by element. Array-typed columns travel as text elements
// (unnest would flatten arrays of arrays), cast back per row; numbers keep every digit as text. A jsonb column
// travels as one JSON array (json_array_elements), so its documents need no escaping.
const elementType = (type: string) =>
  type === "int" || type === "bigint" || type === "boolean" || type === "date" || type === "float8" ? type : "text";
const expand = (type: string, parameter: number) =>
  type === "jsonb" ? `json_array_elements($${parameter}::json)` : `unnest($${parameter}::${elementType(type)}[])`;
const castBack = (type: string, column: string) =>
  type === "jsonb" || elementType(type) !== type ? `${column}::${type}` : column;
// The admin's narrow copy of each profile written (schema.prisma, CustomerListing), in the same statement.
const LISTED = ["tierId", "tierName", "rfmGroup", "lifecycle", "confidence", "segments", "orders", "netSpendMinor"].map(
  quoted,
);
const LISTING_COLUMNS = [...LISTED, `"lastOrderKey"`, `"clvKey"`];
const LISTING_VALUES = [...LISTED, `COALESCE("lastOrderOn", DATE '0001-01-01')`, `COALESCE("clv12mMinor", -1)`];
const UPSERT_PROFILES = `
  WITH written AS (
    INSERT INTO "CustomerProfile" ("shopId", ${PROFILE_COLUMNS.map(([c]) => quoted(c)).join(", ")}, "computedAt")
    SELECT $1, ${PROFILE_COLUMNS.map(([, t], i) => castBack(t, `c${i}`)).join(", ")}, $${
      PROFILE_COLUMNS.length + 2
    }::timestamptz
      FROM ROWS FROM (${PROFILE_COLUMNS.map(([, t], i) => expand(t, i + 2)).join(", ")}) AS r(${PROFILE_COLUMNS.map(
        (_, i) => `c${i}`,
      ).join(", ")})
    ON CONFLICT ("shopId", "customerShopifyId") DO UPDATE SET
      ${[
        ...PROFILE_COLUMNS.slice(1).map(([c]) => `${quoted(c)} = EXCLUDED.${quoted(c)}`),
        `"computedAt" = EXCLUDED."computedAt"`,
      ].join(",\n      ")}
    WHERE "CustomerProfile"."computedAt" <= EXCLUDED."computedAt"
    RETURNING "shopId", "customerShopifyId", ${LISTING_VALUES.map(
      (value, i) => `${value} AS ${LISTING_COLUMNS[i]}`,
    ).join(", ")}
  )
  INSERT INTO "CustomerListing" ("shopId", "customerShopifyId", ${LISTING_COLUMNS.join(", ")})
  SELECT "shopId", "customerShopifyId", ${LISTING_COLUMNS.join(", ")} FROM written
  ON CONFLICT ("shopId", "customerShopifyId") DO UPDATE SET ${LISTING_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(
    ", ",
  )}`;

const NEEDS_ESCAPE = /["\\]/;
const escaped = (text: string) => text.replace(/["\\]/g, "\\$&");
/** An element of a PostgreSQL array literal: quoted, with quotes and backslashes escaped. */
const quotedElement = (text: string) => `"${NEEDS_ESCAPE.test(text) ? escaped(text) : text}"`;
/** An element of an array literal that is itself an element (quoted) of the column's literal: escaped twice. */
const nestedElement = (text: string) => `\\"${NEEDS_ESCAPE.test(text) ? escaped(escaped(text)) : text}\\"`;

/** How one column's value is written into its parameter: an array literal's element, or a JSON document. */
function encoderFor(type: string): (value: unknown) => string {
  if (type === "jsonb") return (value) => JSON.stringify(value ?? null);
  if (type === "int[]") return (value) => (value == null ? "NULL" : `"{${(value as number[]).join(",")}}"`);
  if (type.endsWith("[]"))
    return (value) =>
      value == null ? "NULL" : `"{${(value as unknown[]).map((item) => nestedElement(String(item))).join(",")}}"`;
  if (type === "text") return (value) => (value == null ? "NULL" : quotedElement(value as string));
  return (value) => (value == null ? "NULL" : String(value));
}

const PROFILE_ENCODERS = PROFILE_COLUMNS.map(([, type, value]) => {
  const encode = encoderFor(type);
  return (record: CustomerRecord) => encode(value(record));
});

/**
 * A batch ready to write: its profile parameters already encoded, column by column. The full pass prepares a batch
 * before it waits for an earlier batch's write, so a write transaction only ever waits on PostgreSQL, never on the
 * classification of the next batch, which runs in the same event loop. Slices of a batch prepared apart are joined
 * with joinPrepared.
 */
export interface PreparedBatch {
  batch: ClassifiedCustomer[];
  /** Per profile column, its values as the inside of the column's parameter (no brackets). */
  profileColumns: string[];
}

export function prepareBatch(batch: ClassifiedCustomer[]): PreparedBatch {
  return {
    batch,
    profileColumns: PROFILE_ENCODERS.map((encode) => batch.map((item) => encode(item.record)).join(",")),
  };
}

export function joinPrepared(parts: readonly PreparedBatch[]): PreparedBatch {
  const filled = parts.filter((part) => part.batch.length > 0);
  return {
    batch: filled.flatMap((part) => part.batch),
    profileColumns: PROFILE_COLUMNS.map((_, column) => filled.map((part) => part.profileColumns[column]).join(",")),
  };
}

function profileParameters(prepared: PreparedBatch): string[] {
  return PROFILE_COLUMNS.map(([, type], column) =>
    type === "jsonb" ? `[${prepared.profileColumns[column]}]` : `{${prepared.profileColumns[column]}}`,
  );
}

/** Rows as one array per field, in the order given: the parameters of an unnest over those fields. */
function columnsOf<Row, Field extends keyof Row>(
  rows: readonly Row[],
  fields: readonly Field[],
): Array<Array<Row[Field]>> {
  return fields.map((field) => rows.map((row) => row[field]));
}

/**
 * The batch's customers not to write: those whose stored profile was computed from newer facts, and those with no
 * live Customer row any more (deleted by customers/delete, or by a customers/redact, which removes the row in the
 * webhook's own transaction). Asked under the segment lock, which the privacy job's last step also takes, so a batch
 * read before a redaction arrived writes nothing for that customer once it has.
 */
async function customersToSkip(
  sql: SqlExecutor,
  shopId: string,
  customers: CustomerSet,
  readAt: Date,
): Promise<{ newer: Set<string>; gone: string[] }> {
  const which = customerCondition(`"customerShopifyId"`, customers, 4);
  const { rows } = await sql.query<{ id: string; gone: boolean }>(
    `SELECT "customerShopifyId" AS id, false AS gone FROM "CustomerProfile" WHERE "shopId" = $1 AND "computedAt" > $2::timestamptz AND ${which.sql}
     UNION ALL
     SELECT b.id, true FROM unnest($3::text[]) AS b(id)
      WHERE NOT EXISTS (SELECT 1 FROM "Customer" c WHERE c."shopId" = $1 AND c."shopifyId" = b.id AND c."deletedAt" IS NULL)`,
    [shopId, readAt.toISOString(), customers.ids, ...which.params],
  );
  return {
    newer: new Set(rows.filter((row) => !row.gone).map((row) => row.id)),
    gone: rows.filter((row) => row.gone).map((row) => row.id),
  };
}

/** The stored status a classification started from, as a comparable key ("none" when there was none). */
const statusKey = (from: ClassifiedCustomer["startedFrom"]) =>
  from ? `${from.programVersion}@${isoDate(from.evaluatedOn)}` : "none";

/**
 * Statuses and tier history, exactly once: a customer's new status and moves are written only if the stored status
 * is still the one they were brought forward from (compared under the shop's segment lock, which every status writer
 * holds). When another writer got there first (a refresh during a full pass), this one's moves may repeat or
 * contradict the moves already recorded, so nothing of it is written; the caller marks the customer for the profile
 * refresh (markForRefresh), which starts again from the status now stored.
 */
async function writeStatuses(
  sql: SqlExecutor,
  options: WriteOptions,
  items: ClassifiedCustomer[],
  customers: CustomerSet,
): Promise<{ tierChanges: number; overtaken: string[] }> {
  const program = options.program;
  if (!program) return { tierChanges: 0, overtaken: [] };
  const which = customerCondition(`"customerShopifyId"`, customers, 2);
  const { rows: stored } = await sql.query<{ id: string; key: string }>(
    `SELECT "customerShopifyId" AS id, "programVersion"::int::text || '@' || "evaluatedOn"::text AS key FROM "LoyaltyStatus" WHERE "shopId" = $1 AND ${which.sql}`,
    [options.shopId, ...which.params],
  );
  const storedKeys = new Map(stored.map((row) => [row.id, row.key]));
  const current = items.filter(
    (item) => item.status && (storedKeys.get(item.customerId) ?? "none") === statusKey(item.startedFrom),
  );
  const overtaken = items.filter((item) => item.status && !current.includes(item)).map((item) => item.customerId);
  const names = new Map(program.program.tiers.map((tier) => [tier.id, tier.name]));
  for (const version of options.programVersions?.values() ?? [])
    for (const tier of version.program.tiers) if (!names.has(tier.id)) names.set(tier.id, tier.name);
  const statusRows = current.map((item) => {
    const status = item.status as NonNullable<ClassifiedCustomer["status"]>;
    return {
      id: item.customerId,
      tier: status.tierId,
      since: isoDate(status.since),
      grace: isoDate(status.graceFrom),
      evaluated: isoDate(status.evaluatedOn),
    };
  });
  const changes = current.flatMap((item) =>
    item.moves.map((move) => ({
      id: item.customerId,
      on: isoDate(move.day),
      fromId: move.fromTierId,
      fromName: move.fromTierId === null ? null : (names.get(move.fromTierId) ?? move.fromTierId),
      toId: move.toTierId,
      toName: move.toTierId === null ? null : (names.get(move.toTierId) ?? move.toTierId),
      reason: move.reason,
    })),
  );
  // Arrays expanded by unnest: cheaper for PostgreSQL to read than a JSON document of records.
  if (statusRows.length > 0) {
    await sql.query(
      `INSERT INTO "LoyaltyStatus" ("shopId", "customerShopifyId", "programVersion", "tierId", since, "graceFrom", "evaluatedOn", "updatedAt")
       SELECT $1, r.id, $7, r.tier, r.since::date, r.grace::date, r.evaluated::date, now()
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS r(id, tier, since, grace, evaluated)
       ON CONFLICT ("shopId", "customerShopifyId") DO UPDATE SET "programVersion" = EXCLUDED."programVersion", "tierId" = EXCLUDED."tierId",
         since = EXCLUDED.since, "graceFrom" = EXCLUDED."graceFrom", "evaluatedOn" = EXCLUDED."evaluatedOn", "updatedAt" = now()`,
      [options.shopId, ...columnsOf(statusRows, ["id", "tier", "since", "grace", "evaluated"]), program.version],
    );
  }
  if (changes.length > 0) {
    await sql.query(
      `INSERT INTO "TierChange" ("shopId", "customerShopifyId", "on", "fromTierId", "fromTierName", "toTierId", "toTierName", reason)
       SELECT $1, r.id, r.on::date, r.from_id, r.from_name, r.to_id, r.to_name, r.reason
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS r(id, "on", from_id, from_name, to_id, to_name, reason)`,
      [options.shopId, ...columnsOf(changes, ["id", "on", "fromId", "fromName", "toId", "toName", "reason"])],
    );
  }
  return { tierChanges: changes.length, overtaken };
}

/**
 * Marks customers for the profile refresh (Customer.metricsDirtyAt, ingest's outbox), after the write transaction:
 * ingest and redaction lock a Customer row before its segmentation rows, so taking one while holding those could
 * deadlock. A crash in between only leaves the customer to the nightly pass.
 */
export async function markForRefresh(sql: SqlExecutor, shopId: string, customerIds: readonly string[]): Promise<void> {
  if (customerIds.length === 0) return;
  // (now() AT TIME ZONE 'UTC'): the column is timestamp(3) holding UTC, as ingest writes it (database/sql-conventions.ts).
  await sql.query(
    `UPDATE "Customer" SET "metricsDirtyAt" = (now() AT TIME ZONE 'UTC') WHERE "shopId" = $1 AND "shopifyId" = ANY($2::text[]) AND "deletedAt" IS NULL`,
    [shopId, [...customerIds]],
  );
}

async function writeMemberships(
  sql: SqlExecutor,
  options: WriteOptions,
  items: ClassifiedCustomer[],
  customers: CustomerSet,
  now: Date,
): Promise<{ entered: number; exited: number }> {
  const which = customerCondition(`"customerShopifyId"`, customers, 2);
  const { rows: open } = await sql.query<{ id: string; customer: string; key: string }>(
    `SELECT id::text AS id, "customerShopifyId" AS customer, "segmentKey" AS key FROM "SegmentMembership"
      WHERE "shopId" = $1 AND "exitedAt" IS NULL AND ${which.sql}`,
    [options.shopId, ...which.params],
  );
  const current = new Map<string, Map<string, string>>();
  for (const row of open) {
    if (!current.has(row.customer)) current.set(row.customer, new Map());
    current.get(row.customer)?.set(row.key, row.id);
  }
  const entered: Array<{ id: string; key: string; why: string | null }> = [];
  const exited: Array<{ id: string; key: string; membership: string; why: string | null }> = [];
  for (const item of items) {
    const before = current.get(item.customerId) ?? new Map<string, string>();
    const after = new Set(item.record.segments);
    for (const key of after)
      if (!before.has(key)) entered.push({ id: item.customerId, key, why: item.record.explanations[key] ?? null });
    for (const [key, membership] of before) {
      if (!after.has(key) && options.segmentKeys.has(key))
        exited.push({ id: item.customerId, key, membership, why: null });
    }
  }
  const at = now.toISOString();
  if (entered.length > 0) {
    await sql.query(
      `INSERT INTO "SegmentMembership" ("shopId", "customerShopifyId", "segmentKey", "enteredAt")
       SELECT $1, r.id, r.key, $4::timestamptz FROM unnest($2::text[], $3::text[]) AS r(id, key)`,
      [options.shopId, entered.map((row) => row.id), entered.map((row) => row.key), at],
    );
  }
  if (exited.length > 0) {
    await sql.query(
      `UPDATE "SegmentMembership" SET "exitedAt" = $3::timestamptz
        WHERE "shopId" = $1 AND id = ANY($2::text[]::bigint[])`,
      [options.shopId, exited.map((row) => row.membership), at],
    );
  }
  const transitions = [
    ...entered.map((row) => ({ ...row, kind: "entered" })),
    ...exited.map((row) => ({ id: row.id, key: row.key, why: row.why, kind: "exited" })),
  ];
  if (transitions.length > 0) {
    await sql.query(
      `INSERT INTO "SegmentTransition" ("shopId", "customerShopifyId", "segmentKey", kind, at, explanation)
       SELECT $1, r.id, r.key, r.kind, $6::timestamptz, r.why FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS r(id, key, kind, why)`,
      [
        options.shopId,
        transitions.map((t) => t.id),
        transitions.map((t) => t.key),
        transitions.map((t) => t.kind),
        transitions.map((t) => t.why),
        at,
      ],
    );
  }
  return { entered: entered.length, exited: exited.length };
}

/** Writes a batch; the caller marks the outcome's overtakenIds for the refresh once the transaction is over. */
export async function writeResults(
  sql: SqlExecutor,
  options: WriteOptions,
  input: ClassifiedCustomer[] | PreparedBatch,
): Promise<WriteOutcome> {
  const prepared = Array.isArray(input) ? prepareBatch(input) : input;
  const { batch } = prepared;
  if (batch.length === 0) return { ...emptyWriteSummary(), overtakenIds: [] };
  // Profiles before the lock: the upsert keeps any stored profile computed from newer facts (computedAt), so it
  // needs no lock, and two batches of a pass overlap here while the previous one holds the lock. Every writer takes
  // profile rows before the lock and nothing after it, so none waits for rows while holding the lock (no deadlock).
  await sql.query(UPSERT_PROFILES, [options.shopId, ...profileParameters(prepared), options.readAt.toISOString()]);
  await lockShopSegments(sql, options.shopId);
  const customers: CustomerSet = { ids: batch.map((item) => item.customerId), contiguous: options.contiguous ?? false };
  const { newer, gone } = await customersToSkip(sql, options.shopId, customers, options.readAt);
  if (gone.length > 0) {
    // Written by this very transaction (above) from facts read before the customer went: taken back.
    for (const table of ["CustomerProfile", "CustomerListing"]) {
      await sql.query(`DELETE FROM "${table}" WHERE "shopId" = $1 AND "customerShopifyId" = ANY($2::text[])`, [
        options.shopId,
        gone,
      ]);
    }
  }
  const skipped = new Set([...newer, ...gone]);
  const items = batch.filter((item) => !skipped.has(item.customerId));
  const summary: WriteOutcome = {
    ...emptyWriteSummary(),
    written: items.length,
    skippedNewer: newer.size,
    overtakenIds: [],
  };
  if (items.length === 0) return summary;
  const statuses = await writeStatuses(sql, options, items, customers);
  Object.assign(summary, {
    tierChanges: statuses.tierChanges,
    overtaken: statuses.overtaken.length,
    overtakenIds: statuses.overtaken,
  });
  Object.assign(summary, await writeMemberships(sql, options, items, customers, options.now ?? new Date()));
  return summary;
}
