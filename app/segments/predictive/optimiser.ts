// A small box-constrained quasi-Newton minimiser (BFGS with projected backtracking), written here because npm has
// no maintained bounded optimiser: `fmin` (2016) and `optimization-js` (bundles browserify at run time) are
// unmaintained, and neither takes bounds. The problems here have 3–4 parameters, so a dense BFGS inverse Hessian
// is cheaper and simpler than L-BFGS. docs/decisions/0101-predictive-numerics.md has the comparison.

/** f(θ) that also writes ∇f(θ) into `gradient`. May return a non-finite value where f is undefined. */
export type Objective = (theta: Float64Array, gradient: Float64Array) => number;

export interface MinimiseOptions {
  lower: readonly number[];
  upper: readonly number[];
  /** Converged when every free component of the gradient is at most this in absolute value. */
  gradientTolerance?: number;
  maxIterations?: number;
  /** Largest change of any coordinate in one step (θ is log-parameters, so 2 = a factor e² ≈ 7.4). */
  maxStep?: number;
  /** Inverse-Hessian estimate to start from (row-major n×n), e.g. from a fit of the same model on a subsample. */
  inverseHessian?: Float64Array;
}

export type StopReason = "gradient" | "max-iterations" | "line-search" | "stalled" | "non-finite-start";

export interface MinimiseResult {
  theta: number[];
  value: number;
  /** Largest absolute free gradient component at `theta` (components pushing into an active bound excluded). */
  gradientNorm: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  stopReason: StopReason;
  /** The final inverse-Hessian estimate (row-major), to warm-start a related minimisation. */
  inverseHessian: Float64Array;
}

// Steps in a row that lower f by no more than its rounding before the search gives up as stalled.
const STALL_LIMIT = 10;

function clampInto(
  target: Float64Array,
  source: Float64Array,
  lower: readonly number[],
  upper: readonly number[],
): void {
  for (let i = 0; i < source.length; i++) target[i] = Math.min(upper[i]!, Math.max(lower[i]!, source[i]!));
}

function freeMask(x: Float64Array, g: Float64Array, lower: readonly number[], upper: readonly number[]): boolean[] {
  return Array.from(x, (xi, i) => !((xi <= lower[i]! && g[i]! > 0) || (xi >= upper[i]! && g[i]! < 0)));
}

function projectedNorm(g: Float64Array, free: boolean[]): number {
  let norm = 0;
  for (let i = 0; i < g.length; i++) if (free[i]) norm = Math.max(norm, Math.abs(g[i]!));
  return norm;
}

function identity(n: number): Float64Array {
  const h = new Float64Array(n * n);
  for (let i = 0; i < n; i++) h[i * n + i] = 1;
  return h;
}

function direction(h: Float64Array, g: Float64Array, free: boolean[]): Float64Array {
  const n = g.length;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!free[i]) continue;
    let sum = 0;
    for (let j = 0; j < n; j++) if (free[j]) sum += h[i * n + j]! * g[j]!;
    d[i] = -sum;
  }
  return d;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

// Inverse-Hessian BFGS update: H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ.
function bfgsUpdate(h: Float64Array, s: Float64Array, y: Float64Array, sy: number): void {
  const n = s.length;
  const rho = 1 / sy;
  const hy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += h[i * n + j]! * y[j]!;
    hy[i] = sum;
  }
  const yhy = dot(y, hy);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      h[i * n + j] = h[i * n + j]! - rho * (hy[i]! * s[j]! + s[i]! * hy[j]!) + (rho * rho * yhy + rho) * s[i]! * s[j]!;
    }
  }
}

/** Minimises `f` over the box [lower, upper] from `start` (clamped into the box). Never throws on bad regions of f. */
export function minimise(f: Objective, start: readonly number[], options: MinimiseOptions): MinimiseResult {
  const { lower, upper } = options;
  const tolerance = options.gradientTolerance ?? 1e-7;
  const maxIterations = options.maxIterations ?? 300;
  const maxStep = options.maxStep ?? 2;
  const n = start.length;
  const x = new Float64Array(n);
  clampInto(x, Float64Array.from(start), lower, upper);
  let g = new Float64Array(n);
  let h = options.inverseHessian ? options.inverseHessian.slice() : identity(n);
  let fx = f(x, g);
  let evaluations = 1;
  const result = (iterations: number, stopReason: StopReason): MinimiseResult => {
    const gradientNorm = projectedNorm(g, freeMask(x, g, lower, upper));
    return {
      theta: Array.from(x),
      value: fx,
      gradientNorm,
      iterations,
      evaluations,
      converged: Number.isFinite(fx) && gradientNorm <= tolerance,
      stopReason,
      inverseHessian: h,
    };
  };
  if (!Number.isFinite(fx) || g.some((v) => !Number.isFinite(v))) return result(0, "non-finite-start");

  let fresh = !options.inverseHessian;
  let stalled = 0;
  const trial = new Float64Array(n);
  const raw = new Float64Array(n);
  let gTrial = new Float64Array(n);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const free = freeMask(x, g, lower, upper);
    if (projectedNorm(g, free) <= tolerance) return result(iteration, "gradient");
    let d = direction(h, g, free);
    if (!(dot(d, g) < 0)) {
      h = identity(n);
      fresh = true;
      d = direction(h, g, free);
    }
    let largest = 0;
    for (const di of d) largest = Math.max(largest, Math.abs(di));
    let t = largest > maxStep ? maxStep / largest : 1;
    let accepted = false;
    // 30 halvings take the step below 1e-9 of its first length: beyond that f's rounding decides, not its slope.
    for (let attempt = 0; attempt < 30; attempt++) {
      for (let i = 0; i < n; i++) raw[i] = x[i]! + t * d[i]!;
      clampInto(trial, raw, lower, upper);
      let decrease = 0;
      for (let i = 0; i < n; i++) decrease += g[i]! * (trial[i]! - x[i]!);
      const fTrial = f(trial, gTrial);
      evaluations++;
      if (Number.isFinite(fTrial) && gTrial.every(Number.isFinite) && fTrial <= fx + 1e-4 * decrease) {
        accepted = true;
        const s = new Float64Array(n);
        const y = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          s[i] = trial[i]! - x[i]!;
          y[i] = gTrial[i]! - g[i]!;
        }
        const sy = dot(s, y);
        if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
          if (fresh) {
            // Scale the first inverse-Hessian guess to the curvature just seen (Nocedal & Wright 6.20).
            h = identity(n).map((v) => (v * sy) / dot(y, y));
            fresh = false;
          }
          bfgsUpdate(h, s, y, sy);
        }
        x.set(trial);
        [g, gTrial] = [gTrial, g];
        stalled = fx - fTrial <= 1e-15 * Math.max(1, Math.abs(fx)) ? stalled + 1 : 0;
        fx = fTrial;
        break;
      }
      t *= Number.isFinite(fTrial) ? 0.5 : 0.1;
    }
    if (stalled >= STALL_LIMIT) return result(iteration + 1, "stalled");
    if (!accepted) {
      if (fresh) return result(iteration, "line-search");
      // A stale curvature model can point nowhere useful; retry once as steepest descent.
      h = identity(n);
      fresh = true;
    }
  }
  return result(maxIterations, "max-iterations");
}
