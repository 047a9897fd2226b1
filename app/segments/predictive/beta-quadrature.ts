// The slow, sure way to H(A, a, b', s) = E[(1 − (1 + p s)^−A) / p], p ~ Beta(a, b'): adaptive Gauss–Kronrod
// quadrature in y = logit(p), where both the Beta density and the integrand vary on a scale of order one.
// hypergeometric.ts uses it when its series would lose more than five digits to cancellation — extreme
// parameters such as b or r in the thousands (almost no dropout, almost no rate heterogeneity).
import { logBeta } from "./special-functions.ts";

// Gauss–Kronrod 15-point rule with its embedded 7-point Gauss rule (QUADPACK's qk15 abscissae and weights).
const XGK = [
  0.991455371120812639206854697526329, 0.949107912342758524526189684047851, 0.864864423359769072789712788640926,
  0.741531185599394439863864773280788, 0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
  0.207784955007898467600689403773245, 0,
];
const WGK = [
  0.02293532201052922496373200805897, 0.063092092629978553290700663189204, 0.104790010322250183839876322541518,
  0.140653259715525918745189590510238, 0.16900472663926790282658342659855, 0.190350578064785409913256402421014,
  0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
];
const WG = [
  0.129484966168869693270611432679082, 0.27970539148927666790146777142378, 0.381830050505118944950369775488975,
  0.417959183673469387755102040816327,
];

/** Gauss–Kronrod 15 on [lo, hi]: the Kronrod estimate and its difference from the embedded Gauss estimate. */
export function kronrod15(f: (y: number) => number, lo: number, hi: number): { value: number; error: number } {
  const centre = (lo + hi) / 2;
  const half = (hi - lo) / 2;
  const fc = f(centre);
  let kronrod = fc * WGK[7]!;
  let gauss = fc * WG[3]!;
  for (let j = 0; j < 7; j++) {
    const sum = f(centre - half * XGK[j]!) + f(centre + half * XGK[j]!);
    kronrod += WGK[j]! * sum;
    if (j % 2 === 1) gauss += WG[(j - 1) / 2]! * sum;
  }
  return { value: kronrod * half, error: Math.abs((kronrod - gauss) * half) };
}

/** ∫ f over the sorted breakpoints, bisecting the worst interval until the error estimate is below `relative`. */
export function integrateAdaptive(
  f: (y: number) => number,
  breakpoints: readonly number[],
  relative = 1e-12,
  maxIntervals = 2000,
) {
  const intervals: { lo: number; hi: number; value: number; error: number }[] = [];
  for (let i = 0; i + 1 < breakpoints.length; i++) {
    const [lo, hi] = [breakpoints[i]!, breakpoints[i + 1]!];
    if (hi > lo) intervals.push({ lo, hi, ...kronrod15(f, lo, hi) });
  }
  for (;;) {
    let total = 0;
    let error = 0;
    let worst = 0;
    intervals.forEach((iv, i) => {
      total += iv.value;
      error += iv.error;
      if (iv.error > intervals[worst]!.error) worst = i;
    });
    // Also stop when the worst interval's error is at rounding level: splitting it further only adds noise.
    const settled = intervals[worst]!.error <= 1e-15 * Math.abs(total);
    if (error <= relative * Math.abs(total) || settled || intervals.length >= maxIntervals) return total;
    const { lo, hi } = intervals[worst]!;
    const mid = (lo + hi) / 2;
    intervals.splice(worst, 1, { lo, hi: mid, ...kronrod15(f, lo, mid) }, { lo: mid, hi, ...kronrod15(f, mid, hi) });
  }
}

/** H(A, a, b', s) by quadrature (A, a, b', s > 0); relative accuracy ~1e-12. */
export function expectedPurchasesByQuadrature(A: number, a: number, bp: number, s: number): number {
  const logB = logBeta(a, bp);
  const g = (p: number) => -Math.expm1(-A * Math.log1p(p * s)) / p;
  // Below p0 the integrand is A·s·p^(a−1)/B and above 1 − q0 it is g(1)·(1−p)^(b'−1)/B to 1e-12: closed forms.
  const p0 = 1e-12 / Math.max(1, A * s, bp);
  const q0 = 1e-12 / Math.max(1, A * s, a);
  const left = A * s * Math.exp(a * Math.log(p0) - Math.log(a) - logB);
  const right = g(1) * Math.exp(bp * Math.log(q0) - Math.log(bp) - logB);
  const integrand = (y: number) => {
    // p = σ(y) and 1 − p = σ(−y), each without cancellation; the Beta density times dp/dy is p^a (1−p)^b' / B.
    const logP = y < 0 ? y - Math.log1p(Math.exp(y)) : -Math.log1p(Math.exp(-y));
    const logQ = logP - y;
    return g(Math.exp(logP)) * Math.exp(a * logP + bp * logQ - logB);
  };
  const lo = Math.log(p0) - Math.log1p(-p0);
  const hi = Math.log1p(-q0) - Math.log(q0);
  // Start the subdivision around the density's bulk (mode of the logit ≈ ln(a/b'), spread ≈ √(1/a + 1/b')) and at
  // the integrand's bend, p ≈ 1/(A s), so no narrow peak can fall between the first nodes.
  const mode = Math.log(a / bp);
  const spread = Math.min(1, Math.sqrt(1 / a + 1 / bp));
  const points = [lo, hi, -Math.log(A * s)];
  for (let j = -8; j <= 8; j++) points.push(mode + j * spread);
  const breakpoints = points.filter((y) => y >= lo && y <= hi).sort((x, y) => x - y);
  return left + integrateAdaptive(integrand, breakpoints) + right;
}
