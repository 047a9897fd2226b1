// Pareto/NBD (Schmittlein, Morrison & Colombo 1987) in the form of Fader & Hardie's 2005 note: while alive a
// customer buys at rate λ ~ Gamma(r, α); their lifetime is exponential with rate μ ~ Gamma(s, β), independent of
// purchasing (BG/NBD instead lets them leave only right after a purchase). Times are in the model's unit.
//
// The likelihood of (x, t_x, T) is Γ(r+x) α^r β^s / Γ(r) · [F + s I] with F = (α+T)^−(r+x) (β+T)^−s and
// I = ∫_{t_x}^{T} (α+y)^−(r+x) (β+y)^−(s+1) dy (the customer died at y, after their last purchase). Substituting
// α+y = (α+t_x) e^{v/k}, k = r+s+x, gives I = (α+t_x)^−k / k · ∫₀^V e^−v (1 + d e^{−v/k})^−(s+1) dv with
// V = k ln((α+T)/(α+t_x)) and d = (β−α)/(α+t_x): a smooth bounded integrand against e^−v, integrated with fixed
// Gauss–Legendre nodes (lifetime-quadrature.ts). The literature's ₂F₁ form overflows and cancels for large x; the
// same nodes give the derivatives with respect to all four parameters, which the fit needs.
import type { RecencyFrequency } from "./bgnbd-likelihood.ts";
import { lifetimeNodes } from "./lifetime-quadrature.ts";
import { oneMinusExpOver } from "./special-functions.ts";

/** Purchase rate λ ~ Gamma(r, α), lifetime rate μ ~ Gamma(s, β); α and β in the model's time unit. */
export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

/**
 * ln(F + s I) for one customer, and when `derivatives` is given, its partial derivatives with respect to
 * (r, α, s, β) written into it.
 */
export function logLifetimeBracket(p: ParetoNbdParams, c: RecencyFrequency, derivatives?: Float64Array): number {
  const m = p.r + c.x;
  const k = m + p.s;
  const s1 = p.s + 1;
  const aT = p.alpha + c.T;
  const bT = p.beta + c.T;
  const aTx = p.alpha + c.tx;
  const lnAT = Math.log(aT);
  const lnBT = Math.log(bT);
  const lnATx = Math.log(aTx);
  const lnF = -m * lnAT - p.s * lnBT;
  const d = (p.beta - p.alpha) / aTx;
  let sum = 0;
  let sumLnA = 0;
  let sumInvA = 0;
  let sumLnB = 0;
  let sumInvB = 0;
  const nodes = lifetimeNodes(k * (lnAT - lnATx));
  for (let j = 0; j < nodes.count; j++) {
    const v = nodes.v[j]!;
    const u = Math.exp(-v / k);
    const l1 = Math.log1p(d * u);
    const w = nodes.w[j]! * Math.exp(-s1 * l1);
    sum += w;
    if (!derivatives) continue;
    // At the node, α+y = (α+t_x)/u and β+y = (α+y)(1+du).
    const lnAy = lnATx + v / k;
    sumLnA += w * lnAy;
    sumInvA += w * u;
    sumLnB += w * (lnAy + l1);
    sumInvB += (w * u) / (1 + d * u);
  }
  if (!(sum > 0)) {
    // t_x = T: the customer cannot have died unseen; only F remains.
    if (derivatives) derivatives.set([-lnAT, -m / aT, -lnBT, -p.s / bT]);
    return lnF;
  }
  const lnS = Math.log(p.s) - k * lnATx - Math.log(k) + Math.log(sum);
  const top = Math.max(lnF, lnS);
  const f = Math.exp(lnF - top);
  const q = Math.exp(lnS - top);
  if (derivatives) {
    const wf = f / (f + q);
    const wq = q / (f + q);
    derivatives[0] = -wf * lnAT - (wq * sumLnA) / sum;
    derivatives[1] = -wf * (m / aT) - (wq * m * sumInvA) / (sum * aTx);
    derivatives[2] = -wf * lnBT + wq * (1 / p.s - sumLnB / sum);
    derivatives[3] = -wf * (p.s / bT) - (wq * s1 * sumInvB) / (sum * aTx);
  }
  return top + Math.log(f + q);
}

/** P(alive at T | x, t_x, T) = F / (F + s I). */
export function paretoProbabilityAlive(p: ParetoNbdParams, c: RecencyFrequency): number {
  const lnF = -(p.r + c.x) * Math.log(p.alpha + c.T) - p.s * Math.log(p.beta + c.T);
  return Math.exp(lnF - logLifetimeBracket(p, c));
}

function checkTime(t: number): void {
  if (!(t >= 0 && Number.isFinite(t))) throw new RangeError(`t must be a finite time ≥ 0, not ${t}`);
}

/**
 * E[Y(t) | x, t_x, T] = P(alive) · (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] (continuous at s = 1).
 * `pAlive` may be passed when already known (it is the costly part).
 */
export function paretoConditionalExpectedPurchases(
  p: ParetoNbdParams,
  c: RecencyFrequency,
  t: number,
  pAlive = paretoProbabilityAlive(p, c),
): number {
  checkTime(t);
  const bT = p.beta + c.T;
  const span = Math.log1p(t / bT);
  return (pAlive * (p.r + c.x) * bT * span * oneMinusExpOver((p.s - 1) * span)) / (p.alpha + c.T);
}

// P(a purchase within t | alive at T) = E[λ/(λ+μ) (1 − e^−(λ+μ)t)] = ∫₀^t E[λ e^−λτ] E[e^−μτ] dτ under the posterior
// λ ~ Gamma(r+x, α+T), μ ~ Gamma(s, β+T); with v = (r+x) ln(1 + τ/(α+T)) the integrand is e^−v (1 + τ/(β+T))^−s.
function purchaseWithinIfAlive(p: ParetoNbdParams, c: RecencyFrequency, t: number): number {
  const m = p.r + c.x;
  const aT = p.alpha + c.T;
  const bT = p.beta + c.T;
  let sum = 0;
  const nodes = lifetimeNodes(m * Math.log1p(t / aT));
  for (let j = 0; j < nodes.count; j++)
    sum += nodes.w[j]! * Math.exp(-p.s * Math.log1p((aT * Math.expm1(nodes.v[j]! / m)) / bT));
  return sum;
}

/** P(at least one purchase in (T, T+t] | x, t_x, T). */
export function paretoProbabilityOfPurchaseWithin(
  p: ParetoNbdParams,
  c: RecencyFrequency,
  t: number,
  pAlive = paretoProbabilityAlive(p, c),
): number {
  checkTime(t);
  return pAlive * purchaseWithinIfAlive(p, c, t);
}

/**
 * Median time from T to the next purchase, dropout counted: the t where the chance of a purchase within t reaches
 * 1/2; null when it never does within `limit`. That chance is concave and increasing in t, so Newton's method from
 * the no-dropout median (a lower bound) climbs to the root monotonically.
 */
export function paretoMedianTimeToNextPurchase(p: ParetoNbdParams, c: RecencyFrequency, limit: number): number | null {
  const pAlive = paretoProbabilityAlive(p, c);
  if (pAlive <= 0.5 || pAlive * purchaseWithinIfAlive(p, c, limit) < 0.5) return null;
  const m = p.r + c.x;
  const aT = p.alpha + c.T;
  const bT = p.beta + c.T;
  let t = aT * Math.expm1(-Math.log1p(-1 / (2 * pAlive)) / m);
  for (let i = 0; i < 50; i++) {
    const gap = 0.5 - pAlive * purchaseWithinIfAlive(p, c, t);
    const slope = ((pAlive * m) / aT) * Math.exp(-(m + 1) * Math.log1p(t / aT) - p.s * Math.log1p(t / bT));
    const step = gap / slope;
    t += step;
    if (!(step > 1e-9 * t)) break;
  }
  return Math.min(t, limit);
}
