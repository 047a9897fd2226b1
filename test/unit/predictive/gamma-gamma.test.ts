import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  conditionalExpectedOrderValue,
  fitGammaGamma,
  gammaGammaLogLikelihood,
  populationMeanValue,
  summariseByCustomer,
} from "~/segments/predictive/index.ts";
import { cdnowPurchases, cdnowReference } from "./cdnow.ts";

const gg = cdnowReference.gamma_gamma;
const summaries = summariseByCustomer(cdnowPurchases(), { asOf: "1997-09-30", unit: "week" });
const customers = [...summaries.values()];
const fit = fitGammaGamma(customers);

describe("Gamma-Gamma on CDNOW's repeat buyers, from the raw transactions", () => {
  test("is fitted on the 946 repeat customers", () => {
    expect(fit.customers).toBe(946);
  });

  test("reproduces p = 6.25, q = 3.74, γ = 15.44 and CLVTools' log-likelihood −4055.9177", () => {
    expect(fit.params.p).toBeCloseTo(gg.published.p, 2);
    expect(fit.params.q).toBeCloseTo(gg.published.q, 2);
    expect(Math.abs(fit.params.gamma - gg.published.gamma)).toBeLessThan(0.01);
    expect(fit.logLikelihood).toBeCloseTo(gg.clvtools_log_likelihood, 3);
  });

  test("converges from every start, and from bad ones, to the same optimum", () => {
    expect(fit.diagnostics.converged).toBe(true);
    expect(fit.diagnostics.startsAgreeing).toBe(fit.diagnostics.starts.length);
    for (const params of [
      { p: 1e-3, q: 500, gamma: 1e4 },
      { p: 300, q: 1.001, gamma: 1e-3 },
    ]) {
      const refit = fitGammaGamma(customers, { starts: [{ label: "bad", params }] });
      expect(refit.diagnostics.converged).toBe(true);
      expect(refit.logLikelihood).toBeCloseTo(fit.logLikelihood, 5);
      expect(refit.params.p / fit.params.p).toBeCloseTo(1, 4);
    }
  });

  test("expected average profit of customers 1–10 matches Hardie's spreadsheet to ±0.1", () => {
    const expected = gg.checks_from_lifetimes_tests.conditional_expected_average_profit_first10_customers;
    const values = expected.map((_, i) => conditionalExpectedOrderValue(fit.params, summaries.get(String(i + 1))!));
    values.forEach((v, i) =>
      expect(Math.abs(v - expected[i]!), `customer ${i + 1}`).toBeLessThan(gg.checks_from_lifetimes_tests.tolerance),
    );
  });

  test("one-time buyers get the population mean p γ / (q − 1)", () => {
    const oneTime = customers.find((c) => c.x === 0)!;
    expect(conditionalExpectedOrderValue(fit.params, oneTime)).toBe(populationMeanValue(fit.params));
    expect(populationMeanValue(fit.params)).toBeCloseTo((fit.params.p * fit.params.gamma) / (fit.params.q - 1), 12);
  });

  test("ignores customers without repeat value and refuses a sample with none", () => {
    const withNoise = [...customers, { x: 3, monetary: 0 }, { x: 0, monetary: 50 }, { x: 2, monetary: -5 }];
    expect(gammaGammaLogLikelihood(withNoise, fit.params)).toBeCloseTo(fit.logLikelihood, 9);
    expect(() => fitGammaGamma([{ x: 0, monetary: 0 }])).toThrow(/at least one customer/);
  });
});

describe("Gamma-Gamma properties", () => {
  test("the expected order value lies between the customer's own mean and the population mean", () => {
    const params = fc.record({
      p: fc.double({ min: 0.1, max: 50, noNaN: true }),
      q: fc.double({ min: 1.05, max: 50, noNaN: true }),
      gamma: fc.double({ min: 0.01, max: 1e4, noNaN: true }),
    });
    fc.assert(
      fc.property(
        params,
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0.01, max: 1e5, noNaN: true }),
        (p, x, monetary) => {
          const value = conditionalExpectedOrderValue(p, { x, monetary });
          const population = populationMeanValue(p);
          expect(value).toBeGreaterThanOrEqual(Math.min(monetary, population) * (1 - 1e-12));
          expect(value).toBeLessThanOrEqual(Math.max(monetary, population) * (1 + 1e-12));
        },
      ),
      { numRuns: 300 },
    );
  });
});
