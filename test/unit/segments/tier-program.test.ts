import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { advanceTier } from "~/segments/tiers/advance";
import { carryStatus } from "~/segments/tiers/change";
import { programPreview } from "~/segments/tiers/preview";
import { defaultProgram, roundAmount, roundAmountDown } from "~/segments/tiers/default-program";
import { parseProgram } from "~/segments/tiers/program";
import type { LoyaltyProgram } from "~/segments/tiers/program";
import { initialStatus, replayTier } from "~/segments/tiers/replay";
import { order } from "./orders-fixture";

const ROUND = new Set([1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5]);
const isRound = (major: number) => {
  const scale = 10 ** Math.floor(Math.log10(major));
  return ROUND.has(Number((major / scale).toFixed(6)));
};

describe("default program from the shop's spend distribution", () => {
  test("Silver near the 70th percentile, Gold near the 90th, both round; retain 75% rounded down", () => {
    // 100 buyers spending £1 … £100 in the last year.
    const spends = Array.from({ length: 100 }, (_, i) => (i + 1) * 100);
    const program = defaultProgram(spends, "GBP");
    expect(program.window).toEqual({ kind: "rolling", days: 365 });
    expect(program.graceDays).toBe(30);
    expect(program.tiers.map((t) => [t.id, t.enter.spendMinor, t.retain.spendMinor])).toEqual([
      ["bronze", null, null],
      ["silver", 7500, 5000],
      ["gold", 10000, 7500],
    ]);
    expect(program.tiers[0]?.enter.orders).toBe(1);
    expect(() => parseProgram(program)).not.toThrow();
  });

  test("round amounts", () => {
    expect([roundAmount(70), roundAmount(90), roundAmount(1240), roundAmount(0.3), roundAmount(33)]).toEqual([
      75, 100, 1250, 1, 30,
    ]);
    expect([roundAmountDown(56.25), roundAmountDown(74.99), roundAmountDown(1)]).toEqual([50, 60, 1]);
  });

  test("small shops use multiples of the median; an empty shop gets a fixed ladder; yen have no decimals", () => {
    expect(defaultProgram([2000, 3000, 4000], "GBP").tiers.map((t) => t.enter.spendMinor)).toEqual([
      null,
      10000,
      25000,
    ]);
    expect(defaultProgram([], "GBP").tiers.map((t) => t.enter.spendMinor)).toEqual([null, 15000, 40000]);
    expect(defaultProgram([], "JPY").tiers.map((t) => t.enter.spendMinor)).toEqual([null, 15000, 40000]);
  });

  test("property: always a valid program with round, increasing thresholds", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 10_000_000 }), { maxLength: 300 }),
        fc.constantFrom("GBP", "JPY", "KWD"),
        (spends, currency) => {
          const program = defaultProgram(spends, currency);
          expect(() => parseProgram(program)).not.toThrow();
          const scale = currency === "JPY" ? 1 : currency === "KWD" ? 1000 : 100;
          for (const tier of program.tiers.slice(1)) {
            expect(isRound((tier.enter.spendMinor as number) / scale)).toBe(true);
            expect(isRound((tier.retain.spendMinor as number) / scale)).toBe(true);
          }
          expect(program.tiers[2]!.enter.spendMinor!).toBeGreaterThan(program.tiers[1]!.enter.spendMinor!);
        },
      ),
    );
  });
});

describe("changing a program", () => {
  const before: LoyaltyProgram = parseProgram({
    window: { kind: "rolling", days: 365 },
    graceDays: 30,
    tiers: [
      { id: "silver", name: "Silver", enter: { spendMinor: 30000 }, retain: { spendMinor: 20000 } },
      { id: "gold", name: "Gold", enter: { spendMinor: 100000 }, retain: { spendMinor: 80000 } },
      { id: "platinum", name: "Platinum", enter: { spendMinor: 300000 } },
    ],
  });
  const after: LoyaltyProgram = parseProgram({
    window: { kind: "rolling", days: 365 },
    graceDays: 30,
    tiers: [
      { id: "silver", name: "Silver", enter: { spendMinor: 20000 }, retain: { spendMinor: 15000 } },
      { id: "gold", name: "Gold", enter: { spendMinor: 150000 }, retain: { spendMinor: 120000 } },
    ],
  });
  const v1 = { version: 1, program: before, effectiveOn: 0 };
  const v2 = { version: 2, program: after, effectiveOn: 100 };
  const programs = {
    current: v2,
    versions: new Map([
      [1, v1],
      [2, v2],
    ]),
  };
  // Evaluated by the old program through `evaluatedOn`: the day before the change, or the day of it (a pass ran
  // that morning, the program was saved that afternoon: the day the old code never evaluated again).
  const customersAsOf = (evaluatedOn: number) =>
    [
      { orders: [order(10, 25000)], name: "none→silver (Silver got cheaper)" },
      { orders: [order(10, 110000)], name: "gold stays but is below the new retain: grace" },
      { orders: [order(10, 160000)], name: "gold stays" },
      { orders: [order(10, 350000)], name: "platinum removed: carried to gold" },
      { orders: [order(10, 5000)], name: "nothing" },
    ].map(({ orders }) => ({
      orders,
      status: { ...replayTier(before, orders, initialStatus(0), evaluatedOn).status, programVersion: 1 },
      override: null,
    }));

  test("removed tiers carry to the nearest lower tier that still exists; nobody is switched off", () => {
    const customers = customersAsOf(99);
    const platinum = customers[3]!.status;
    expect(platinum.tierId).toBe("platinum");
    expect(carryStatus(platinum, before, after).tierId).toBe("gold");
    const carried = advanceTier(platinum, null, customers[3]!.orders, programs, 100);
    expect(carried.moves).toEqual([
      { day: 100, fromTierId: "platinum", toTierId: "gold", reason: "program-change", direction: "down" },
    ]);
    const { status: changed } = advanceTier(customers[1]!.status, null, customers[1]!.orders, programs, 100);
    expect(changed).toMatchObject({ tierId: "gold", graceFrom: 100 });
    expect(replayTier(after, customers[1]!.orders, changed, 129).status.tierId).toBe("gold");
    expect(replayTier(after, customers[1]!.orders, changed, 130).status.tierId).toBe("silver");
  });

  test.each([99, 100])(
    "the preview counts who moves up, down, after grace, or stays (evaluated through day %i)",
    (evaluatedOn) => {
      const preview = programPreview(v1, new Map([[1, v1]]), after, 100);
      for (const customer of customersAsOf(evaluatedOn)) preview.add(customer);
      const result = preview.result();
      expect(result).toMatchObject({
        asOf: 100,
        graceEndsOn: 130,
        customers: 5,
        up: 1,
        down: 1,
        downAfterGrace: 1,
        stay: 2,
      });
      expect(result.moves).toEqual([
        { from: null, to: "silver", on: 100, customers: 1 },
        { from: "platinum", to: "gold", on: 100, customers: 1 },
        { from: "gold", to: "silver", on: 130, customers: 1 },
      ]);
      expect(result.tiers.map((tier) => [tier.name, tier.before, tier.now, tier.afterGrace, tier.removed])).toEqual([
        ["No tier", 2, 1, 1, false],
        ["Silver", 0, 1, 2, false],
        ["Gold", 2, 3, 2, false],
        ["Platinum", 1, 0, 0, true],
      ]);
      const noGrace = programPreview(v1, new Map([[1, v1]]), { ...after, graceDays: 0 }, 100);
      for (const customer of customersAsOf(evaluatedOn)) noGrace.add(customer);
      expect(noGrace.result()).toMatchObject({ up: 1, down: 2, downAfterGrace: 0, stay: 2, graceEndsOn: null });
    },
  );
});
