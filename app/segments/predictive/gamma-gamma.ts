// Gamma-Gamma model of average order value (Fader & Hardie 2013, "The Gamma-Gamma Model of Monetary Value"):
// a customer's order values are Gamma(p, ν) around their own mean, and ν ~ Gamma(q, γ) across customers.
// Fitted on repeat customers (x ≥ 1) with a positive mean repeat value, on (ln p, ln(q − 1), ln γ): q > 1 keeps
// the population mean p γ / (q − 1) finite, which one-time buyers' predictions need.
import { LOG_PARAMETER_BOUND, SCREENING_ROWS } from "./bgnbd-fit.ts";
import { fitFromStarts, withPrior } from "./multi-start.ts";
import type { FitDiagnostics, FitStart, ParameterSpace, ModelFitOptions } from "./multi-start.ts";
import type { Objective } from "./optimiser.ts";
import { digamma, logGamma } from "./special-functions.ts";

/** Gamma-Gamma parameters: order values ~ Gamma(p, ν), ν ~ Gamma(q, γ); γ is in the currency unit of the values. */
export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

/** A customer's repeat purchase count and mean repeat order value (`PurchaseSummary` has both). */
export interface FrequencyValue {
  x: number;
  monetary: number;
}

export const GAMMA_GAMMA_SPACE: ParameterSpace<GammaGammaParams> = {
  names: ["p", "q", "gamma"],
  toTheta: (p) => [Math.log(p.p), Math.log(p.q - 1), Math.log(p.gamma)],
  fromTheta: (t) => ({ p: Math.exp(t[0]!), q: 1 + Math.exp(t[1]!), gamma: Math.exp(t[2]!) }),
  lower: [-1, -1, -1].map((s) => s * LOG_PARAMETER_BOUND),
  upper: [1, 1, 1].map((s) => s * LOG_PARAMETER_BOUND),
};

/** Whether a customer carries Gamma-Gamma information: at least one repeat occasion and a positive mean value. */
export function hasRepeatValue(c: FrequencyValue): boolean {
  return c.x >= 1 && c.monetary > 0 && Number.isFinite(c.monetary);
}

interface ValueRows {
  /** Distinct repeat counts, and each row's index into them. */
  distinctX: Float64Array;
  xIndex: Int32Array;
  x: Float64Array;
  logX: Float64Array;
  value: Float64Array;
  logValue: Float64Array;
}

function valueRows(customers: ArrayLike<FrequencyValue>): ValueRows {
  const kept: FrequencyValue[] = [];
  for (let i = 0; i < customers.length; i++) if (hasRepeatValue(customers[i]!)) kept.push(customers[i]!);
  const indexOfX = new Map<number, number>();
  for (const c of kept) if (!indexOfX.has(c.x)) indexOfX.set(c.x, indexOfX.size);
  return {
    distinctX: Float64Array.from(indexOfX.keys()),
    xIndex: Int32Array.from(kept, (c) => indexOfX.get(c.x)!),
    x: Float64Array.from(kept, (c) => c.x),
    logX: Float64Array.from(kept, (c) => Math.log(c.x)),
    value: Float64Array.from(kept, (c) => c.monetary),
    logValue: Float64Array.from(kept, (c) => Math.log(c.monetary)),
  };
}

function logLikelihood(rows: ValueRows, params: GammaGammaParams, gradient?: Float64Array): number {
  const { p, q, gamma } = params;
  const logGammaQ = logGamma(q);
  const digammaQ = digamma(q);
  const logScale = Math.log(gamma);
  // ln Γ and ψ at p x + q and p x depend on x only: once per distinct x, not once per customer.
  const k = rows.distinctX.length;
  const logGammaRatio = new Float64Array(k);
  const digammaDiff = new Float64Array(k);
  const digammaTotal = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const px = p * rows.distinctX[j]!;
    logGammaRatio[j] = logGamma(px + q) - logGamma(px) - logGammaQ + q * logScale;
    digammaTotal[j] = digamma(px + q);
    digammaDiff[j] = digammaTotal[j]! - digamma(px);
  }
  let ll = 0;
  let dp = 0;
  let dq = 0;
  let dGamma = 0;
  for (let i = 0; i < rows.x.length; i++) {
    const j = rows.xIndex[i]!;
    const x = rows.x[i]!;
    const px = p * x;
    const total = gamma + rows.value[i]! * x;
    const logTotal = Math.log(total);
    ll += logGammaRatio[j]! + (px - 1) * rows.logValue[i]! + px * rows.logX[i]! - (px + q) * logTotal;
    if (!gradient) continue;
    dp += x * (digammaDiff[j]! + rows.logValue[i]! + rows.logX[i]! - logTotal);
    dq += digammaTotal[j]! - logTotal;
    dGamma -= (px + q) / total;
  }
  if (gradient) {
    const n = rows.x.length;
    gradient[0] = dp * p;
    gradient[1] = (dq + n * (logScale - digammaQ)) * (q - 1);
    gradient[2] = (dGamma + (n * q) / gamma) * gamma;
  }
  return ll;
}

// Every k-th customer: the screening sample of a large shop (the objective is a mean, so no reweighting is needed).
function everyKth(rows: ValueRows, k: number): ValueRows {
  const keep = (_: number, i: number) => i % k === 0;
  return {
    distinctX: rows.distinctX,
    xIndex: rows.xIndex.filter(keep),
    x: rows.x.filter(keep),
    logX: rows.logX.filter(keep),
    value: rows.value.filter(keep),
    logValue: rows.logValue.filter(keep),
  };
}

/** Gamma-Gamma log-likelihood of the customers with repeat value (others are ignored). */
export function gammaGammaLogLikelihood(customers: ArrayLike<FrequencyValue>, params: GammaGammaParams): number {
  return logLikelihood(valueRows(customers), params);
}

/** Mean repeat order value over the customers with repeat value (NaN when there are none). */
export function meanRepeatValue(customers: ArrayLike<FrequencyValue>): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < customers.length; i++) {
    if (!hasRepeatValue(customers[i]!)) continue;
    sum += customers[i]!.monetary;
    count++;
  }
  return sum / count;
}

/** Three starts with the population mean p γ / (q − 1) equal to `meanValue` and different spreads. */
export function defaultGammaGammaStarts(meanValue: number): FitStart<GammaGammaParams>[] {
  const scaled = (p: number, q: number) => ({ p, q, gamma: (meanValue * (q - 1)) / p });
  return [
    { label: "wide", params: scaled(1, 2) },
    { label: "cdnow-shape", params: scaled(6.25, 3.74) },
    { label: "narrow", params: scaled(20, 10) },
  ];
}

export type GammaGammaFitOptions = ModelFitOptions<GammaGammaParams>;

export interface GammaGammaFit {
  params: GammaGammaParams;
  /** Log-likelihood at `params` over the customers with repeat value (without the prior). */
  logLikelihood: number;
  /** Customers the fit used (x ≥ 1 and monetary > 0). */
  customers: number;
  diagnostics: FitDiagnostics<GammaGammaParams>;
}

/** Fits Gamma-Gamma to the customers with x ≥ 1 and monetary > 0. Throws a RangeError when there are none. */
export function fitGammaGamma(customers: ArrayLike<FrequencyValue>, options: GammaGammaFitOptions = {}): GammaGammaFit {
  const rows = valueRows(customers);
  const n = rows.x.length;
  if (n === 0) throw new RangeError("Gamma-Gamma needs at least one customer with a repeat purchase of positive value");
  const objectiveFor = (sample: ValueRows): Objective => {
    const count = sample.x.length;
    const mean: Objective = (theta, gradient) => {
      const ll = logLikelihood(sample, GAMMA_GAMMA_SPACE.fromTheta(theta), gradient);
      for (let i = 0; i < 3; i++) gradient[i] = -gradient[i]! / count;
      return -ll / count;
    };
    return options.prior ? withPrior(mean, GAMMA_GAMMA_SPACE.toTheta(options.prior.centre), options.prior.sd, n) : mean;
  };
  const fit = fitFromStarts({
    space: GAMMA_GAMMA_SPACE,
    objective: objectiveFor(rows),
    weight: n,
    screening:
      n > SCREENING_ROWS
        ? { objective: objectiveFor(everyKth(rows, Math.ceil(n / SCREENING_ROWS))), rows: SCREENING_ROWS }
        : undefined,
    starts: options.starts ?? defaultGammaGammaStarts(meanRepeatValue(customers)),
    gradientTolerance: options.gradientTolerance,
    maxIterations: options.maxIterations,
  });
  return {
    params: fit.params,
    logLikelihood: logLikelihood(rows, fit.params),
    customers: n,
    diagnostics: fit.diagnostics,
  };
}

/** Population mean order value p γ / (q − 1) (q > 1). */
export function populationMeanValue(params: GammaGammaParams): number {
  return (params.p * params.gamma) / (params.q - 1);
}

/**
 * E[order value | x, mean repeat value]: (γ + x·m) p / (p x + q − 1), a credibility-weighted blend of the
 * customer's own mean and the population mean. Customers without repeat value get the population mean.
 */
export function conditionalExpectedOrderValue(params: GammaGammaParams, c: FrequencyValue): number {
  if (!hasRepeatValue(c)) return populationMeanValue(params);
  return ((params.gamma + c.x * c.monetary) * params.p) / (params.p * c.x + params.q - 1);
}
