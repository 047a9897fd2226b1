import { describe, expect, test } from "vitest";
import {
  fitParetoNbd,
  hypergeometric2F1,
  paretoConditionalExpectedPurchases,
  paretoMedianTimeToNextPurchase,
  paretoNbdLogLikelihood,
  paretoProbabilityAlive,
  paretoProbabilityOfPurchaseWithin,
  summariseByCustomer,
} from "~/segments/predictive/index.ts";
import type { ParetoNbdParams } from "~/segments/predictive/index.ts";
import { groupCustomers } from "~/segments/predictive/bgnbd-likelihood.ts";
import { paretoGroupedLogLikelihood } from "~/segments/predictive/pareto-nbd-fit.ts";
import { logLifetimeBracket } from "~/segments/predictive/pareto-nbd.ts";
import { cdnowPurchases, cdnowReference } from "./cdnow.ts";

const cdnow = [...summariseByCustomer(cdnowPurchases(), { asOf: "1997-09-30", unit: "week" }).values()];
const reference = (
  cdnowReference as unknown as {
    pareto_nbd: {
      published: ParetoNbdParams & { log_likelihood: number };
      full_precision_mle_clvtools: ParetoNbdParams & { log_likelihood: number };
    };
  }
).pareto_nbd;

// The literature's closed form of F + s·I through ₂F₁ (Fader & Hardie 2005 note, eq. 22), in the two cases α ≥ β
// and α < β; our quadrature must agree with it.
function closedFormBracket(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const k = r + s + x;
  const F = Math.pow(alpha + T, -(r + x)) * Math.pow(beta + T, -s);
  // ∫ over w = 1/(α+y) of w^(k−1) (1 + c w)^−(s+1), c = β − α, as the antiderivative W^k/k · ₂F₁(s+1, k; k+1; −cW).
  const c = beta - alpha;
  const antiderivative = (W: number) =>
    c <= 0
      ? (Math.pow(W, k) / k) * hypergeometric2F1(s + 1, k, k + 1, -c * W)
      : ((Math.pow(W, k) / k) * hypergeometric2F1(k - s, k, k + 1, (c * W) / (1 + c * W))) / Math.pow(1 + c * W, k);
  const I = antiderivative(1 / (alpha + tx)) - antiderivative(1 / (alpha + T));
  return Math.log(F + s * I);
}

describe("Pareto/NBD", () => {
  test("the fit on CDNOW reproduces CLVTools' full-precision estimates (r 0.55315, α 10.57633, s 0.60625, β 11.6715, LL −9594.976)", () => {
    const published = reference.full_precision_mle_clvtools;
    expect(paretoNbdLogLikelihood(cdnow, published)).toBeCloseTo(published.log_likelihood, 2);
    const fit = fitParetoNbd(cdnow);
    expect(fit.diagnostics.converged).toBe(true);
    expect(fit.fittedOnRows).toBeNull();
    expect(fit.logLikelihood).toBeCloseTo(published.log_likelihood, 2);
    for (const key of ["r", "alpha", "s", "beta"] as const)
      expect(Math.abs(fit.params[key] / published[key] - 1), key).toBeLessThan(2e-3);
    // And the rounded values published by Fader, Hardie & Lee (2005).
    expect(fit.logLikelihood).toBeCloseTo(reference.published.log_likelihood, 0);
  });

  test.each([
    [{ r: 0.55, alpha: 10.6, s: 0.61, beta: 11.7 }, 2, 30.43, 38.86],
    [{ r: 0.55, alpha: 10.6, s: 0.61, beta: 11.7 }, 0, 0, 38],
    [{ r: 0.8, alpha: 60, s: 1.7, beta: 20 }, 7, 300, 900],
    [{ r: 2.5, alpha: 5, s: 0.3, beta: 90 }, 40, 120, 150],
    [{ r: 0.2, alpha: 80, s: 4, beta: 40 }, 1, 3, 700],
    [{ r: 1, alpha: 30, s: 1, beta: 30 }, 12, 200, 200.5],
  ])("the lifetime integral by quadrature equals the ₂F₁ closed form (%j, x=%d, t_x=%d, T=%d)", (p, x, tx, T) => {
    expect(logLifetimeBracket(p, { x, tx, T })).toBeCloseTo(closedFormBracket(p, x, tx, T), 8);
  });

  test("the analytic gradient matches central differences", () => {
    const data = groupCustomers(cdnow);
    const p = { r: 0.7, alpha: 9, s: 0.8, beta: 14 };
    const gradient = new Float64Array(4);
    paretoGroupedLogLikelihood(data, p, gradient);
    const keys = ["r", "alpha", "s", "beta"] as const;
    keys.forEach((key, i) => {
      const h = 1e-6;
      const up = paretoGroupedLogLikelihood(data, { ...p, [key]: p[key] * Math.exp(h) });
      const down = paretoGroupedLogLikelihood(data, { ...p, [key]: p[key] * Math.exp(-h) });
      expect(gradient[i]! / ((up - down) / (2 * h)), key).toBeCloseTo(1, 5);
    });
  });

  test("predictions: P(alive) ≤ 1, the chance of a purchase grows with the horizon toward at most P(alive), the median is where it reaches ½", () => {
    const p = reference.full_precision_mle_clvtools;
    const customer = { x: 2, tx: 30.43, T: 38.86 };
    const alive = paretoProbabilityAlive(p, customer);
    expect(alive).toBeGreaterThan(0.5);
    expect(alive).toBeLessThanOrEqual(1);
    const chances = [1, 10, 39, 200, 5000].map((t) => paretoProbabilityOfPurchaseWithin(p, customer, t));
    chances.slice(1).forEach((c, i) => expect(c).toBeGreaterThan(chances[i]!));
    expect(chances.at(-1)!).toBeLessThan(alive);
    const median = paretoMedianTimeToNextPurchase(p, customer, 1000)!;
    expect(paretoProbabilityOfPurchaseWithin(p, customer, median)).toBeCloseTo(0.5, 9);
    // A customer long silent is probably gone: no median within the limit.
    expect(paretoMedianTimeToNextPurchase(p, { x: 1, tx: 1, T: 38 }, 1000)).toBeNull();
    // E[Y(t)] grows with t and is continuous at s = 1.
    expect(paretoConditionalExpectedPurchases(p, customer, 39)).toBeGreaterThan(
      paretoConditionalExpectedPurchases(p, customer, 10),
    );
    const near = (s: number) => paretoConditionalExpectedPurchases({ ...p, s }, customer, 39);
    expect(near(1)).toBeCloseTo((near(1 - 1e-7) + near(1 + 1e-7)) / 2, 8);
  });

  test("on CDNOW's 39-week holdout Pareto/NBD expects 1,665.5 purchase days (BG/NBD 1,653.4; 1,882 came)", () => {
    const p = reference.full_precision_mle_clvtools;
    const total = cdnow.reduce((sum, c) => sum + paretoConditionalExpectedPurchases(p, c, 39), 0);
    expect(total).toBeCloseTo(1665.5, 0);
  });
});
