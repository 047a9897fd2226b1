import type { Day } from "~/profiles/days";
import type { ProfileOrder } from "~/profiles/orders";
import { tierIndex } from "./program";
import type { LoyaltyProgram } from "./program";
import { changeDays, meets, qualifyingValue } from "./qualifying";
import type { QualifyingValue } from "./qualifying";

// A customer's tier, replayed day by day from their last known status through every day their qualifying value
// changes. Because the value only changes on those days, the result is the same whether the status is brought
// forward nightly, hourly or once a year: evaluation timing never changes a tier (a property test checks it).
//
// Rules, on each day t:
// - upgrade at once to the highest tier whose enter thresholds are met;
// - otherwise, while the current tier's retain thresholds are met, stay (and end any grace period);
// - otherwise a grace period starts on the first day below retain; if the customer is still below retain
//   graceDays later (t ≥ graceFrom + graceDays), they move down to the highest lower tier whose retain
//   thresholds they meet (or out of the program). With graceDays = 0 the move is immediate.

export interface TierStatus {
  tierId: string | null;
  /** The day the current tier was entered. */
  since: Day | null;
  /** The first day of an ongoing grace period (below the retain threshold), or null. */
  graceFrom: Day | null;
  /** The last day this status accounts for. */
  evaluatedOn: Day;
}

export interface TierTransition {
  day: Day;
  fromTierId: string | null;
  toTierId: string | null;
  direction: "up" | "down";
}

export interface TierReplay {
  status: TierStatus;
  transitions: TierTransition[];
  /** The qualifying value on the status's evaluatedOn day. */
  value: QualifyingValue;
}

/** The status of a customer no program has evaluated yet, so the first day replayed is `firstDay`. */
export function initialStatus(firstDay: Day): TierStatus {
  return { tierId: null, since: null, graceFrom: null, evaluatedOn: firstDay - 1 };
}

export function graceEndsOn(program: LoyaltyProgram, status: TierStatus): Day | null {
  return status.graceFrom === null ? null : status.graceFrom + program.graceDays;
}

export function replayTier(
  program: LoyaltyProgram,
  orders: readonly ProfileOrder[],
  start: TierStatus,
  asOf: Day,
): TierReplay {
  if (asOf <= start.evaluatedOn) {
    return { status: start, transitions: [], value: qualifyingValue(program.window, orders, start.evaluatedOn) };
  }
  const status = { ...start, evaluatedOn: asOf };
  if (tierIndex(program, status.tierId) < 0) Object.assign(status, { tierId: null, since: null, graceFrom: null });
  const transitions: TierTransition[] = [];

  const move = (day: Day, to: number) => {
    const toTierId = to >= 0 ? (program.tiers[to]?.id ?? null) : null;
    transitions.push({
      day,
      fromTierId: status.tierId,
      toTierId,
      direction: to > tierIndex(program, status.tierId) ? "up" : "down",
    });
    Object.assign(status, { tierId: toTierId, since: toTierId === null ? null : day, graceFrom: null });
  };
  const highestRetained = (below: number, value: QualifyingValue) => {
    for (let index = below - 1; index >= 0; index -= 1) {
      if (meets(program.tiers[index]!.retain, value, program.combine)) return index;
    }
    return -1;
  };
  const expireGrace = (untilDay: Day, value: QualifyingValue) => {
    const current = tierIndex(program, status.tierId);
    if (current < 0 || status.graceFrom === null) return;
    const downgradeDay = status.graceFrom + program.graceDays;
    if (downgradeDay <= untilDay) move(downgradeDay, highestRetained(current, value));
  };
  const evaluate = (day: Day, value: QualifyingValue) => {
    const current = tierIndex(program, status.tierId);
    let entered = -1;
    program.tiers.forEach((tier, index) => {
      if (meets(tier.enter, value, program.combine)) entered = index;
    });
    if (entered > current) return move(day, entered);
    if (current < 0) return;
    if (meets(program.tiers[current]!.retain, value, program.combine)) {
      status.graceFrom = null;
      return;
    }
    status.graceFrom ??= day;
    if (day >= status.graceFrom + program.graceDays) move(day, highestRetained(current, value));
  };

  const days = [start.evaluatedOn + 1, ...changeDays(program.window, orders)].filter(
    (day) => day > start.evaluatedOn && day <= asOf,
  );
  let value = qualifyingValue(program.window, orders, start.evaluatedOn);
  for (const day of [...new Set(days)].sort((a, b) => a - b)) {
    expireGrace(day - 1, value);
    value = qualifyingValue(program.window, orders, day);
    evaluate(day, value);
  }
  expireGrace(asOf, value);
  return { status, transitions, value };
}
