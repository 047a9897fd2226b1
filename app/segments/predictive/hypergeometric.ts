// The Gauss hypergeometric function as BG/NBD needs it, written here because the npm candidates fail in BG/NBD's
// range: @stdlib/math-base-special-hyp2f1 0.1.1 (a Cephes port) returned NaN or wrong values in 541 of 3,840
// mpmath-checked BG/NBD cases (x ≥ 5 with z near 1, and every x ≥ 100), because it evaluates Γ(c) directly.
// See docs/decisions/0101-predictive-numerics.md.
//
// Every BG/NBD expectation reduces to one function of four positive numbers,
//   H(A, a, b', s) = E[(1 − (1 + p s)^−A) / p],  p ~ Beta(a, b'),
//                  = (a+b'−1)/(a−1) · [1 − ₂F₁(A, a−1; a+b'−1; −s)],
// the expected number of purchases in the next t of a customer who is alive, with A = r+x, b' = b+x and
// s = t/(α+T). Working with H rather than ₂F₁ avoids the a = 1 pole of the prefactor and the overflow of
// (1−z)^−A · ₂F₁ for customers with many purchases. Three expansions cover s ≥ 0:
//   - s (A+1) ≤ 0.1: the defining series in s;
//   - s ≤ 13, or A ≥ a+12: a series in u = s/(1+s) (Pfaff transformation), which converges like u^k, and like
//     k^(a−2−A) however close u is to 1;
//   - otherwise: the 1/s connection formula (DLMF 15.8.2), a series in −1/s with |1/s| < 1/13, with log-gamma
//     coefficients. It has removable singularities when A+1−a is an integer, when a = 1 and when a+b'−1 is a
//     non-positive integer; near those, H is extrapolated from evaluations a few 1e-3 away (error ~1e-10).
// Where a series would lose more than five digits to cancellation (extreme parameters: b or r in the hundreds
// or thousands), H comes from adaptive quadrature instead (beta-quadrature.ts), ~100 µs rather than ~1 µs.
import { expectedPurchasesByQuadrature } from "./beta-quadrature.ts";
import { gammaSign, logGamma, oneMinusExpOver } from "./special-functions.ts";

const SERIES_EPSILON = 1e-17;
const MAX_TERMS = 1_000_000;
const NEAR = 1e-4;
// A series whose intermediates exceed its result by more than this (5 digits lost) hands over to quadrature.
const MAX_CANCELLATION = 1e5;
// Large enough that ln Γ differences across the step keep ~11 digits, small enough for the O(STEP⁶) extrapolation error to vanish.
const STEP = 1e-3;

function nearInteger(v: number, within: number): boolean {
  return Math.abs(v - Math.round(v)) < within;
}

// For s (A + 1) ≤ 0.1 the defining series in s itself, Σ (−1)^(k+1) s^k (A)_k (a)_(k−1) / ((a+b')_(k−1) k!),
// converges at least tenfold per term and keeps full relative precision down to subnormal s.
function seriesInS(A: number, a: number, bp: number, s: number): number {
  let term = A * s;
  let sum = term;
  for (let k = 1; k < MAX_TERMS && term !== 0; k++) {
    term *= (-s * (A + k) * (a + k - 1)) / ((a + bp + k - 1) * (k + 1));
    sum += term;
    if (Math.abs(term) <= SERIES_EPSILON * Math.abs(sum)) break;
  }
  return sum;
}

// Returns H and the largest intermediate it was computed from: rounding costs about ε·magnitude/|H|.
function seriesInU(A: number, a: number, bp: number, s: number): { value: number; magnitude: number } {
  const logOnePlusS = Math.log1p(s);
  const u = s / (1 + s);
  const c = a + bp - 1;
  const alpha2 = c - A;
  const closedPart = c * logOnePlusS * oneMinusExpOver((a - 1) * logOnePlusS);
  let term = alpha2 * u;
  let sum = term;
  let largest = Math.abs(term);
  const settle = Math.abs(alpha2) + 1;
  for (let k = 1; k < MAX_TERMS; k++) {
    term *= ((alpha2 + k) * (a + k - 1) * u) / ((a + bp + k - 1) * (k + 1));
    sum += term;
    largest = Math.max(largest, Math.abs(term), Math.abs(sum));
    if (k > settle && Math.abs(term) <= SERIES_EPSILON * Math.abs(sum)) break;
    if (term === 0) break;
  }
  const scale = Math.exp((1 - a) * logOnePlusS);
  return { value: closedPart - scale * sum, magnitude: Math.max(Math.abs(closedPart), scale * largest) };
}

// Σ_(k≥1) t_k with t_1 = first and t_(k+1) = t_k (p+k)(q+k) w / ((d+k)(k+1)): both 1/s series below have this
// shape. Terms may grow while k < |p|, |q|, |d|, so the sum only stops once past those and negligible.
function tailSeries(first: number, p: number, q: number, d: number, w: number): number {
  let term = first;
  let sum = term;
  const settle = Math.max(Math.abs(p), Math.abs(q), Math.abs(d)) + 1;
  for (let k = 1; k < MAX_TERMS && term !== 0; k++) {
    term *= ((p + k) * (q + k) * w) / ((d + k) * (k + 1));
    sum += term;
    if (k > settle && Math.abs(term) <= SERIES_EPSILON * Math.max(1, Math.abs(sum))) break;
  }
  return sum;
}

function connectionFormula(A: number, a: number, bp: number, s: number): { value: number; magnitude: number } {
  const beta = a - 1;
  const c = a + bp - 1;
  const m = A - beta;
  const w = -1 / s;
  const logS = Math.log(s);
  // T1/β = Γ(c)Γ(−m) / (Γ(a)Γ(c−A)) · s^−A · ₂F₁(A, A−c+1; m+1; −1/s); zero when c−A is a non-positive integer.
  const cMinusA = c - A;
  let t1OverBeta = 0;
  if (!(cMinusA <= 0 && nearInteger(cMinusA, 1e-14))) {
    const f1 = 1 + tailSeries((A * (A - c + 1) * w) / (m + 1), A, A - c + 1, m + 1, w);
    const logMagnitude = logGamma(c) + logGamma(-m) - logGamma(a) - logGamma(cMinusA) - A * logS;
    t1OverBeta = gammaSign(c) * gammaSign(-m) * gammaSign(cMinusA) * Math.exp(logMagnitude) * f1;
  }
  // T2 = R · s^−β · (1 + β·S2), R = Γ(c)Γ(m) / (Γ(A)Γ(b')); (1 − T2)/β computed without cancellation.
  const s2 = tailSeries(((1 - bp) * w) / (1 - m), a - 1, 1 - bp, 1 - m, w);
  const logR = logGamma(c) - logGamma(bp) + (logGamma(m) - logGamma(A));
  const signR = gammaSign(c) * gammaSign(m);
  let oneMinusT2OverBeta: number;
  const t2 = signR * Math.exp(logR - beta * logS) * (1 + beta * s2);
  if (signR > 0 && 1 + beta * s2 > 0) {
    const logT2 = logR - beta * logS + Math.log1p(beta * s2);
    oneMinusT2OverBeta = -Math.expm1(logT2) / beta;
  } else {
    oneMinusT2OverBeta = (1 - t2) / beta;
  }
  const value = c * (oneMinusT2OverBeta - t1OverBeta);
  // Error sources, as magnitudes whose rounding (ε each) lands in H: the two terms, which can be far larger than H
  // and cancel; and ln T2, a sum of ln Γ values whose rounding is divided by β.
  const logGammaSum =
    Math.abs(logGamma(c)) +
    Math.abs(logGamma(bp)) +
    Math.abs(logGamma(m)) +
    Math.abs(logGamma(A)) +
    Math.abs(beta * logS);
  const magnitude =
    Math.abs(c) *
    Math.max(Math.abs(oneMinusT2OverBeta), Math.abs(t1OverBeta), (Math.abs(t2) * logGammaSum) / Math.abs(beta));
  return { value, magnitude };
}

function connectionFormulaSafe(A: number, a: number, bp: number, s: number): { value: number; magnitude: number } {
  const c = a + bp - 1;
  const nearA1 = Math.abs(a - 1) < NEAR;
  const nearC = c < 0.5 && nearInteger(c, NEAR);
  const nearM = nearInteger(A + 1 - a, NEAR);
  if (!nearA1 && !nearC && !nearM) return connectionFormula(A, a, bp, s);
  // H is analytic in (A, a, b'): step away from the removable singularity along a line that moves every
  // singular quantity (a−1, c, A+1−a) by at least the shift, and Richardson-extrapolate the symmetric means
  // back to the point (weights cancel the shift² and shift⁴ terms).
  const dA = nearA1 ? 1 : 0;
  const dBp = nearC ? 1 : 0;
  const dShape = nearM ? dA + 2 : 0;
  let magnitude = 0;
  const at = (h: number) => {
    const result = connectionFormula(A + h * dShape, a + h * dA, bp + h * dBp, s);
    magnitude = Math.max(magnitude, result.magnitude);
    return result.value;
  };
  const mean = (h: number) => (at(h) + at(-h)) / 2;
  return { value: 1.5 * mean(STEP) - 0.6 * mean(2 * STEP) + 0.1 * mean(3 * STEP), magnitude };
}

/**
 * H(A, a, b', s) = E[(1 − (1 + p s)^−A) / p] for p ~ Beta(a, b'): the expected purchases in the next t of an
 * alive BG/NBD customer, with A = r + x, b' = b + x, s = t / (α + T). Requires A, a, b' > 0 and finite s ≥ 0.
 */
export function expectedPurchasesIfAlive(A: number, a: number, bp: number, s: number): number {
  if (!(A > 0 && a > 0 && bp > 0 && s >= 0 && Number.isFinite(s) && Number.isFinite(A + a + bp))) {
    throw new RangeError(`expectedPurchasesIfAlive needs A, a, b' > 0 and finite s ≥ 0 (got ${A}, ${a}, ${bp}, ${s})`);
  }
  if (s === 0) return 0;
  if (s * (A + 1) <= 0.1) return seriesInS(A, a, bp, s);
  // (α'')_k with α'' = a+b'−1−A far below zero makes the u-series' terms grow like (1+u)^|α''| before they
  // cancel; past a few dozen that is hopeless, and so is the 1/s series with b' or a that large.
  const alpha2 = a + bp - 1 - A;
  if ((s <= 13 || A >= a + 12) && alpha2 > -30) {
    const { value, magnitude } = seriesInU(A, a, bp, s);
    if (Number.isFinite(value) && magnitude <= MAX_CANCELLATION * Math.abs(value)) return value;
  } else if (s > 13 && A < a + 12 && bp <= 60 && a <= 60) {
    const { value, magnitude } = connectionFormulaSafe(A, a, bp, s);
    if (Number.isFinite(value) && value >= 0 && magnitude <= MAX_CANCELLATION * Math.abs(value)) return value;
  }
  return expectedPurchasesByQuadrature(A, a, bp, s);
}

/**
 * ₂F₁(A, B; C; z) for A > 0, B > 0, C > B − 1 and 0 ≤ z < 1: the region BG/NBD uses (A = r+x, B = b+x,
 * C = a+b+x−1). Computed through `expectedPurchasesIfAlive`; may overflow to Infinity where the value does.
 */
export function hypergeometric2F1(A: number, B: number, C: number, z: number): number {
  const a = C - B + 1;
  if (!(A > 0 && B > 0 && a > 0 && z >= 0 && z < 1)) {
    throw new RangeError(`hypergeometric2F1 needs A > 0, B > 0, C > B − 1 and 0 ≤ z < 1 (got ${A}, ${B}, ${C}, ${z})`);
  }
  const s = z / (1 - z);
  const h = expectedPurchasesIfAlive(A, a, B, s);
  // (1−z)^A ₂F₁(A, B; C; z) = ₂F₁(A, a−1; C; −s) = 1 − (a−1) H / C.
  return (1 - ((a - 1) * h) / C) * Math.pow(1 - z, -A);
}
