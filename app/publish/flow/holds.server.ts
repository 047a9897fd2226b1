import type { SqlExecutor } from "~/database/sql-executor";
import { builtinSegmentLabel, isBuiltinSegment } from "~/segments/names";
import { DEFAULT_HOLD_ABOVE, HOLD_ABOVE_LIMITS, HOLD_SHARE } from "./hold-rules";
import type { TriggerKind } from "./triggers";

// Mass moves. Triggers arrive as "new"; before any is sent, the new ones are grouped by the move they make (one tier
// move such as Gold → Silver, or entering or leaving one segment). A group larger than the shop's hold size is held
// for the merchant (a FlowHold, shown on the Flow activity page with "Send to Flow" and "Don't send"); the rest
// become "pending". A program change that moves thousands, a new custom segment, or a threshold change in the
// settings lands in one full pass, which is evaluated whole: the dispatcher does not evaluate while the shop's full
// pass runs (its lease is held). Day-to-day moves (an order, the days passing) stay far below the hold size.

/** The move a trigger makes, as one SQL expression over t (FlowTrigger), c (TierChange) and s (SegmentTransition). */
const GROUP_KEY = `CASE WHEN t."tierChangeId" IS NOT NULL THEN coalesce(c."fromTierId", '') || '>' || coalesce(c."toTierId", c.reason) ELSE s."segmentKey" END`;
const JOINS = `LEFT JOIN "TierChange" c ON c.id = t."tierChangeId" LEFT JOIN "SegmentTransition" s ON s.id = t."segmentTransitionId"`;

export interface HoldEvaluation {
  evaluated: number;
  held: number;
  holds: number;
}

interface Group {
  kind: TriggerKind;
  key: string;
  customers: number;
  fromName: string | null;
  toName: string | null;
  segmentName: string | null;
}

/** The shop's hold size (FlowState.holdAbove), or the default before the merchant set one. */
export async function holdAbove(sql: SqlExecutor, shopId: string): Promise<number> {
  const { rows } = await sql.query<{ holdAbove: number }>(`SELECT "holdAbove" FROM "FlowState" WHERE "shopId" = $1`, [
    shopId,
  ]);
  return rows[0]?.holdAbove ?? DEFAULT_HOLD_ABOVE;
}

function holdLabel(group: Group): string {
  if (group.kind === "tier-changed")
    return `Tier ${group.fromName ?? "No tier"} → ${group.toName ?? "their earned tier"}`;
  if (group.kind === "became-at-risk") return "Became at risk";
  const name = group.segmentName ?? (isBuiltinSegment(group.key) ? builtinSegmentLabel(group.key) : group.key);
  return `${group.kind === "segment-entered" ? "Entered" : "Left"} ${name}`;
}

/** Evaluates every "new" trigger of the shop (up to the newest one seen at the start). Run under the dispatch lock. */
export async function evaluateNewTriggers(sql: SqlExecutor, shopId: string): Promise<HoldEvaluation> {
  const newest = await sql.query<{ max: string | null }>(
    `SELECT max(id)::text AS max FROM "FlowTrigger" WHERE "shopId" = $1 AND state = 'new'`,
    [shopId],
  );
  const max = newest.rows[0]?.max;
  if (!max) return { evaluated: 0, held: 0, holds: 0 };
  const { rows: groups } = await sql.query<Group>(
    `SELECT t.kind, ${GROUP_KEY} AS key, count(*)::int AS customers, min(c."fromTierName") AS "fromName", min(c."toTierName") AS "toName", min(d.name) AS "segmentName"
       FROM "FlowTrigger" t ${JOINS}
       LEFT JOIN "SegmentDefinition" d ON d."shopId" = t."shopId" AND d.key = s."segmentKey"
      WHERE t."shopId" = $1 AND t.state = 'new' AND t.id <= $2::bigint
      GROUP BY t.kind, ${GROUP_KEY}`,
    [shopId, max],
  );
  const floor = await holdAbove(sql, shopId);
  let limit = floor;
  if (groups.some((group) => group.customers > floor)) {
    const { rows } = await sql.query<{ customers: number }>(
      `SELECT count(*)::int AS customers FROM "CustomerListing" WHERE "shopId" = $1`,
      [shopId],
    );
    limit = Math.max(floor, Math.ceil(HOLD_SHARE * (rows[0]?.customers ?? 0)));
  }
  let held = 0;
  let holds = 0;
  for (const group of groups.filter((candidate) => candidate.customers > limit)) {
    const hold = await sql.query<{ id: string }>(
      `INSERT INTO "FlowHold" ("shopId", kind, "groupKey", label, customers, state) VALUES ($1, $2, $3, $4, $5, 'held') RETURNING id::text AS id`,
      [shopId, group.kind, group.key, holdLabel(group), group.customers],
    );
    await sql.query(
      `UPDATE "FlowTrigger" u SET state = 'held', "holdId" = $5::bigint
         FROM "FlowTrigger" t ${JOINS}
        WHERE u.id = t.id AND t."shopId" = $1 AND t.state = 'new' AND t.id <= $2::bigint AND t.kind = $3 AND ${GROUP_KEY} = $4`,
      [shopId, max, group.kind, group.key, hold.rows[0]!.id],
    );
    held += group.customers;
    holds += 1;
  }
  const released = await sql.query<{ id: string }>(
    `UPDATE "FlowTrigger" SET state = 'pending' WHERE "shopId" = $1 AND state = 'new' AND id <= $2::bigint RETURNING id::text AS id`,
    [shopId, max],
  );
  return { evaluated: held + released.rows.length, held, holds };
}

export class FlowControlError extends Error {
  override name = "FlowControlError";
}

/** The merchant's answer to a held move: send its triggers to Flow, or not. Returns how many triggers it covered. */
export async function decideHold(
  sql: SqlExecutor,
  shopId: string,
  holdId: string,
  decision: "send" | "discard",
): Promise<number> {
  const hold = await sql.query<{ id: string }>(
    `UPDATE "FlowHold" SET state = $3::text, "decidedAt" = now() WHERE "shopId" = $1 AND id = $2::bigint AND state = 'held' RETURNING id::text AS id`,
    [shopId, holdId, decision === "send" ? "released" : "discarded"],
  );
  if (hold.rows.length === 0) throw new FlowControlError("This held move was already decided, or is not this shop's.");
  const moved = await sql.query<{ id: string }>(
    `UPDATE "FlowTrigger" SET state = $3::text, "settledAt" = CASE WHEN $3::text = 'discarded' THEN now() END
      WHERE "shopId" = $1 AND "holdId" = $2::bigint AND state = 'held' RETURNING id::text AS id`,
    [shopId, holdId, decision === "send" ? "pending" : "discarded"],
  );
  return moved.rows.length;
}

/** Triggers that may not have reached Flow (a crash or a lost answer while sending): send them again, or not. */
export async function decideUnconfirmed(
  sql: SqlExecutor,
  shopId: string,
  decision: "send" | "discard",
): Promise<number> {
  const moved = await sql.query<{ id: string }>(
    `UPDATE "FlowTrigger" SET state = $2::text, "claimToken" = NULL, error = NULL, "settledAt" = CASE WHEN $2::text = 'discarded' THEN now() END
      WHERE "shopId" = $1 AND state = 'unconfirmed' RETURNING id::text AS id`,
    [shopId, decision === "send" ? "pending" : "discarded"],
  );
  return moved.rows.length;
}

/** Sets the shop's hold size (validated by the caller's form: HOLD_ABOVE_LIMITS). */
export async function setHoldAbove(sql: SqlExecutor, shopId: string, value: number): Promise<void> {
  if (!Number.isInteger(value) || value < HOLD_ABOVE_LIMITS.min || value > HOLD_ABOVE_LIMITS.max) {
    throw new FlowControlError(
      `Enter a whole number of customers from ${HOLD_ABOVE_LIMITS.min} to ${HOLD_ABOVE_LIMITS.max.toLocaleString(
        "en",
      )}.`,
    );
  }
  await sql.query(
    `INSERT INTO "FlowState" ("shopId", "holdAbove") VALUES ($1, $2)
     ON CONFLICT ("shopId") DO UPDATE SET "holdAbove" = EXCLUDED."holdAbove", "updatedAt" = now()`,
    [shopId, value],
  );
}
