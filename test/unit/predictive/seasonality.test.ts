import { describe, expect, test } from "vitest";
import {
  calendarSpan,
  estimateSeasonalIndex,
  operationalClock,
  simulatePurchases,
} from "~/segments/predictive/index.ts";
import { dayNumber } from "~/segments/predictive/calendar-days.ts";

// The demo generator's months (scripts/demo/calendar.ts): a summer dip and the November–December peak.
const MONTH_FACTOR = [0.85, 0.85, 0.95, 0.95, 0.95, 0.8, 0.72, 0.72, 0.95, 1.05, 1.45, 1.6];
const monthOf = (day: number) => new Date(day * 86_400_000).getUTCMonth();

function repeatDays(purchases: { customerId: string; date: string }[]): number[] {
  const seen = new Set<string>();
  const days: number[] = [];
  for (const p of purchases) {
    if (seen.has(p.customerId)) days.push(dayNumber(p.date));
    seen.add(p.customerId);
  }
  return days;
}

function shop(seasonal: boolean, historyDays = 1095) {
  const asOf = "2025-12-31";
  const purchases = simulatePurchases({
    customers: 8000,
    asOf,
    historyDays,
    bgnbd: { r: 1.5, alpha: 60, a: 0.3, b: 6 },
    seed: 7,
    ...(seasonal ? { intensity: (day: number) => MONTH_FACTOR[monthOf(day)]!, maxIntensity: 1.6 } : {}),
  });
  const days = repeatDays(purchases);
  const first = Math.min(...purchases.map((p) => dayNumber(p.date)));
  return estimateSeasonalIndex(days, first, dayNumber(asOf));
}

describe("seasonal intensity", () => {
  test("a shop whose customers buy more in November and December gets an index that says so", () => {
    const { index, reason } = shop(true);
    expect(reason).toMatch(/estimated from [\d,]+ repeat purchases over 3 years/);
    const mean = MONTH_FACTOR.reduce((a, b) => a + b, 0) / 12;
    index!.forEach((v, m) => expect(Math.abs(v - MONTH_FACTOR[m]! / mean), `month ${m + 1}`).toBeLessThan(0.12));
    expect(index![11]! / index![6]!).toBeGreaterThan(1.8);
  });

  test("a shop without seasons gets an index close to 1 every month", () => {
    const { index } = shop(false);
    for (const v of index!) expect(Math.abs(v - 1)).toBeLessThan(0.1);
  });

  test("under two years of history there is no index, and the reason says why", () => {
    const { index, reason } = shop(true, 600);
    expect(index).toBeNull();
    expect(reason).toMatch(/days of history \(a seasonal pattern needs 730\)/);
  });

  test("the operational clock: a year lasts 365 operational days, a peak month longer than its calendar days, and calendarSpan inverts it", () => {
    const sum = MONTH_FACTOR.reduce((acc, v, m) => acc + v * [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m]!, 0);
    const index = MONTH_FACTOR.map((v) => (v * 365) / sum);
    const clock = operationalClock(index);
    expect(clock(dayNumber("2026-01-01")) - clock(dayNumber("2025-01-01"))).toBeCloseTo(365, 9);
    expect(clock(dayNumber("2025-12-01")) - clock(dayNumber("2025-11-01"))).toBeGreaterThan(30 * 1.3);
    expect(clock(dayNumber("2025-08-01")) - clock(dayNumber("2025-07-01"))).toBeLessThan(31 * 0.8);
    const from = dayNumber("2025-10-15");
    for (const days of [1, 45, 90, 400])
      expect(calendarSpan(index, from, clock(from + days) - clock(from))).toBeCloseTo(days, 6);
    expect(operationalClock(null)(12345)).toBe(12345);
  });
});
