import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";

// Confidence intervals for treatment-vs-holdout comparisons (docs/decisions/0303-lift-intervals-and-verdict.md).
// The distributions' quantiles come from stdlib; the interval formulas are written here because no maintained
// JavaScript library offers Newcombe's interval for a difference of proportions (R has them in PropCIs /
// DescTools, Python in statsmodels), and each is a few lines of published arithmetic, tested against the
// published worked examples in test/unit/offers/intervals.test.ts.

export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}

/** Two-sided standard normal critical value, e.g. 1.95996… for 95 %. */
export function zCritical(confidence: number): number {
  assertConfidence(confidence);
  return normalQuantile(1 - (1 - confidence) / 2, 0, 1);
}

function assertConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence must be between 0 and 1, not ${confidence}`);
}

function assertCounts(successes: number, trials: number): void {
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || trials < 1 || successes < 0 || successes > trials)
    throw new RangeError(`need 0 ≤ successes ≤ trials and trials ≥ 1, got ${successes}/${trials}`);
}

/** Wilson score interval for one proportion (no continuity correction; Newcombe 1998a, method 3). */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): Interval {
  assertCounts(successes, trials);
  const z = zCritical(confidence);
  const p = successes / trials;
  const denominator = trials + z * z;
  const centre = (successes + (z * z) / 2) / denominator;
  const half = (z * Math.sqrt((successes * (trials - successes)) / trials + (z * z) / 4)) / denominator;
  return { estimate: p, lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/**
 * Difference of two independent proportions p1 − p0 with Newcombe's hybrid score interval (Newcombe 1998b,
 * method 10): each arm's Wilson limits combined by the square-and-add rule. Good coverage at the small counts and
 * low conversion rates offers have, unlike the Wald interval.
 */
export function newcombeDifference(x1: number, n1: number, x0: number, n0: number, confidence = 0.95): Interval {
  const a = wilsonInterval(x1, n1, confidence);
  const b = wilsonInterval(x0, n0, confidence);
  const d = a.estimate - b.estimate;
  return {
    estimate: d,
    lower: Math.max(-1, d - Math.hypot(a.estimate - a.lower, b.upper - b.estimate)),
    upper: Math.min(1, d + Math.hypot(a.upper - a.estimate, b.estimate - b.lower)),
  };
}

/**
 * Ratio of two proportions p1 / p0 with the Katz log interval (Katz et al. 1978). Null when either arm has no
 * successes: the ratio or its variance is then undefined and the absolute difference is the figure to read.
 */
export function katzRiskRatio(x1: number, n1: number, x0: number, n0: number, confidence = 0.95): Interval | null {
  assertCounts(x1, n1);
  assertCounts(x0, n0);
  if (x1 === 0 || x0 === 0) return null;
  const ratio = x1 / n1 / (x0 / n0);
  const se = Math.sqrt(1 / x1 - 1 / n1 + 1 / x0 - 1 / n0);
  const z = zCritical(confidence);
  return { estimate: ratio, lower: Math.exp(Math.log(ratio) - z * se), upper: Math.exp(Math.log(ratio) + z * se) };
}

/** A sample summarised by its size, mean and sample variance (n − 1 denominator). */
export interface SampleSummary {
  n: number;
  mean: number;
  variance: number;
}

/** Mean and sample variance in one pass (Welford), so large revenue sums keep their precision. */
export function summarise(values: Iterable<number>): SampleSummary {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (const value of values) {
    n += 1;
    const delta = value - mean;
    mean += delta / n;
    m2 += delta * (value - mean);
  }
  return { n, mean, variance: n > 1 ? m2 / (n - 1) : 0 };
}

/**
 * Difference of two means with Welch's unequal-variance t interval (Welch–Satterthwaite degrees of freedom).
 * Revenue per shopper is mostly zeros with a long tail, so the two arms' variances differ; at the sample sizes a
 * verdict needs (≥ 100 per arm) the t interval is reliable for such skew. Null below two shoppers per arm.
 */
export function welchDifference(treatment: SampleSummary, holdout: SampleSummary, confidence = 0.95): Interval | null {
  assertConfidence(confidence);
  if (treatment.n < 2 || holdout.n < 2) return null;
  const d = treatment.mean - holdout.mean;
  const a = treatment.variance / treatment.n;
  const b = holdout.variance / holdout.n;
  const se = Math.sqrt(a + b);
  if (se === 0) return { estimate: d, lower: d, upper: d };
  const df = (a + b) ** 2 / (a ** 2 / (treatment.n - 1) + b ** 2 / (holdout.n - 1));
  const t = tQuantile(1 - (1 - confidence) / 2, df);
  return { estimate: d, lower: d - t * se, upper: d + t * se };
}

/**
 * Ratio of two means m1 / m0 with a delta-method interval on the log scale:
 * var(ln m1/m0) ≈ s1²/(n1·m1²) + s0²/(n0·m0²). Null when either mean is not positive.
 */
export function ratioOfMeans(treatment: SampleSummary, holdout: SampleSummary, confidence = 0.95): Interval | null {
  if (treatment.n < 2 || holdout.n < 2 || treatment.mean <= 0 || holdout.mean <= 0) return null;
  const ratio = treatment.mean / holdout.mean;
  const se = Math.sqrt(
    treatment.variance / (treatment.n * treatment.mean ** 2) + holdout.variance / (holdout.n * holdout.mean ** 2),
  );
  const z = zCritical(confidence);
  return { estimate: ratio, lower: Math.exp(Math.log(ratio) - z * se), upper: Math.exp(Math.log(ratio) + z * se) };
}
