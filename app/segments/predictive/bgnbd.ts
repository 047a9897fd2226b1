// BG/NBD closed forms (Fader, Hardie & Lee 2005). Times are in the model's unit (the unit α was fitted in).
import type { BgNbdParams, RecencyFrequency } from "./bgnbd-likelihood.ts";
import { expectedPurchasesIfAlive } from "./hypergeometric.ts";
import { logBeta, logGamma, logistic } from "./special-functions.ts";

function checkTime(t: number, name = "t"): void {
  if (!(t >= 0 && Number.isFinite(t))) throw new RangeError(`${name} must be a finite time ≥ 0, not ${t}`);
}

/**
 * P(alive | x, t_x, T): the probability that the customer has not dropped out by T (FHL 2005 eq. 11).
 * BG/NBD customers can only drop out right after a repeat purchase, so it is 1 for x = 0.
 */
export function probabilityAlive(params: BgNbdParams, c: RecencyFrequency): number {
  if (c.x === 0) return 1;
  const { r, alpha, a, b } = params;
  const z = Math.log(a / (b + c.x - 1)) + (r + c.x) * (Math.log(alpha + c.T) - Math.log(alpha + c.tx));
  return logistic(-z);
}

/** E[X(t)]: expected purchases of a new customer in their first t (FHL 2005 eq. 9; the first purchase not counted). */
export function expectedPurchasesNewCustomer(params: BgNbdParams, t: number): number {
  checkTime(t);
  return expectedPurchasesIfAlive(params.r, params.a, params.b, t / params.alpha);
}

/** E[Y(t) | x, t_x, T]: expected purchases in (T, T + t] given the customer's history (FHL 2005 eq. 10). */
export function conditionalExpectedPurchases(params: BgNbdParams, c: RecencyFrequency, t: number): number {
  checkTime(t);
  const { r, alpha, a, b } = params;
  return probabilityAlive(params, c) * expectedPurchasesIfAlive(r + c.x, a, b + c.x, t / (alpha + c.T));
}

/**
 * P(at least one purchase in (T, T + t] | x, t_x, T). An alive BG/NBD customer's next purchase comes after an
 * exponential wait with rate λ ~ Gamma(r + x, α + T), so this is P(alive) · (1 − ((α+T)/(α+T+t))^(r+x)).
 */
export function probabilityOfPurchaseWithin(params: BgNbdParams, c: RecencyFrequency, t: number): number {
  checkTime(t);
  const base = params.alpha + c.T;
  return probabilityAlive(params, c) * -Math.expm1(-(params.r + c.x) * Math.log1p(t / base));
}

/**
 * Median time from T to the next purchase, counting the chance that the customer has dropped out: the t at which
 * `probabilityOfPurchaseWithin` reaches 1/2. Null when P(alive) ≤ 1/2 (another purchase is not more likely than
 * not, however long one waits). The mean is no use here: it is infinite whenever dropout is possible.
 */
export function medianTimeToNextPurchase(params: BgNbdParams, c: RecencyFrequency): number | null {
  const pAlive = probabilityAlive(params, c);
  if (pAlive <= 0.5) return null;
  // pAlive · (1 − (base/(base+t))^A) = 1/2  ⇔  t = base · ((1 − 1/(2 pAlive))^(−1/A) − 1).
  return (params.alpha + c.T) * Math.expm1(-Math.log1p(-1 / (2 * pAlive)) / (params.r + c.x));
}

// P(N ≥ n) for N ~ NegBin(r, q) with pmf Γ(r+j)/(Γ(r) j!) (1−q)^r q^j, summed on the side that avoids cancellation.
function negativeBinomialUpperTail(r: number, q: number, n: number): number {
  const logPmf = (j: number) => logGamma(r + j) - logGamma(r) - logGamma(j + 1) + r * Math.log1p(-q) + j * Math.log(q);
  const mean = (r * q) / (1 - q);
  if (n - 1 < mean) {
    let below = 0;
    for (let j = 0; j < n; j++) below += Math.exp(logPmf(j));
    return Math.max(0, 1 - below);
  }
  // Past the mode the terms only shrink, by a ratio that tends to q.
  let term = Math.exp(logPmf(n));
  let sum = 0;
  for (let j = n; term > 0 && j < n + 1_000_000; j++) {
    sum += term;
    if (term <= 1e-17 * sum) break;
    term *= ((r + j) * q) / (j + 1);
  }
  return sum;
}

/** P(X(t) = n): probability that a new customer makes exactly n repeat purchases in their first t (FHL 2005 eq. 8). */
export function probabilityOfPurchases(params: BgNbdParams, t: number, n: number): number {
  checkTime(t);
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`n must be a whole number ≥ 0, not ${n}`);
  const { r, alpha, a, b } = params;
  if (t === 0) return n === 0 ? 1 : 0;
  const q = t / (alpha + t);
  const logBab = logBeta(a, b);
  const first = Math.exp(
    logBeta(a, b + n) - logBab + logGamma(r + n) - logGamma(r) - logGamma(n + 1) + r * Math.log1p(-q) + n * Math.log(q),
  );
  if (n === 0) return first;
  return first + Math.exp(logBeta(a + 1, b + n - 1) - logBab) * negativeBinomialUpperTail(r, q, n);
}
