// Maximum-likelihood (or maximum-a-posteriori) fitting from several starting points on log-parameters with bounds:
// the fit that wins is the one with the highest likelihood, and the diagnostics say how many starts agreed on it.
import { minimise } from "./optimiser.ts";
import type { Objective, StopReason } from "./optimiser.ts";

/** Where the optimiser works: one coordinate per parameter, each the log of the parameter (or of q − 1). */
export interface ParameterSpace<P extends object> {
  names: readonly (keyof P & string)[];
  toTheta(params: P): number[];
  fromTheta(theta: ArrayLike<number>): P;
  lower: readonly number[];
  upper: readonly number[];
}

/** A labelled starting point. */
export interface FitStart<P extends object> {
  label: string;
  params: P;
}

/** What one start reached. `logLikelihood` is the objective's log-likelihood (plus log-prior for MAP fits). */
export interface StartOutcome<P extends object> {
  label: string;
  start: P;
  params: P;
  logLikelihood: number;
  converged: boolean;
  iterations: number;
  stopReason: StopReason;
}

/** Fit quality, stored with the model state. */
export interface FitDiagnostics<P extends object> {
  /** The winning optimisation ended with a gradient below tolerance. */
  converged: boolean;
  iterations: number;
  evaluations: number;
  /** Largest |∂(−log-likelihood per customer)/∂ log-parameter| at the optimum (free coordinates only). */
  gradientNorm: number;
  /** Parameters that ended on a bound of the search box (the likelihood wants them beyond it). */
  atBounds: string[];
  /** Label of the start whose optimum won. */
  winningStart: string;
  /** Converged starts whose optimum is within 1e-7 (relative) of the winner's objective. */
  startsAgreeing: number;
  starts: StartOutcome<P>[];
  /** On large shops the starts are screened on a subsample of this many rows, then the winner is polished on all. */
  screenedOnRows: number | null;
}

export interface MultiStartOptions<P extends object> {
  space: ParameterSpace<P>;
  /** Mean negative log-likelihood (or log-posterior) per customer over θ, with its gradient. */
  objective: Objective;
  /** Customers the objective is averaged over, to report totals. */
  weight: number;
  starts: readonly FitStart<P>[];
  /** Cheaper stand-in objective for screening the starts, and how many rows it covers. */
  screening?: { objective: Objective; rows: number };
  gradientTolerance?: number;
  maxIterations?: number;
}

const AGREEMENT = 1e-7;

export function fitFromStarts<P extends object>(
  options: MultiStartOptions<P>,
): { params: P; objective: number; diagnostics: FitDiagnostics<P> } {
  const { space, starts } = options;
  if (starts.length === 0) throw new RangeError("a fit needs at least one starting point");
  const settings = {
    lower: space.lower,
    upper: space.upper,
    gradientTolerance: options.gradientTolerance ?? 1e-7,
    maxIterations: options.maxIterations ?? 300,
  };
  const screen = options.screening?.objective ?? options.objective;
  let evaluations = 0;
  const runs = starts.map((start) => {
    const run = minimise(screen, space.toTheta(start.params), settings);
    evaluations += run.evaluations;
    return { start, run };
  });
  const finite = runs.filter((r) => Number.isFinite(r.run.value));
  const best = (finite.length > 0 ? finite : runs).reduce((a, b) => (b.run.value < a.run.value ? b : a));
  let final = best.run;
  if (options.screening) {
    // The subsample's curvature is a close guess of the full data's: warm-starting BFGS with it saves most of the
    // (expensive) full-data iterations.
    final = minimise(options.objective, final.theta, { ...settings, inverseHessian: final.inverseHessian });
    evaluations += final.evaluations;
  }
  const scale = options.weight;
  const agreeing = runs.filter(
    (r) =>
      r.run.converged && Math.abs(r.run.value - best.run.value) <= AGREEMENT * Math.max(1, Math.abs(best.run.value)),
  ).length;
  const atBounds = space.names.filter((_, i) => {
    const v = final.theta[i]!;
    return v - space.lower[i]! < 1e-6 || space.upper[i]! - v < 1e-6;
  });
  return {
    params: space.fromTheta(final.theta),
    objective: final.value,
    diagnostics: {
      converged: final.converged,
      iterations: final.iterations + (options.screening ? best.run.iterations : 0),
      evaluations,
      gradientNorm: final.gradientNorm,
      atBounds,
      winningStart: best.start.label,
      startsAgreeing: agreeing,
      starts: runs.map(({ start, run }) => ({
        label: start.label,
        start: start.params,
        params: space.fromTheta(run.theta),
        logLikelihood: -run.value * scale,
        converged: run.converged,
        iterations: run.iterations,
        stopReason: run.stopReason,
      })),
      screenedOnRows: options.screening ? options.screening.rows : null,
    },
  };
}

/** Independent normal priors on the log-parameters: the penalty of a maximum-a-posteriori fit. */
export interface LogNormalPrior<P extends object> {
  /** Prior median of each parameter (the centre of its log). */
  centre: P;
  /** Standard deviation of every log-parameter. */
  sd: number;
}

/** Adds −log prior(θ) / weight to `objective` (θ must be the log of the centre's coordinates). */
export function withPrior(objective: Objective, centreTheta: readonly number[], sd: number, weight: number): Objective {
  return (theta, gradient) => {
    let value = objective(theta, gradient);
    for (let i = 0; i < theta.length; i++) {
      const d = theta[i]! - centreTheta[i]!;
      value += (d * d) / (2 * sd * sd * weight);
      gradient[i] = gradient[i]! + d / (sd * sd * weight);
    }
    return value;
  };
}

/** What a model's fit takes, whatever the model. */
export interface ModelFitOptions<P extends object> {
  /** Starting points; each model has its default. */
  starts?: readonly FitStart<P>[];
  /** When given, the fit maximises log-likelihood + log-prior (MAP) instead of the log-likelihood alone. */
  prior?: LogNormalPrior<P>;
  gradientTolerance?: number;
  maxIterations?: number;
}
