import type { Day } from "~/profiles/days";
import type { ProfileOrder } from "~/profiles/orders";
import { tierIndex } from "./program";
import type { LoyaltyProgram } from "./program";
import { replayTier } from "./replay";
import type { TierStatus, TierTransition } from "./replay";

// Changing a program never switches it off: every customer keeps their tier (or, when it was removed, the nearest
// lower tier that still exists) and is re-evaluated under the new rules from the day the change takes effect, that
// day included. Upgrades happen at once; a customer who no longer meets the new retain threshold gets the full
// grace period first.

/** A status carried into a new program version. */
export function carryStatus(status: TierStatus, from: LoyaltyProgram, to: LoyaltyProgram): TierStatus {
  let index = tierIndex(from, status.tierId);
  while (index >= 0 && tierIndex(to, from.tiers[index]!.id) < 0) index -= 1;
  if (index < 0) return { ...status, tierId: null, since: null, graceFrom: null };
  const tierId = from.tiers[index]!.id;
  // A grace period under the old rules does not carry over: the new retain threshold decides afresh.
  return tierId === status.tierId ? { ...status, graceFrom: null } : { ...status, tierId, graceFrom: null };
}

export interface ProgramMove extends TierTransition {
  reason: "up" | "down" | "program-change";
}

/**
 * A stored status (kept under an older program version) moved into the current program, which took effect on
 * `effectiveOn`: brought forward under the old rules to the day before, then carried. The result's evaluatedOn is
 * the day before `effectiveOn` at the latest, so replaying it evaluates the effective day under the new rules even
 * when the stored status had already been evaluated that day under the old ones (the program-change defect: a
 * change saved on a day the nightly pass had run moved nobody). The moves this makes are returned for the tier
 * history (carrying a customer out of a removed tier is a "program-change" move on the effective day).
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
  const kept = from
    ? carryStatus(before, from, to)
    : tierIndex(to, before.tierId) >= 0
      ? { ...before, graceFrom: null }
      : { ...before, tierId: null, since: null, graceFrom: null };
  const carried = { ...kept, evaluatedOn: Math.min(before.evaluatedOn, effectiveOn - 1) };
  if (carried.tierId !== before.tierId) {
    moves.push({
      day: effectiveOn,
      fromTierId: before.tierId,
      toTierId: carried.tierId,
      direction: "down",
      reason: "program-change",
    });
    carried.since = carried.tierId === null ? null : effectiveOn;
  }
  return { status: carried, moves };
}
