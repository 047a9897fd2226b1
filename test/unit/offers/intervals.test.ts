import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  katzRiskRatio,
  newcombeDifference,
  ratioOfMeans,
  summarise,
  welchDifference,
  wilsonInterval,
  zCritical,
} from "~/offers/measurement/intervals";

// Each interval against published worked examples, then properties every interval must have.

const rounded = (interval: { lower: number; upper: number } | null, digits = 4) =>
  interval && [Number(interval.lower.toFixed(digits)), Number(interval.upper.toFixed(digits))];

describe("Wilson score interval (Newcombe 1998a, Table I, method 3)", () => {
  test.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])("%d/%d → %f to %f", (x, n, lower, upper) => {
    expect(rounded(wilsonInterval(x, n))).toEqual([lower, upper]);
  });
});

describe("Newcombe hybrid score interval for p1 − p2 (Newcombe 1998b, Table II, method 10)", () => {
  test.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [6, 7, 2, 7, 0.0582, 0.8062],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [0, 10, 0, 10, -0.2775, 0.2775],
    [10, 10, 0, 20, 0.6791, 1],
    [10, 10, 0, 10, 0.6075, 1],
  ])("%d/%d − %d/%d → %f to %f", (x1, n1, x0, n0, lower, upper) => {
    const interval = newcombeDifference(x1, n1, x0, n0);
    expect(interval.estimate).toBeCloseTo(x1 / n1 - x0 / n0, 12);
    expect(rounded(interval)).toEqual([lower, upper]);
  });
});

describe("Katz log interval for p1 / p2", () => {
  test("SciPy's documented example: 10/75 vs 12/225 → RR 2.5, 1.1262 to 5.5499", () => {
    const interval = katzRiskRatio(10, 75, 12, 225);
    expect(interval?.estimate).toBeCloseTo(2.5, 12);
    expect(interval?.lower).toBeCloseTo(1.1261564003469628, 9);
    expect(interval?.upper).toBeCloseTo(5.549850800541033, 9);
  });

  test("undefined when an arm has no successes", () => {
    expect(katzRiskRatio(0, 10, 3, 10)).toBeNull();
    expect(katzRiskRatio(3, 10, 0, 10)).toBeNull();
  });
});

describe("Welch interval for a difference of means", () => {
  // R: t.test(extra ~ group, data = sleep) → t = -1.8608, df = 17.776, 95% CI -3.3654832 to 0.2054832.
  const group1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
  const group2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

  test("R's sleep data (Welch two-sample t-test) → -3.3654832 to 0.2054832", () => {
    const interval = welchDifference(summarise(group1), summarise(group2));
    expect(interval?.estimate).toBeCloseTo(-1.58, 12);
    expect(interval?.lower).toBeCloseTo(-3.3654832, 6);
    expect(interval?.upper).toBeCloseTo(0.2054832, 6);
  });

  test("summaries: Welford's mean and sample variance match the two-pass formulas", () => {
    const { n, mean, variance } = summarise(group2);
    const m = group2.reduce((a, b) => a + b, 0) / group2.length;
    expect(n).toBe(10);
    expect(mean).toBeCloseTo(m, 12);
    expect(variance).toBeCloseTo(group2.reduce((a, b) => a + (b - m) ** 2, 0) / 9, 12);
    expect(summarise([])).toEqual({ n: 0, mean: 0, variance: 0 });
  });

  test("null below two per arm; a zero-variance difference is exact", () => {
    expect(welchDifference(summarise([1]), summarise(group2))).toBeNull();
    expect(welchDifference(summarise([2, 2, 2]), summarise([1, 1]))).toEqual({ estimate: 1, lower: 1, upper: 1 });
  });

  test("ratio of means: delta method on the log scale, null without positive means", () => {
    const interval = ratioOfMeans({ n: 400, mean: 12, variance: 900 }, { n: 100, mean: 10, variance: 800 });
    // ln(1.2) ± 1.96 · sqrt(900/(400·144) + 800/(100·100)) = 0.18232 ± 1.96 · 0.31269
    expect(interval?.estimate).toBeCloseTo(1.2, 12);
    expect(interval?.lower).toBeCloseTo(Math.exp(0.1823216 - 1.959964 * Math.sqrt(900 / 57600 + 0.08)), 5);
    expect(ratioOfMeans({ n: 10, mean: 0, variance: 0 }, { n: 10, mean: 5, variance: 1 })).toBeNull();
  });
});

describe("interval properties", () => {
  const counts = fc
    .integer({ min: 1, max: 2000 })
    .chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));

  test("every interval contains its estimate and stays inside its range", () => {
    fc.assert(
      fc.property(counts, counts, ([x1, n1], [x0, n0]) => {
        const wilson = wilsonInterval(x1, n1);
        expect(wilson.lower).toBeLessThanOrEqual(wilson.estimate + 1e-12);
        expect(wilson.upper).toBeGreaterThanOrEqual(wilson.estimate - 1e-12);
        expect(wilson.lower).toBeGreaterThanOrEqual(0);
        expect(wilson.upper).toBeLessThanOrEqual(1);
        const difference = newcombeDifference(x1, n1, x0, n0);
        expect(difference.lower).toBeLessThanOrEqual(difference.estimate + 1e-12);
        expect(difference.upper).toBeGreaterThanOrEqual(difference.estimate - 1e-12);
        expect(difference.lower).toBeGreaterThanOrEqual(-1);
        expect(difference.upper).toBeLessThanOrEqual(1);
        // Swapping the arms mirrors the interval.
        const swapped = newcombeDifference(x0, n0, x1, n1);
        expect(swapped.lower).toBeCloseTo(-difference.upper, 12);
        expect(swapped.upper).toBeCloseTo(-difference.lower, 12);
      }),
    );
  });

  test("more shoppers at the same rates give a narrower interval", () => {
    const small = newcombeDifference(12, 100, 8, 100);
    const large = newcombeDifference(1200, 10_000, 800, 10_000);
    expect(large.upper - large.lower).toBeLessThan((small.upper - small.lower) / 5);
  });

  test("bad input is refused with a clear message", () => {
    expect(() => wilsonInterval(5, 3)).toThrow(/0 ≤ successes ≤ trials/);
    expect(() => wilsonInterval(1, 0)).toThrow(/trials ≥ 1/);
    expect(() => zCritical(1.5)).toThrow(/between 0 and 1/);
    expect(zCritical(0.95)).toBeCloseTo(1.959964, 6);
  });
});
