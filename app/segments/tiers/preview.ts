import type { Day } from "~/profiles/days";
import type { ProfileOrder } from "~/profiles/orders";
import { advanceTier, storedAfter } from "./advance";
import type { ProgramInEffect, ProgramVersions, StoredTierStatus } from "./advance";
import { tierIndex } from "./program";
import type { LoyaltyProgram } from "./program";
import type { TierOverride } from "./standing";

// What saving a program would do, counted by running what saving does: the new version takes effect on `asOf`
// and every customer is brought forward under it (advanceTier, as the full pass does), then on to the day the new
// grace period ends, assuming no new orders meanwhile. Without new orders nobody can move up in between, and a
// grace period started by the change ends on that one day for everyone (grace does not carry across versions), so
// the only moves after today are the down moves this counts as downAfterGrace.

export interface PreviewCustomer {
  orders: readonly ProfileOrder[];
  status: StoredTierStatus | null;
  override: TierOverride | null;
}

export interface PreviewMove {
  from: string | null;
  to: string | null;
  /** The day of the move: the day the change takes effect, or the day the grace period ends. */
  on: Day;
  customers: number;
}

export interface TierCount {
  /** null: customers without a tier. */
  tierId: string | null;
  name: string;
  /** Holding the tier before the change. */
  before: number;
  /** Once the change takes effect. */
  now: number;
  /** When the grace period ends (no new orders assumed); equal to `now` without a grace period. */
  afterGrace: number;
  /** A tier the new program removes. */
  removed: boolean;
}

export interface ProgramChangePreview {
  /** The day the change would take effect. */
  asOf: Day;
  graceDays: number;
  /** asOf + graceDays, or null without a grace period. */
  graceEndsOn: Day | null;
  customers: number;
  /** Move to a higher tier on the day of the change. */
  up: number;
  /** Move to a lower tier on the day of the change (only when the new program has no grace period, or a tier is removed). */
  down: number;
  /** Fall below their tier's new retain threshold: they move down when the grace period ends, unless they buy. */
  downAfterGrace: number;
  /** Neither move now nor when the grace period ends. A customer carried down out of a removed tier who is below the
   * new retain threshold of the tier they land in counts in both down and downAfterGrace, so the four counts add up
   * to the customers only when no tier is removed. */
  stay: number;
  /** Every move, by tier and day; a tier's rank order, lowest tier first. */
  moves: PreviewMove[];
  /** Lowest first: no tier, then the new program's tiers with the removed ones where they were. */
  tiers: TierCount[];
}

export interface ProgramPreview {
  add(customer: PreviewCustomer): void;
  result(): ProgramChangePreview;
}

/** Customers are added one at a time (a shop's are read in pages); `result` gives the counts so far. */
export function programPreview(
  current: ProgramInEffect | null,
  versions: ReadonlyMap<number, ProgramInEffect>,
  next: LoyaltyProgram,
  asOf: Day,
): ProgramPreview {
  const latest = Math.max(0, ...versions.keys());
  const proposed: ProgramInEffect = { version: latest + 1, program: next, effectiveOn: asOf };
  const programs: ProgramVersions = {
    current: proposed,
    versions: new Map([...versions, [proposed.version, proposed]]),
  };
  const graceEndsOn = next.graceDays > 0 ? asOf + next.graceDays : null;
  const totals = { customers: 0, up: 0, down: 0, downAfterGrace: 0, stay: 0 };
  const moves = new Map<string, PreviewMove>();
  const held = {
    before: new Map<string | null, number>(),
    now: new Map<string | null, number>(),
    afterGrace: new Map<string | null, number>(),
  };
  const tally = (counts: Map<string | null, number>, tierId: string | null) =>
    counts.set(tierId, (counts.get(tierId) ?? 0) + 1);
  const move = (from: string | null, to: string | null, on: Day) => {
    const key = `${from}|${to}|${on}`;
    const entry = moves.get(key) ?? { from, to, on, customers: 0 };
    entry.customers += 1;
    moves.set(key, entry);
  };

  return {
    add(customer) {
      const applied = advanceTier(customer.status, customer.override, customer.orders, programs, asOf);
      const earlier = applied.moves.filter((m) => m.day < asOf);
      const before = earlier.length ? earlier[earlier.length - 1]!.toTierId : applied.heldBefore;
      const today = applied.moves.find((m) => m.day === asOf);
      const now = today ? today.toTierId : before;
      let afterGrace = now;
      let downLater = false;
      if (graceEndsOn !== null) {
        const later = advanceTier(
          storedAfter(applied, proposed),
          customer.override,
          customer.orders,
          programs,
          graceEndsOn,
        );
        for (const down of later.moves.filter((m) => m.reason === "down")) {
          downLater = true;
          move(down.fromTierId, down.toTierId, down.day);
        }
        afterGrace = later.moves.length ? later.moves[later.moves.length - 1]!.toTierId : now;
      }
      totals.customers += 1;
      if (today) {
        totals[today.direction] += 1;
        move(today.fromTierId, today.toTierId, today.day);
      }
      if (downLater) totals.downAfterGrace += 1;
      if (!today && !downLater) totals.stay += 1;
      tally(held.before, before);
      tally(held.now, now);
      tally(held.afterGrace, afterGrace);
    },
    result() {
      const order = tierOrder(current?.program ?? null, next);
      const position = (tierId: string | null) => order.findIndex((tier) => tier.tierId === tierId);
      const sortedMoves = [...moves.values()].sort(
        (a, b) => a.on - b.on || position(a.from) - position(b.from) || position(a.to) - position(b.to),
      );
      const tiers = order.map((tier) => ({
        ...tier,
        before: held.before.get(tier.tierId) ?? 0,
        now: held.now.get(tier.tierId) ?? 0,
        afterGrace: held.afterGrace.get(tier.tierId) ?? 0,
      }));
      return { asOf, graceDays: next.graceDays, graceEndsOn, ...totals, moves: sortedMoves, tiers };
    },
  };
}

/** No tier, then the new program's tiers lowest first, each removed tier of the old program just above the tier below it. */
function tierOrder(
  previous: LoyaltyProgram | null,
  next: LoyaltyProgram,
): Array<Pick<TierCount, "tierId" | "name" | "removed">> {
  const order: Array<Pick<TierCount, "tierId" | "name" | "removed">> = [
    { tierId: null, name: "No tier", removed: false },
  ];
  const removed = (previous?.tiers ?? [])
    .map((tier, index) => ({ tier, index }))
    .filter(({ tier }) => tierIndex(next, tier.id) < 0);
  const placeRemoved = (belowIndex: number) => {
    for (const { tier } of removed.filter(({ index }) => lowerSurvivor(previous!, next, index) === belowIndex))
      order.push({ tierId: tier.id, name: tier.name, removed: true });
  };
  placeRemoved(-1);
  next.tiers.forEach((tier, index) => {
    order.push({ tierId: tier.id, name: tier.name, removed: false });
    placeRemoved(index);
  });
  return order;
}

/** The index in `next` of the nearest tier below previous.tiers[index] that `next` keeps (−1: none). */
function lowerSurvivor(previous: LoyaltyProgram, next: LoyaltyProgram, index: number): number {
  for (let below = index - 1; below >= 0; below -= 1) {
    const kept = tierIndex(next, previous.tiers[below]!.id);
    if (kept >= 0) return kept;
  }
  return -1;
}
