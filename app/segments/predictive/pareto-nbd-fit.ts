// Fitting Pareto/NBD by maximum likelihood on (ln r, ln α, ln s, ln β), with the analytic gradient of
// pareto-nbd.ts and the multi-start BFGS shared with BG/NBD. Customers are grouped by identical (x, t_x, T) as for
// BG/NBD; each distinct row costs one quadrature (~10–40 nodes, ~1 µs), so a large shop is fitted on a
// deterministic, reweighted subsample of its distinct rows (PARETO_MAX_ROWS): 4,000 distinct histories pin four
// parameters far more tightly than the model's own misfit, and the backtest judges the result anyway.
import { groupCustomers, subsampleGroups } from "./bgnbd-likelihood.ts";
import type { GroupedCustomers, RecencyFrequency } from "./bgnbd-likelihood.ts";
import { LOG_PARAMETER_BOUND, pooledRate } from "./bgnbd-fit.ts";
import { fitFromStarts } from "./multi-start.ts";
import type { FitDiagnostics, FitStart, ParameterSpace } from "./multi-start.ts";
import type { Objective } from "./optimiser.ts";
import { logLifetimeBracket } from "./pareto-nbd.ts";
import type { ParetoNbdParams } from "./pareto-nbd.ts";

export const PARETO_NBD_SPACE: ParameterSpace<ParetoNbdParams> = {
  names: ["r", "alpha", "s", "beta"],
  toTheta: (p) => [Math.log(p.r), Math.log(p.alpha), Math.log(p.s), Math.log(p.beta)],
  fromTheta: (t) => ({ r: Math.exp(t[0]!), alpha: Math.exp(t[1]!), s: Math.exp(t[2]!), beta: Math.exp(t[3]!) }),
  lower: [-1, -1, -1, -1].map((v) => v * LOG_PARAMETER_BOUND),
  upper: [1, 1, 1, 1].map((v) => v * LOG_PARAMETER_BOUND),
};

/** Total Pareto/NBD log-likelihood of grouped customers; with `gradient`, its gradient in the log-parameters. */
export function paretoGroupedLogLikelihood(
  data: GroupedCustomers,
  p: ParetoNbdParams,
  gradient?: Float64Array,
): number {
  const n = data.customers;
  let ll = n * (p.r * Math.log(p.alpha) + p.s * Math.log(p.beta));
  const g = [n * Math.log(p.alpha), (n * p.r) / p.alpha, n * Math.log(p.beta), (n * p.s) / p.beta];
  // ln Γ(r+x) − ln Γ(r) = Σ_{j<x} ln(r+j), summed once per j over the customers with x > j.
  for (let j = 0; j < data.weightAbove.length; j++) {
    ll += data.weightAbove[j]! * Math.log(p.r + j);
    g[0]! += data.weightAbove[j]! / (p.r + j);
  }
  const d = gradient ? new Float64Array(4) : undefined;
  const add = (x: number, tx: number, T: number, w: number) => {
    ll += w * logLifetimeBracket(p, { x, tx, T }, d);
    if (d) for (let i = 0; i < 4; i++) g[i]! += w * d[i]!;
  };
  for (let i = 0; i < data.zeroT.length; i++) add(0, 0, data.zeroT[i]!, data.zeroWeight[i]!);
  for (let i = 0; i < data.rowX.length; i++)
    add(data.rowX[i]!, data.distinctTx[data.rowTx[i]!]!, data.distinctT[data.rowT[i]!]!, data.rowWeight[i]!);
  if (gradient) {
    gradient[0] = g[0]! * p.r;
    gradient[1] = g[1]! * p.alpha;
    gradient[2] = g[2]! * p.s;
    gradient[3] = g[3]! * p.beta;
  }
  return ll;
}

/** Pareto/NBD log-likelihood of customers' (x, t_x, T) at `params`. */
export function paretoNbdLogLikelihood(customers: ArrayLike<RecencyFrequency>, params: ParetoNbdParams): number {
  return paretoGroupedLogLikelihood(groupCustomers(customers), params);
}

function objectiveFor(data: GroupedCustomers): Objective {
  const n = Math.max(data.customers, 1);
  return (theta, gradient) => {
    const ll = paretoGroupedLogLikelihood(data, PARETO_NBD_SPACE.fromTheta(theta), gradient);
    for (let i = 0; i < 4; i++) gradient[i] = -gradient[i]! / n;
    return -ll / n;
  };
}

/** Two starts scaled to the shop's pooled purchase rate: all shapes one, and strong heterogeneity. */
export function defaultParetoNbdStarts(customers: ArrayLike<RecencyFrequency>): FitStart<ParetoNbdParams>[] {
  const rate = pooledRate(customers);
  return [
    { label: "unit-shape", params: { r: 1, alpha: 1 / rate, s: 1, beta: 1 / rate } },
    { label: "high-heterogeneity", params: { r: 0.5, alpha: 0.5 / rate, s: 0.5, beta: 2 / rate } },
  ];
}

/** Above this many distinct repeat-buyer rows, the fit runs on a subsample of this many. */
export const PARETO_MAX_ROWS = 4_000;

export interface ParetoNbdFit {
  params: ParetoNbdParams;
  /** Log-likelihood at `params`: of all customers, or estimated from the reweighted subsample when one was used. */
  logLikelihood: number;
  diagnostics: FitDiagnostics<ParetoNbdParams>;
  /** Distinct rows the fit ran on when it used a subsample; null when it used all. */
  fittedOnRows: number | null;
}

/** Fits Pareto/NBD to customers' (x, t_x, T). Never throws on degenerate data; check `diagnostics`. */
export function fitParetoNbd(
  customers: ArrayLike<RecencyFrequency>,
  options: { starts?: FitStart<ParetoNbdParams>[]; maxRows?: number; maxIterations?: number } = {},
): ParetoNbdFit {
  const all = groupCustomers(customers);
  const maxRows = options.maxRows ?? PARETO_MAX_ROWS;
  const data = all.rowX.length > maxRows ? subsampleGroups(all, maxRows) : all;
  const fit = fitFromStarts({
    space: PARETO_NBD_SPACE,
    objective: objectiveFor(data),
    weight: Math.max(data.customers, 1),
    starts: options.starts ?? defaultParetoNbdStarts(customers),
    // Per customer and log-parameter; 10⁻⁵ moves the log-likelihood of 10⁵ customers by well under 0.01.
    gradientTolerance: 1e-5,
    // Where Pareto/NBD does not describe a shop its likelihood drifts along a ridge toward a bound (constant
    // dropout: s and β growing together) for hundreds of iterations; such a fit is not chased.
    maxIterations: options.maxIterations ?? 40,
  });
  return {
    params: fit.params,
    logLikelihood: paretoGroupedLogLikelihood(data, fit.params),
    diagnostics: fit.diagnostics,
    fittedOnRows: data === all ? null : data.rowX.length,
  };
}
