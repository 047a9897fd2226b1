import { describe, expect, test } from "vitest";
import { areaUnderCurve, scoreForecast } from "~/segments/predictive/index.ts";

describe("forecast scores", () => {
  test("AUC: 1 for a perfect ranking, 0 reversed, ½ for ties, and the pair count on a small case", () => {
    expect(areaUnderCurve([0.1, 0.2, 0.8, 0.9], [false, false, true, true])).toBe(1);
    expect(areaUnderCurve([0.9, 0.8, 0.2, 0.1], [false, false, true, true])).toBe(0);
    expect(areaUnderCurve([0.5, 0.5, 0.5], [true, false, false])).toBe(0.5);
    // Positives at 0.3 and 0.7, negatives at 0.1, 0.5, 0.9: pairs won 1+0+0 and 1+1+0 → 3 of 6.
    expect(areaUnderCurve([0.3, 0.7, 0.1, 0.5, 0.9], [true, true, false, false, false])).toBe(0.5);
    expect(areaUnderCurve([0.2, 0.4], [true, true])).toBeNull();
  });

  test("totals, relative error, error per customer, deviance, and deciles that cover every customer", () => {
    const n = 1000;
    const expected = Array.from({ length: n }, (_, i) => (i % 10) / 5);
    const probability = expected.map((e) => 1 - Math.exp(-e));
    const actual = expected.map((e, i) => (i % 3 === 0 ? Math.round(e) + 1 : Math.round(e)));
    const score = scoreForecast(expected, probability, actual);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(score.expectedOrders).toBeCloseTo(sum(expected), 9);
    expect(score.actualOrders).toBe(sum(actual));
    expect(score.relativeError).toBeCloseTo((sum(expected) - sum(actual)) / sum(actual), 12);
    expect(score.calibration).toHaveLength(10);
    expect(sum(score.calibration.map((d) => d.customers))).toBe(n);
    expect(sum(score.calibration.map((d) => d.actualOrders))).toBe(sum(actual));
    expect(score.calibration[9]!.expectedReturning).toBeGreaterThan(score.calibration[0]!.expectedReturning);
    // A forecast that is exactly right has no deviance and no absolute error.
    const exact = scoreForecast(actual, probability, actual);
    expect(exact.meanDeviance).toBeCloseTo(0, 9);
    expect(exact.meanAbsoluteError).toBe(0);
  });
});
