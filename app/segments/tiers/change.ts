import type { Day } from "~/profiles/days";
import type { ProfileOrder } from "~/profiles/orders";
import { tierIndex, type LoyaltyProgram } from "./program";
import { replayTier, type TierStatus, type TierTransition } from "./replay";

// Changing a program never switches it off: every customer keeps their tier (or, when it was removed, the nearest
// lower tier that still exists) and is re-evaluated under the new rules from the day of the change. Upgrades
// happen at once; a customer who no longer meets the new retain threshold gets the full grace period first.

/** A status carried into a new program version. */
export function carryStatus(status: TierStatus, from: LoyaltyProgram, to: LoyaltyProgram): TierStatus {
  let index = tierIndex(from, status.tierId);
  while (index >= 0 && tierIndex(to, from.tiers[index]!.id) < 0) index -= 1;
  if (index < 0) return { ...status, tierId: null, since: null, graceFrom: null };
  const tierId = from.tiers[index]!.id;
  // A grace period under the old rules does not carry over: the new retain threshold decides afresh.
  return tierId === status.tierId ? { ...status, graceFrom: null } : { ...status, tierId, graceFrom: null };
}

/** The status on `day` under the new program, starting from the status the old program gave on the day before. */
export function changeProgram(
  from: LoyaltyProgram,
  to: LoyaltyProgram,
  orders: readonly ProfileOrder[],
  status: TierStatus,
  day: Day,
): { before: TierStatus; after: TierStatus } {
  const before = replayTier(from, orders, status, day - 1).status;
  const after = replayTier(to, orders, carryStatus(before, from, to), day).status;
  return { before, after };
}

export interface ProgramChangePreview {
  customers: number;
  /** Move to a higher tier on the day of the change. */
  up: number;
  /** Move to a lower tier on the day of the change (only when the new program has no grace period). */
  down: number;
  /** Keep their tier but fall below its new retain threshold: they move down when the grace period ends. */
  downAfterGrace: number;
  stay: number;
  /** "silver→gold": how many customers go from a tier of the old program to a tier of the new one ("none": no tier). */
  moves: Record<string, number>;
}

export interface PreviewCustomer {
  orders: readonly ProfileOrder[];
  status: TierStatus;
}

export function previewProgramChange(
  from: LoyaltyProgram,
  to: LoyaltyProgram,
  customers: Iterable<PreviewCustomer>,
  day: Day,
): ProgramChangePreview {
  const preview: ProgramChangePreview = { customers: 0, up: 0, down: 0, downAfterGrace: 0, stay: 0, moves: {} };
  for (const customer of customers) {
    const { before, after } = changeProgram(from, to, customer.orders, customer.status, day);
    const carried = carryStatus(before, from, to);
    const was = tierIndex(to, carried.tierId);
    const now = tierIndex(to, after.tierId);
    preview.customers += 1;
    if (now > was) preview.up += 1;
    else if (now < was) preview.down += 1;
    else if (after.graceFrom !== null) preview.downAfterGrace += 1;
    else preview.stay += 1;
    const key = `${before.tierId ?? "none"}→${after.tierId ?? "none"}`;
    preview.moves[key] = (preview.moves[key] ?? 0) + 1;
  }
  return preview;
}

export interface ProgramMove extends TierTransition {
  reason: "up" | "down" | "program-change";
}

/**
 * A stored status (kept under an older program version) moved into the current program, which took effect on
 * `effectiveOn`: brought forward under the old rules to the day before, then carried. The moves this makes are
 * returned for the tier history (carrying a customer out of a removed tier is a "program-change" move).
 */
export function statusForProgram(
  status: TierStatus,
  from: LoyaltyProgram | null,
  to: LoyaltyProgram,
  orders: readonly ProfileOrder[],
  effectiveOn: Day,
): { status: TierStatus; moves: ProgramMove[] } {
  const moves: ProgramMove[] = [];
  let before = status;
  if (from) {
    const replay = replayTier(from, orders, status, effectiveOn - 1);
    before = replay.status;
    moves.push(...replay.transitions.map((transition) => ({ ...transition, reason: transition.direction })));
  }
  const carried = from ? carryStatus(before, from, to) : tierIndex(to, before.tierId) >= 0 ? { ...before, graceFrom: null } : { ...before, tierId: null, since: null, graceFrom: null };
  if (carried.tierId !== before.tierId) {
    const day = Math.max(effectiveOn, before.evaluatedOn + 1);
    moves.push({ day, fromTierId: before.tierId, toTierId: carried.tierId, direction: "down", reason: "program-change" });
    carried.since = carried.tierId === null ? null : day;
  }
  return { status: carried, moves };
}
