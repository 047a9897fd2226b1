import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { classifyBatch } from "~/recompute/classify-batch.server";
import type { ClassifiedCustomer } from "~/recompute/classify-batch.server";
import type { CustomerState } from "~/recompute/customer-state.server";
import type { ProfileOrder } from "~/profiles/orders";
import type { ProgramVersion, SegmentConfig } from "~/recompute/segment-config.server";
import type { ClassifyContext } from "~/segments/classify";
import { DEFAULT_SETTINGS } from "~/segments/settings";
import { emptyShopModel } from "~/segments/shop-model";
import type { TierMove } from "~/segments/tiers/advance";
import { programPreview } from "~/segments/tiers/preview";
import type { ProgramChangePreview } from "~/segments/tiers/preview";
import { parseProgram, tierIndex } from "~/segments/tiers/program";
import type { LoyaltyProgram, LoyaltyProgramInput } from "~/segments/tiers/program";
import { meets, qualifyingValue } from "~/segments/tiers/qualifying";
import type { TierOverride } from "~/segments/tiers/standing";
import { order } from "./orders-fixture";

// The preview of a program change against what applying it does. Applying is the server's own path, run here
// without a database: classifyBatch (what the full pass and the refresh call) brings each customer forward under the
// new version on the day it takes effect, and again on the day the grace period ends; the moves it returns are the
// tier history rows the writer stores. The preview must count exactly those moves, tier by tier and day by day.

const D = 2000; // the day the change takes effect: "today"

function config(versions: ProgramVersion[]): SegmentConfig {
  return {
    settings: DEFAULT_SETTINGS,
    program: versions[versions.length - 1] ?? null,
    programVersions: new Map(versions.map((version) => [version.version, version])),
    customSegments: [],
    invalidSegments: [],
    model: null,
  };
}

const context = (asOf: number): ClassifyContext => ({
  asOf,
  currency: "GBP",
  settings: DEFAULT_SETTINGS,
  model: emptyShopModel(asOf, "GBP", DEFAULT_SETTINGS),
  program: null,
  customSegments: [],
});

interface Customer {
  id: string;
  orders: ProfileOrder[];
  /** The last day a pass evaluated them under the old program (null: never). */
  lastEvaluated: number | null;
  override: TierOverride | null;
}

/** The server's path for a batch of customers on `asOf`, from their stored states; returns the new states too. */
function pass(customers: Customer[], states: Map<string, CustomerState>, versions: ProgramVersion[], asOf: number) {
  const cfg = config(versions);
  const orders = new Map(customers.map((c) => [c.id, c.orders]));
  const ids = customers.map((c) => c.id);
  const classified = classifyBatch(ids, orders, states, cfg, {
    ...context(asOf),
    program: cfg.program?.program ?? null,
  });
  const next = new Map<string, CustomerState>();
  for (const item of classified) {
    // One pass records at most one move per customer per day.
    expect(new Set(item.moves.map((m) => m.day)).size).toBe(item.moves.length);
    const before = states.get(item.customerId);
    next.set(item.customerId, {
      status: item.status && { ...item.status, programVersion: cfg.program!.version },
      override: before?.override ?? null,
    });
  }
  return { classified, states: next };
}

const moveKey = (move: { fromTierId: string | null; toTierId: string | null; day: number }) =>
  `${move.fromTierId}|${move.toTierId}|${move.day}`;

function tally(moves: TierMove[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const move of moves) counts.set(moveKey(move), (counts.get(moveKey(move)) ?? 0) + 1);
  return counts;
}

function previewTally(preview: ProgramChangePreview, on: number): Map<string, number> {
  return new Map(
    preview.moves
      .filter((move) => move.on === on)
      .map((move) => [`${move.from}|${move.to}|${move.on}`, move.customers]),
  );
}

function heldCounts(classified: ClassifiedCustomer[]): Map<string | null, number> {
  const counts = new Map<string | null, number>();
  for (const item of classified) counts.set(item.record.tierId, (counts.get(item.record.tierId) ?? 0) + 1);
  return counts;
}

/**
 * Evaluated on `day` under `program`: no higher tier's enter thresholds are met (else they would have moved up),
 * and a grace period runs exactly when the tier's keep thresholds are not met. A status the new program never
 * evaluated (the program-change defect) breaks it.
 */
function expectEvaluated(
  program: LoyaltyProgram,
  customers: Customer[],
  classified: ClassifiedCustomer[],
  day: number,
) {
  for (const item of classified) {
    const status = item.status!;
    const orders = customers.find((c) => c.id === item.customerId)!.orders;
    const value = qualifyingValue(program.window, orders, day);
    const held = tierIndex(program, status.tierId);
    const entered = program.tiers.reduce(
      (best, tier, index) => (meets(tier.enter, value, program.combine) ? index : best),
      -1,
    );
    expect(entered, `${item.customerId} could enter a higher tier on ${day}`).toBeLessThanOrEqual(held);
    if (held >= 0)
      expect(status.graceFrom !== null, `${item.customerId}'s grace on ${day}`).toBe(
        !meets(program.tiers[held]!.retain, value, program.combine),
      );
  }
}

/** Each customer's tier history chains: from = the previous to, never a move to the same tier, days in order. */
function expectChained(
  history: Map<string, TierMove[]>,
  initial: Map<string, string | null>,
  held: Map<string, string | null>,
) {
  for (const [id, moves] of history) {
    let tier: string | null = initial.get(id) ?? null;
    let day = -Infinity;
    for (const move of moves) {
      expect(move.fromTierId, `${id} on ${move.day}`).toBe(tier);
      expect(move.toTierId, `${id} on ${move.day}`).not.toBe(move.fromTierId);
      // Days never go back; two passes on one day (a program saved the day a pass ran) may each record a move.
      expect(move.day, id).toBeGreaterThanOrEqual(day);
      tier = move.toTierId;
      day = move.day;
    }
    expect(tier, `${id} ends on the tier it holds`).toBe(held.get(id) ?? null);
  }
}

/**
 * The old program's life up to today: in effect from `oldEffective`, customers evaluated by passes on a few days,
 * each customer last on their `lastEvaluated` day (or never); returns their stored states and tier history so far.
 */
function history(customers: Customer[], old: ProgramVersion, next: LoyaltyProgram) {
  const states = new Map<string, CustomerState>(customers.map((c) => [c.id, { status: null, override: c.override }]));
  const moves = new Map<string, TierMove[]>(customers.map((c) => [c.id, []]));
  // Setting an override records a move to it (loyalty.server.ts): the history starts there, if the program the
  // customer is first evaluated under has the tier.
  const first = (c: Customer) => (c.lastEvaluated === null ? next : old.program);
  const held = new Map<string, string | null>(
    customers.map((c) => [
      c.id,
      c.override && first(c).tiers.some((t) => t.id === c.override!.tierId) ? c.override.tierId : null,
    ]),
  );
  const initial = new Map(held);
  const days = [
    ...new Set(
      customers.flatMap((c) =>
        c.lastEvaluated === null
          ? []
          : [old.effectiveOn, Math.floor((old.effectiveOn + c.lastEvaluated) / 2), c.lastEvaluated],
      ),
    ),
  ].sort((a, b) => a - b);
  for (const day of days) {
    const due = customers.filter((c) => c.lastEvaluated !== null && c.lastEvaluated >= day);
    const result = pass(due, states, [old], day);
    for (const item of result.classified) {
      moves.get(item.customerId)!.push(...item.moves);
      held.set(item.customerId, item.record.tierId);
      states.set(item.customerId, result.states.get(item.customerId)!);
    }
  }
  return { states, moves, held, initial };
}

/** A program whose thresholds rise with each tier, built from generated numbers (ids from a fixed ladder). */
function buildProgram(shape: {
  window: LoyaltyProgramInput["window"];
  combine: "any" | "all";
  graceDays: number;
  ids: string[];
  spend: number[];
  orders: number[];
  keep: number[];
}): LoyaltyProgram | null {
  let spend = 0;
  let orders = 0;
  const tiers = shape.ids.map((id, index) => {
    spend += shape.spend[index] ?? 5000;
    orders += shape.orders[index] ?? 1;
    const useSpend = index === 0 ? shape.spend[index]! % 3 !== 0 : true;
    const keep = (shape.keep[index] ?? 100) / 100;
    return {
      id,
      name: id[0]!.toUpperCase() + id.slice(1),
      enter: {
        spendMinor: useSpend ? spend : null,
        orders: useSpend && index > 0 && shape.orders[index]! % 2 === 0 ? null : orders,
      },
      retain: {
        spendMinor: useSpend ? Math.floor(spend * keep) : null,
        orders: useSpend && index > 0 && shape.orders[index]! % 2 === 0 ? null : Math.max(1, Math.floor(orders * keep)),
      },
    };
  });
  try {
    return parseProgram({ window: shape.window, combine: shape.combine, graceDays: shape.graceDays, tiers });
  } catch {
    return null;
  }
}

const LADDER = ["bronze", "silver", "gold", "platinum", "diamond"];
const programArbitrary = fc
  .record({
    window: fc.oneof(
      fc.record({ kind: fc.constant("rolling" as const), days: fc.integer({ min: 30, max: 730 }) }),
      fc.constant({ kind: "lifetime" as const }),
      fc.constant({ kind: "calendar-year" as const }),
    ),
    combine: fc.constantFrom("any" as const, "all" as const),
    graceDays: fc.oneof(fc.constant(0), fc.constant(30), fc.integer({ min: 1, max: 90 })),
    ids: fc.subarray(LADDER, { minLength: 1 }),
    spend: fc.array(fc.integer({ min: 1000, max: 80000 }), { minLength: 5, maxLength: 5 }),
    orders: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 5, maxLength: 5 }),
    keep: fc.array(fc.integer({ min: 40, max: 100 }), { minLength: 5, maxLength: 5 }),
  })
  .map(buildProgram)
  .filter((program): program is LoyaltyProgram => program !== null);

const orderArbitrary = fc
  .record({
    day: fc.integer({ min: 0, max: D }),
    amount: fc.integer({ min: 500, max: 60000 }),
    refund: fc.integer({ min: 0, max: 9 }),
    refundAfter: fc.integer({ min: 0, max: 200 }),
    cancelled: fc.integer({ min: 0, max: 19 }),
  })
  .map(({ day, amount, refund, refundAfter, cancelled }) => {
    if (cancelled === 0) return order(day, 0, { cancelledDay: Math.min(D, day + 1) });
    if (refund > 1) return order(day, amount);
    const refunded = refund === 0 ? amount : Math.floor(amount / 2);
    return order(day, amount - refunded, { refundedMinor: refunded, refundDay: Math.min(D, day + refundAfter) });
  });

const customersArbitrary = fc.array(
  fc.record({
    orders: fc.array(orderArbitrary, { maxLength: 8 }),
    // Mostly evaluated today (the nightly pass ran), sometimes days before, sometimes never.
    lastEvaluated: fc.oneof(
      { weight: 6, arbitrary: fc.constant(D) },
      { weight: 2, arbitrary: fc.integer({ min: D - 40, max: D - 1 }) },
      { weight: 1, arbitrary: fc.constant(null) },
    ),
    // Now and then a tier set by staff (before the old program's first pass), for good or past the grace period.
    override: fc.oneof(
      { weight: 8, arbitrary: fc.constant(null) },
      {
        weight: 1,
        arbitrary: fc.record({
          tierId: fc.constantFrom(...LADDER),
          reason: fc.constant("staff"),
          until: fc.constantFrom(null, D + 400),
        }),
      },
    ),
  }),
  { minLength: 1, maxLength: 30 },
);

describe("previewing a program change counts exactly the moves applying it makes", () => {
  test("property: generated programs and histories; preview = apply today, and on the day the grace period ends", () => {
    // The generated cases must move customers, or the property would hold vacuously.
    const seen = { up: 0, down: 0, downAfterGrace: 0, stay: 0 };
    fc.assert(
      fc.property(
        programArbitrary,
        programArbitrary,
        fc.integer({ min: D - 900, max: D }),
        customersArbitrary,
        (oldProgram, newProgram, oldEffective, generated) => {
          const customers: Customer[] = generated.map((c, i) => ({
            id: `c${i}`,
            orders: c.orders.sort((a, b) => a.day - b.day),
            lastEvaluated: c.lastEvaluated === null ? null : Math.max(c.lastEvaluated, oldEffective),
            override: c.override,
          }));
          const old: ProgramVersion = {
            version: 1,
            program: oldProgram,
            source: "merchant",
            effectiveOn: oldEffective,
          };
          const past = history(customers, old, newProgram);

          // The preview, as previewLoyaltyProgram runs it: stored statuses and overrides, today.
          const preview = programPreview(old, new Map([[1, old]]), newProgram, D);
          for (const c of customers)
            preview.add({ orders: c.orders, status: past.states.get(c.id)!.status, override: c.override });
          const result = preview.result();

          // Applying: version 2 takes effect today and every customer is brought forward (the full pass).
          const next: ProgramVersion = { version: 2, program: newProgram, source: "merchant", effectiveOn: D };
          const applied = pass(customers, past.states, [old, next], D);
          expectEvaluated(newProgram, customers, applied.classified, D);
          const todayMoves = applied.classified.flatMap((item) => item.moves.filter((m) => m.day >= D));
          expect(todayMoves.every((m) => m.day === D)).toBe(true);
          expect(result.up).toBe(todayMoves.filter((m) => m.direction === "up").length);
          expect(result.down).toBe(todayMoves.filter((m) => m.direction === "down").length);
          expect(previewTally(result, D)).toEqual(tally(todayMoves));
          const now = heldCounts(applied.classified);
          for (const tier of result.tiers) expect(tier.now, `${tier.name} now`).toBe(now.get(tier.tierId) ?? 0);

          // Before: the tier each customer holds as the change is made: as the last pass left it, brought forward to
          // yesterday under the old rules when that pass is older (applying records those moves too, dated before today).
          const beforeCounts = new Map<string | null, number>();
          for (const item of applied.classified) {
            const earlier = item.moves.filter((m) => m.day < D);
            const held = earlier.length
              ? earlier[earlier.length - 1]!.toTierId
              : (past.held.get(item.customerId) ?? null);
            beforeCounts.set(held, (beforeCounts.get(held) ?? 0) + 1);
            past.moves.get(item.customerId)!.push(...item.moves);
          }
          for (const tier of result.tiers)
            expect(tier.before, `${tier.name} before`).toBe(beforeCounts.get(tier.tierId) ?? 0);

          // The grace period's end, no new orders meanwhile: the only moves are the downAfterGrace ones.
          const graceEnd = D + newProgram.graceDays;
          const later = newProgram.graceDays > 0 ? pass(customers, applied.states, [old, next], graceEnd) : applied;
          const laterMoves = later === applied ? [] : later.classified.flatMap((item) => item.moves);
          expectEvaluated(newProgram, customers, later.classified, graceEnd);
          const overrideEnds = laterMoves.filter((m) => m.reason === "override-ended");
          expect(overrideEnds).toEqual([]);
          expect(laterMoves.every((m) => m.reason === "down" && m.day === graceEnd)).toBe(true);
          expect(result.downAfterGrace).toBe(laterMoves.length);
          if (later !== applied) expect(previewTally(result, graceEnd)).toEqual(tally(laterMoves));
          const afterGrace = heldCounts(later.classified);
          for (const tier of result.tiers)
            expect(tier.afterGrace, `${tier.name} after grace`).toBe(afterGrace.get(tier.tierId) ?? 0);
          expect(result.customers).toBe(customers.length);
          for (const key of ["up", "down", "downAfterGrace", "stay"] as const) if (result[key] > 0) seen[key] += 1;

          // The whole tier history, old program and new, chains with one move a day at most.
          if (later !== applied)
            for (const item of later.classified) past.moves.get(item.customerId)!.push(...item.moves);
          expectChained(
            past.moves,
            past.initial,
            new Map(later.classified.map((item) => [item.customerId, item.record.tierId])),
          );
        },
      ),
      { numRuns: 300 },
    );
    for (const key of ["up", "down", "downAfterGrace", "stay"] as const) expect(seen[key], key).toBeGreaterThan(30);
  });
});
