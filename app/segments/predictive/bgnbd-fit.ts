// Fitting BG/NBD by maximum likelihood (or maximum a posteriori, with a log-normal prior) on (ln r, ln α, ln a, ln b).
import { groupedLogLikelihood, groupCustomers, subsampleGroups } from "./bgnbd-likelihood.ts";
import type { BgNbdParams, GroupedCustomers, RecencyFrequency } from "./bgnbd-likelihood.ts";
import { fitFromStarts, withPrior } from "./multi-start.ts";
import type { FitDiagnostics, FitStart, ParameterSpace, ModelFitOptions } from "./multi-start.ts";
import type { Objective } from "./optimiser.ts";

/** Search box of every log-parameter: parameters between e^−12 ≈ 6e-6 and e^12 ≈ 163,000. */
export const LOG_PARAMETER_BOUND = 12;
/** Above this many distinct rows, starts are screened on a subsample of this size (see fitFromStarts). */
export const SCREENING_ROWS = 20_000;

export const BGNBD_SPACE: ParameterSpace<BgNbdParams> = {
  names: ["r", "alpha", "a", "b"],
  toTheta: (p) => [Math.log(p.r), Math.log(p.alpha), Math.log(p.a), Math.log(p.b)],
  fromTheta: (t) => ({ r: Math.exp(t[0]!), alpha: Math.exp(t[1]!), a: Math.exp(t[2]!), b: Math.exp(t[3]!) }),
  lower: [-1, -1, -1, -1].map((s) => s * LOG_PARAMETER_BOUND),
  upper: [1, 1, 1, 1].map((s) => s * LOG_PARAMETER_BOUND),
};

/** The default starts are `defaultBgNbdStarts(customers)`. */
export type BgNbdFitOptions = ModelFitOptions<BgNbdParams>;

export interface BgNbdFit {
  params: BgNbdParams;
  /** Log-likelihood of the data at `params` (without the prior). */
  logLikelihood: number;
  diagnostics: FitDiagnostics<BgNbdParams>;
}

function objectiveFor(data: GroupedCustomers): Objective {
  const n = Math.max(data.customers, 1);
  return (theta, gradient) => {
    const ll = groupedLogLikelihood(data, BGNBD_SPACE.fromTheta(theta), gradient);
    for (let i = 0; i < 4; i++) gradient[i] = -gradient[i]! / n;
    return -ll / n;
  };
}

/** Repeat purchases per unit of time across the shop, (Σx + 1)/(ΣT + 1): the scale of the default starts. */
export function pooledRate(customers: ArrayLike<RecencyFrequency>): number {
  let x = 0;
  let T = 0;
  for (let i = 0; i < customers.length; i++) {
    x += customers[i]!.x;
    T += customers[i]!.T;
  }
  return (x + 1) / (T + 1);
}

/**
 * Three deliberately different starts, scaled to the shop's pooled purchase rate so they suit days or weeks:
 * little heterogeneity and dropout, the lifetimes default shape (all ones), and strong heterogeneity.
 */
export function defaultBgNbdStarts(customers: ArrayLike<RecencyFrequency>): FitStart<BgNbdParams>[] {
  const rate = pooledRate(customers);
  return [
    { label: "unit-shape", params: { r: 1, alpha: 1 / rate, a: 1, b: 1 } },
    { label: "high-heterogeneity", params: { r: 0.2, alpha: 0.2 / rate, a: 0.5, b: 2 } },
    { label: "low-heterogeneity", params: { r: 4, alpha: 4 / rate, a: 2, b: 8 } },
  ];
}

/** Fits BG/NBD to customers' (x, t_x, T). Never throws on degenerate data; check `diagnostics`. */
export function fitBgNbd(customers: ArrayLike<RecencyFrequency>, options: BgNbdFitOptions = {}): BgNbdFit {
  const data = groupCustomers(customers);
  const n = Math.max(data.customers, 1);
  const addPrior = (objective: Objective): Objective =>
    options.prior ? withPrior(objective, BGNBD_SPACE.toTheta(options.prior.centre), options.prior.sd, n) : objective;
  const screening =
    data.rowX.length > SCREENING_ROWS
      ? { objective: addPrior(objectiveFor(subsampleGroups(data, SCREENING_ROWS))), rows: SCREENING_ROWS }
      : undefined;
  const fit = fitFromStarts({
    space: BGNBD_SPACE,
    objective: addPrior(objectiveFor(data)),
    weight: n,
    starts: options.starts ?? defaultBgNbdStarts(customers),
    screening,
    gradientTolerance: options.gradientTolerance,
    maxIterations: options.maxIterations,
  });
  return { params: fit.params, logLikelihood: groupedLogLikelihood(data, fit.params), diagnostics: fit.diagnostics };
}
