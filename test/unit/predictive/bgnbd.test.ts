import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  bgnbdLogLikelihood,
  conditionalExpectedPurchases,
  expectedPurchasesNewCustomer,
  fitBgNbd,
  medianTimeToNextPurchase,
  probabilityAlive,
  probabilityOfPurchases,
  probabilityOfPurchaseWithin,
  summariseByCustomer,
} from "~/segments/predictive/index.ts";
import type { BgNbdParams } from "~/segments/predictive/index.ts";
import { cdnowPurchases, cdnowReference } from "./cdnow.ts";

const bg = cdnowReference.bg_nbd;
const checks = bg.checks_from_lifetimes_tests;
const customers = [...summariseByCustomer(cdnowPurchases(), { asOf: "1997-09-30", unit: "week" }).values()];
const fit = fitBgNbd(customers);

describe("BG/NBD on CDNOW, fitted from the raw transactions", () => {
  test("reproduces the published estimates r = 0.243, α = 4.414, a = 0.793, b = 2.426 and LL = −9582.4", () => {
    const p = bg.published;
    expect(fit.params.r).toBeCloseTo(p.r, 3);
    expect(fit.params.alpha).toBeCloseTo(p.alpha, 3);
    expect(fit.params.a).toBeCloseTo(p.a, 3);
    expect(fit.params.b).toBeCloseTo(p.b, 3);
    expect(fit.logLikelihood).toBeCloseTo(p.log_likelihood, 1);
  });

  test("matches CLVTools' full-precision maximum to 1e-5 relative and its log-likelihood to 1e-3", () => {
    const full = bg.full_precision_mle_clvtools;
    for (const key of ["r", "alpha", "a", "b"] as const) {
      expect(Math.abs(fit.params[key] / full[key] - 1), key).toBeLessThan(1e-5);
    }
    expect(Math.abs(fit.logLikelihood - full.log_likelihood)).toBeLessThan(1e-3);
  });

  test("reports a converged fit that every start agreed on", () => {
    const d = fit.diagnostics;
    expect(d.converged).toBe(true);
    expect(d.gradientNorm).toBeLessThan(1e-7);
    expect(d.atBounds).toEqual([]);
    expect(d.startsAgreeing).toBe(d.starts.length);
    expect(d.starts.map((s) => s.label)).toContain(d.winningStart);
    expect(d.screenedOnRows).toBeNull();
  });

  test("bad starting points reach the same optimum", () => {
    const bad: BgNbdParams[] = [
      { r: 1e-4, alpha: 1e4, a: 50, b: 1e-3 },
      { r: 100, alpha: 1e-3, a: 1e-3, b: 500 },
      { r: 1, alpha: 1, a: 1, b: 1 },
    ];
    for (const start of bad) {
      const refit = fitBgNbd(customers, { starts: [{ label: "bad", params: start }] });
      expect(refit.diagnostics.converged, JSON.stringify(start)).toBe(true);
      expect(refit.logLikelihood).toBeCloseTo(fit.logLikelihood, 5);
      expect(refit.params.r / fit.params.r).toBeCloseTo(1, 4);
      expect(refit.params.b / fit.params.b).toBeCloseTo(1, 4);
    }
  });

  test("the log-likelihood at the rounded published parameters is −9582.43", () => {
    expect(bgnbdLogLikelihood(customers, bg.published)).toBeCloseTo(-9582.43, 1);
  });
});

describe("BG/NBD fits on degenerate data", () => {
  test("one-time buyers only: the rate runs to the edge of the search box, and the diagnostics say so", () => {
    const fitted = fitBgNbd([
      { x: 0, tx: 0, T: 10 },
      { x: 0, tx: 0, T: 40 },
      { x: 0, tx: 0, T: 90 },
    ]);
    expect(fitted.diagnostics.atBounds).toContain("alpha");
    expect(Number.isFinite(fitted.logLikelihood)).toBe(true);
  });

  test("no customers at all: no error, and a log-likelihood of 0", () => {
    const fitted = fitBgNbd([]);
    expect(fitted.logLikelihood).toBe(0);
    expect(Object.values(fitted.params).every(Number.isFinite)).toBe(true);
  });

  test("impossible summaries are refused with a clear error", () => {
    expect(() => fitBgNbd([{ x: 1, tx: 5, T: 4 }])).toThrow(/0 ≤ t_x ≤ T/);
    expect(() => fitBgNbd([{ x: 1.5, tx: 1, T: 4 }])).toThrow(/integer x/);
  });
});

describe("BG/NBD per-customer checks (reference_values.json)", () => {
  const full = bg.full_precision_mle_clvtools;
  const c = checks.conditional_expected_purchases;
  const customer = { x: c.x, tx: c.t_x, T: c.T };

  test("E[X(t)] for a new customer at t = 0.1429 … 78 weeks", () => {
    const e = checks.expected_purchases_new_customer;
    e.t.forEach((t, i) => {
      expect(Math.abs(expectedPurchasesNewCustomer(full, t) - e.expected[i]!), `t=${t}`).toBeLessThan(
        0.5 * 10 ** -e.decimal_places,
      );
    });
  });

  test("x = 2, t_x = 30.43, T = 38.86: 1.226 expected purchases in 39 weeks and P(alive) = 0.7266", () => {
    expect(Math.abs(conditionalExpectedPurchases(full, customer, c.t) - c.expected)).toBeLessThan(c.tolerance);
    expect(probabilityAlive(full, customer)).toBeCloseTo(0.7266, 4);
  });

  test("P(X(39) = 0) = 0.5737864 and P(X(2) = 10) = 1.07869e-07 with the published parameters", () => {
    const p = checks.prob_n_purchases_params_published;
    expect(probabilityOfPurchases(bg.published, 39, 0)).toBeCloseTo(p["P(X(39)=0)"], 7);
    expect(probabilityOfPurchases(bg.published, 2, 10) / p["P(X(2)=10)"]).toBeCloseTo(1, 5);
  });

  test("P(X(t) = n) is a distribution whose mean is E[X(t)]", () => {
    let total = 0;
    let mean = 0;
    for (let n = 0; n < 400; n++) {
      const pn = probabilityOfPurchases(full, 39, n);
      total += pn;
      mean += n * pn;
    }
    expect(total).toBeCloseTo(1, 10);
    expect(mean).toBeCloseTo(expectedPurchasesNewCustomer(full, 39), 8);
  });

  test("the median wait to the next purchase is where P(purchase within t) = 1/2", () => {
    const wait = medianTimeToNextPurchase(full, customer)!;
    expect(wait).toBeGreaterThan(0);
    expect(probabilityOfPurchaseWithin(full, customer, wait)).toBeCloseTo(0.5, 12);
    // A customer more likely gone than alive has no median: another purchase is not more likely than not.
    expect(probabilityAlive(full, { x: 1, tx: 1, T: 38 })).toBeLessThan(0.5);
    expect(medianTimeToNextPurchase(full, { x: 1, tx: 1, T: 38 })).toBeNull();
  });

  test("rejects negative or infinite horizons and fractional n", () => {
    expect(() => conditionalExpectedPurchases(full, customer, -1)).toThrow(/finite time/);
    expect(() => expectedPurchasesNewCustomer(full, Number.POSITIVE_INFINITY)).toThrow(/finite time/);
    expect(() => probabilityOfPurchases(full, 1, 1.5)).toThrow(/whole number/);
  });
});

describe("BG/NBD properties", () => {
  const positive = (min: number, max: number) => fc.double({ min, max, noNaN: true });
  // As wide as the fit's search box allows in practice: degenerate shops produce parameters in the thousands.
  const params = fc.record({
    r: positive(0.01, 5000),
    alpha: positive(0.01, 1e4),
    a: positive(0.01, 5000),
    b: positive(0.01, 5000),
  });
  const history = fc
    .tuple(fc.integer({ min: 1, max: 60 }), positive(0, 1), positive(0, 400), positive(0, 400))
    .map(([x, share, T, extra]) => ({ x, tx: share * T, T, laterT: T + extra }));

  test("P(alive) is in [0, 1] and falls as the silence since the last purchase grows", () => {
    fc.assert(
      fc.property(params, history, (p, h) => {
        const now = probabilityAlive(p, h);
        const later = probabilityAlive(p, { x: h.x, tx: h.tx, T: h.laterT });
        expect(now).toBeGreaterThanOrEqual(0);
        expect(now).toBeLessThanOrEqual(1);
        expect(later).toBeLessThanOrEqual(now + 1e-12);
      }),
      { numRuns: 300 },
    );
  });

  test("expected purchases grow with the horizon and stay finite", () => {
    fc.assert(
      fc.property(params, history, positive(0, 1000), positive(0, 1000), (p, h, t1, t2) => {
        const [short, long] = t1 <= t2 ? [t1, t2] : [t2, t1];
        const a = conditionalExpectedPurchases(p, h, short);
        const b = conditionalExpectedPurchases(p, h, long);
        expect(Number.isFinite(a) && Number.isFinite(b)).toBe(true);
        expect(b).toBeGreaterThanOrEqual(a * (1 - 1e-9) - 1e-12);
        const n1 = expectedPurchasesNewCustomer(p, short);
        expect(expectedPurchasesNewCustomer(p, long)).toBeGreaterThanOrEqual(n1 * (1 - 1e-9) - 1e-12);
      }),
      { numRuns: 300 },
    );
  });
});
