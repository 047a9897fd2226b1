import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { dayFromIsoDate } from "~/profiles/days";
import { parseProgram } from "~/segments/tiers/program";
import type { LoyaltyProgram } from "~/segments/tiers/program";
import { qualifyingValue } from "~/segments/tiers/qualifying";
import { initialStatus, replayTier } from "~/segments/tiers/replay";
import { tierStanding } from "~/segments/tiers/standing";
import { order } from "./orders-fixture";

// £ amounts in pence. Silver enters at £300 and retains at £200; Gold enters at £1,000 and retains at £800.
const rolling = (extra: Partial<LoyaltyProgram> = {}): LoyaltyProgram =>
  parseProgram({
    window: { kind: "rolling", days: 365 },
    graceDays: 30,
    tiers: [
      { id: "silver", name: "Silver", enter: { spendMinor: 30000 }, retain: { spendMinor: 20000 } },
      { id: "gold", name: "Gold", enter: { spendMinor: 100000 }, retain: { spendMinor: 80000 } },
    ],
    ...extra,
  });

const tierOn = (program: LoyaltyProgram, orders: ReturnType<typeof order>[], day: number, from = 0) =>
  replayTier(program, orders, initialStatus(from), day).status;

describe("program validation", () => {
  test("retain defaults to enter, and an invalid program names the problem", () => {
    const program = parseProgram({
      window: { kind: "lifetime" },
      tiers: [{ id: "vip", name: "VIP", enter: { orders: 5 } }],
    });
    expect(program.tiers[0]?.retain).toEqual({ spendMinor: null, orders: 5 });
    expect(program.combine).toBe("any");
    expect(program.graceDays).toBe(0);
    expect(() =>
      parseProgram({
        window: { kind: "lifetime" },
        tiers: [{ id: "a", name: "A", enter: { spendMinor: 100 }, retain: { spendMinor: 200 } }],
      }),
    ).toThrow(/tiers\.0\.retain\.spendMinor: the retain threshold cannot be above the enter threshold/);
    expect(() =>
      parseProgram({
        window: { kind: "lifetime" },
        tiers: [
          { id: "a", name: "A", enter: { spendMinor: 500 } },
          { id: "b", name: "B", enter: { spendMinor: 500 } },
        ],
      }),
    ).toThrow(/must be harder to enter than A/);
    expect(() => parseProgram({ window: { kind: "lifetime" }, tiers: [{ id: "a", name: "A", enter: {} }] })).toThrow(
      /needs a spend or an orders/,
    );
    expect(() =>
      parseProgram({ window: { kind: "rolling", days: 0 }, tiers: [{ id: "a", name: "A", enter: { orders: 1 } }] }),
    ).toThrow(/window\.days/);
    expect(() =>
      parseProgram({
        window: { kind: "lifetime" },
        tiers: [
          { id: "a", name: "A", enter: { orders: 1 } },
          { id: "a", name: "B", enter: { orders: 2 } },
        ],
      }),
    ).toThrow(/duplicate tier id/);
  });
});

describe("thresholds are inclusive", () => {
  test("exactly the enter threshold enters; a penny less does not", () => {
    expect(tierOn(rolling(), [order(10, 30000)], 10).tierId).toBe("silver");
    expect(tierOn(rolling(), [order(10, 29999)], 10).tierId).toBeNull();
    expect(tierOn(rolling(), [order(10, 60000), order(11, 40000)], 11).tierId).toBe("gold");
  });

  test("exactly the retain threshold retains; a penny less starts the grace period", () => {
    // £1,000 on day 0 and £800 on day 100: on day 365 the first order leaves the window, £800 is left.
    const exactly = tierOn(rolling(), [order(0, 20000), order(0, 80000), order(100, 80000)], 365);
    expect(exactly).toMatchObject({ tierId: "gold", graceFrom: null });
    const short = tierOn(rolling(), [order(0, 20001), order(0, 79999), order(100, 79999)], 365);
    expect(short).toMatchObject({ tierId: "gold", graceFrom: 365 });
  });

  test("a customer can jump several tiers on one day", () => {
    const replay = replayTier(rolling(), [order(5, 150000)], initialStatus(0), 5);
    expect(replay.status).toMatchObject({ tierId: "gold", since: 5 });
    expect(replay.transitions).toEqual([{ day: 5, fromTierId: null, toTierId: "gold", direction: "up" }]);
  });
});

describe("grace before a downgrade", () => {
  // Gold on day 0 (£1,000); the order leaves the 365-day window on day 365: below retain from then.
  const gold = [order(0, 100000)];

  test("the downgrade comes graceDays after the first day below retain, not a day earlier", () => {
    expect(tierOn(rolling(), gold, 394)).toMatchObject({ tierId: "gold", graceFrom: 365 });
    const replay = replayTier(rolling(), gold, initialStatus(0), 395);
    expect(replay.status).toMatchObject({ tierId: null, since: null, graceFrom: null });
    expect(replay.transitions.at(-1)).toEqual({ day: 395, fromTierId: "gold", toTierId: null, direction: "down" });
  });

  test("dipping below retain and recovering within the grace period keeps the tier", () => {
    const recovered = [...gold, order(380, 80000)];
    const replay = replayTier(rolling(), recovered, initialStatus(0), 800);
    expect(replay.transitions.filter((t) => t.direction === "down").map((t) => t.day)).toEqual([745 + 30]);
    expect(tierOn(rolling(), recovered, 500)).toMatchObject({ tierId: "gold", since: 0, graceFrom: null });
  });

  test("an order on the downgrade day itself still counts; the day after is too late", () => {
    expect(tierOn(rolling(), [...gold, order(395, 80000)], 395)).toMatchObject({ tierId: "gold", graceFrom: null });
    const late = tierOn(rolling(), [...gold, order(396, 80000)], 396);
    // Downgraded on day 395 to nothing (Silver needs £200 retained: nothing left), then £800 on day 396 enters Silver.
    expect(late).toMatchObject({ tierId: "silver", since: 396 });
  });

  test("a downgrade lands on the highest lower tier whose retain threshold is met", () => {
    const replay = replayTier(rolling(), [order(0, 100000), order(200, 25000)], initialStatus(0), 400);
    // Day 365: £250 left, below Gold's £800, above Silver's £200 retain (though below Silver's £300 to enter).
    expect(replay.status).toMatchObject({ tierId: "silver", since: 395 });
  });

  test("with no grace the downgrade is immediate", () => {
    expect(tierOn(rolling({ graceDays: 0 }), gold, 365)).toMatchObject({ tierId: null });
    expect(tierOn(rolling({ graceDays: 0 }), gold, 364)).toMatchObject({ tierId: "gold" });
  });

  test("a refund starts the grace period on the day of the refund, not on the day of the order", () => {
    const refunded = [order(10, 40000, { refundedMinor: 60000, refundDay: 50 })];
    expect(tierOn(rolling(), refunded, 49)).toMatchObject({ tierId: "gold", graceFrom: null });
    expect(tierOn(rolling(), refunded, 79)).toMatchObject({ tierId: "gold", graceFrom: 50 });
    expect(tierOn(rolling(), refunded, 80)).toMatchObject({ tierId: "silver", since: 80 });
  });

  test("cancelled orders never count", () => {
    expect(tierOn(rolling(), [order(10, 0, { cancelledDay: 12 }), order(10, 20000)], 10).tierId).toBeNull();
  });
});

describe("windows", () => {
  test("lifetime: never leaves", () => {
    const program = rolling({ window: { kind: "lifetime" } });
    expect(tierOn(program, [order(0, 100000)], 5000)).toMatchObject({ tierId: "gold", graceFrom: null });
  });

  test("calendar year: a tier earned in 2024 is kept through 2025 and lost in 2026 after the grace period", () => {
    const program = rolling({ window: { kind: "calendar-year" } });
    const orders = [order(dayFromIsoDate("2024-03-10"), 100000)];
    const start = dayFromIsoDate("2024-01-01");
    expect(tierOn(program, orders, dayFromIsoDate("2025-12-31"), start)).toMatchObject({
      tierId: "gold",
      graceFrom: null,
    });
    expect(tierOn(program, orders, dayFromIsoDate("2026-01-30"), start)).toMatchObject({
      tierId: "gold",
      graceFrom: dayFromIsoDate("2026-01-01"),
    });
    expect(tierOn(program, orders, dayFromIsoDate("2026-01-31"), start)).toMatchObject({ tierId: null });
    expect(qualifyingValue(program.window, orders, dayFromIsoDate("2025-06-01"))).toEqual({
      spendMinor: 100000,
      orders: 1,
    });
  });

  test("calendar year: spend within one year counts; spread over two it does not add up", () => {
    const program = rolling({ window: { kind: "calendar-year" } });
    const orders = [order(dayFromIsoDate("2024-12-31"), 60000), order(dayFromIsoDate("2025-01-01"), 60000)];
    expect(tierOn(program, orders, dayFromIsoDate("2025-01-01"), dayFromIsoDate("2024-01-01")).tierId).toBe("silver");
  });

  test("orders thresholds with combine all need both", () => {
    const program = parseProgram({
      window: { kind: "lifetime" },
      combine: "all",
      tiers: [{ id: "vip", name: "VIP", enter: { spendMinor: 50000, orders: 3 } }],
    });
    expect(tierOn(program, [order(1, 60000), order(2, 100)], 5).tierId).toBeNull();
    expect(tierOn(program, [order(1, 60000), order(2, 100), order(3, 100)], 5).tierId).toBe("vip");
    const any = { ...program, combine: "any" as const };
    expect(tierOn(any, [order(1, 60000)], 5).tierId).toBe("vip");
  });
});

describe("overrides and progress", () => {
  test("an override wins until its last day; the earned tier stays underneath", () => {
    const program = rolling();
    const replay = replayTier(program, [order(10, 35000)], initialStatus(0), 20);
    const override = { tierId: "gold", reason: "Press partner", until: 30 };
    const during = tierStanding(program, replay.status, replay.value, override, 30);
    expect(during.tier?.id).toBe("gold");
    expect(during.earned?.id).toBe("silver");
    expect(during.progress).toBeNull();
    const after = tierStanding(program, replay.status, replay.value, override, 31);
    expect(after.tier?.id).toBe("silver");
    expect(after.override).toBeNull();
    expect(after.progress).toMatchObject({ spendMinor: 65000, orders: null });
  });

  test("an override to a tier the program no longer has is ignored", () => {
    const program = rolling();
    const replay = replayTier(program, [order(10, 35000)], initialStatus(0), 20);
    expect(
      tierStanding(program, replay.status, replay.value, { tierId: "platinum", reason: "x", until: null }, 20).tier?.id,
    ).toBe("silver");
  });
});

describe("properties", () => {
  const orders = fc.array(
    fc.record({
      day: fc.integer({ min: 0, max: 900 }),
      net: fc.integer({ min: 0, max: 120000 }),
      refund: fc.option(
        fc.record({ amount: fc.integer({ min: 1, max: 50000 }), after: fc.integer({ min: 0, max: 100 }) }),
      ),
    }),
    { maxLength: 12 },
  );
  const toOrders = (list: Array<{ day: number; net: number; refund: { amount: number; after: number } | null }>) =>
    list.map(({ day, net, refund }) =>
      order(day, net, refund ? { refundedMinor: refund.amount, refundDay: day + refund.after } : {}),
    );
  const programs = fc.constantFrom(
    rolling(),
    rolling({ graceDays: 0 }),
    rolling({ window: { kind: "lifetime" } }),
    rolling({ window: { kind: "calendar-year" }, graceDays: 10 }),
    rolling({ window: { kind: "rolling", days: 90 }, graceDays: 7 }),
  );

  test("evaluation timing never changes a tier: replaying in steps equals replaying at once", () => {
    fc.assert(
      fc.property(
        programs,
        orders,
        fc.integer({ min: 0, max: 1200 }),
        fc.integer({ min: 0, max: 1200 }),
        (program, list, a, b) => {
          const [mid, end] = a < b ? [a, b] : [b, a];
          const facts = toOrders(list);
          const once = replayTier(program, facts, initialStatus(0), end);
          const first = replayTier(program, facts, initialStatus(0), mid);
          const second = replayTier(program, facts, first.status, end);
          expect(second.status).toEqual(once.status);
          expect([...first.transitions, ...second.transitions]).toEqual(once.transitions);
        },
      ),
      { numRuns: 300 },
    );
  });

  test("a customer always holds a tier whose retain threshold they meet, unless in grace", () => {
    fc.assert(
      fc.property(programs, orders, fc.integer({ min: 0, max: 1200 }), (program, list, day) => {
        const replay = replayTier(program, toOrders(list), initialStatus(0), day);
        const tier = program.tiers.find((t) => t.id === replay.status.tierId);
        if (!tier || replay.status.graceFrom !== null) return;
        const { spendMinor } = replay.value;
        expect(spendMinor).toBeGreaterThanOrEqual(tier.retain.spendMinor ?? 0);
      }),
      { numRuns: 300 },
    );
  });
});
