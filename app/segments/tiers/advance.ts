import type { Day } from "~/profiles/days";
import type { ProfileOrder } from "~/profiles/orders";
import { statusForProgram } from "./change";
import type { ProgramMove } from "./change";
import { tierIndex } from "./program";
import type { LoyaltyProgram } from "./program";
import type { QualifyingValue } from "./qualifying";
import { initialStatus, replayTier } from "./replay";
import type { TierStatus } from "./replay";
import type { TierOverride } from "./standing";

// One customer's loyalty status brought forward to a day under the shop's current program, and the moves of their
// tier this makes for the tier history. Applying a program (the full pass, the refresh) and previewing one run this
// same function, so the preview's counts are the moves applying makes (test/unit/segments/tier-preview.test.ts).
//
// The tier history records the tier a customer holds: staff's override while one is in force, the earned tier
// otherwise. So it chains: each move starts from the tier the previous one ended on, never moves a customer to the
// tier they already hold, and holds at most one move per customer per day (a program change that carries a
// customer out of a removed tier and up again the same day is one move). Earned moves while an override holds the
// tier are not moves of the customer's tier; the override's end is. Other features (Flow triggers) rely on it.

export interface ProgramInEffect {
  version: number;
  program: LoyaltyProgram;
  effectiveOn: Day;
}

export interface ProgramVersions {
  current: ProgramInEffect;
  /** Every stored version by number (the current one included), to bring an older status forward. */
  versions: ReadonlyMap<number, ProgramInEffect>;
}

export interface StoredTierStatus extends TierStatus {
  programVersion: number;
}

export type TierMoveReason = "up" | "down" | "program-change" | "override-ended";

export interface TierMove {
  day: Day;
  fromTierId: string | null;
  toTierId: string | null;
  reason: TierMoveReason;
  direction: "up" | "down";
}

export interface TierAdvance {
  /** The earned status under the current program, evaluated through the day asked for. */
  status: TierStatus;
  value: QualifyingValue;
  /** The tier the customer held where the stored status left off: the first move's fromTierId. */
  heldBefore: string | null;
  /** Moves of the tier the customer holds, in day order, at most one a day. */
  moves: TierMove[];
}

/**
 * The stored status (null: never evaluated) brought forward to `asOf`. `override` is the customer's newest
 * override not removed, if its last day is not before the stored status's evaluatedOn (so one that lapsed since
 * is seen to lapse).
 */
export function advanceTier(
  stored: StoredTierStatus | null,
  override: TierOverride | null,
  orders: readonly ProfileOrder[],
  programs: ProgramVersions,
  asOf: Day,
): TierAdvance {
  const { current } = programs;
  const previous =
    stored && stored.programVersion !== current.version
      ? (programs.versions.get(stored.programVersion)?.program ?? null)
      : null;
  const earned: ProgramMove[] = [];
  let start: TierStatus;
  if (!stored) start = initialStatus(current.effectiveOn);
  else if (stored.programVersion === current.version) start = stored;
  else {
    const moved = statusForProgram(stored, previous, current.program, orders, current.effectiveOn);
    start = moved.status;
    earned.push(...moved.moves);
  }
  const replay = replayTier(current.program, orders, start, asOf);
  earned.push(...replay.transitions.map((transition) => ({ ...transition, reason: transition.direction })));
  // In day order (a stable sort: same-day moves keep their order). Only a status from a version no longer stored
  // can have the new rules' moves before the carry's day.
  earned.sort((a, b) => a.day - b.day);

  const programOn = (day: Day) => (day >= current.effectiveOn || !previous ? current.program : previous);
  const overrideOn = (day: Day): string | null =>
    override && (override.until === null || day <= override.until) && tierIndex(programOn(day), override.tierId) >= 0
      ? override.tierId
      : null;
  const startDay = stored ? Math.min(stored.evaluatedOn, start.evaluatedOn) : start.evaluatedOn;
  const heldBefore = overrideOn(startDay) ?? stored?.tierId ?? null;

  const days = new Set<Day>(earned.map((move) => move.day));
  if (override?.until != null) days.add(override.until + 1);
  if (stored && previous) days.add(current.effectiveOn);
  const moves: TierMove[] = [];
  let held = heldBefore;
  let earnedTier = stored?.tierId ?? null;
  let next = 0;
  for (const day of [...days].filter((d) => d > startDay && d <= asOf).sort((a, b) => a - b)) {
    let programChange = false;
    while (next < earned.length && earned[next]!.day <= day) {
      const move = earned[next]!;
      programChange ||= move.reason === "program-change" && move.day === day;
      earnedTier = move.toTierId;
      next += 1;
    }
    const now = overrideOn(day) ?? earnedTier;
    if (now === held) continue;
    const program = programOn(day);
    const direction = rank(program, previous, now) > rank(program, previous, held) ? "up" : "down";
    const overrideEnded = override?.until != null && day === override.until + 1 && held === override.tierId;
    const removed = held !== null && tierIndex(program, held) < 0;
    const reason: TierMoveReason =
      programChange || removed ? "program-change" : overrideEnded ? "override-ended" : direction;
    moves.push({ day, fromTierId: held, toTierId: now, reason, direction });
    held = now;
  }
  return { status: replay.status, value: replay.value, heldBefore, moves };
}

/**
 * A tier's place in `program` (−1: no tier). A tier the program no longer has sits just above the tier it carries
 * down to, so leaving it for that tier is a move down and for a higher one a move up.
 */
export function rank(program: LoyaltyProgram, previous: LoyaltyProgram | null, tierId: string | null): number {
  if (tierId === null) return -1;
  const index = tierIndex(program, tierId);
  if (index >= 0 || !previous) return index;
  let below = tierIndex(previous, tierId) - 1;
  while (below >= 0 && tierIndex(program, previous.tiers[below]!.id) < 0) below -= 1;
  return (below >= 0 ? tierIndex(program, previous.tiers[below]!.id) : -1) + 0.5;
}

/** The status as it is stored after an advance under `current`. */
export function storedAfter(advance: TierAdvance, current: ProgramInEffect): StoredTierStatus {
  return { ...advance.status, programVersion: current.version };
}
