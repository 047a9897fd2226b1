// Ridge-penalised generalised linear models with an offset: Poisson (log link) for how many orders, logistic
// (logit link) for whether any. Fitted by iteratively reweighted least squares on standardised features; the
// (p+1)×(p+1) normal equations are solved by ml-matrix's Cholesky decomposition. The IRLS loop is written here
// because no maintained npm package fits a GLM with an offset and a ridge penalty (ml-logistic-regression is
// unpenalised gradient descent without offsets; `glm` 1.0.0 is unmaintained and has neither).
import { CholeskyDecomposition, Matrix } from "ml-matrix";

export type GlmFamily = "poisson" | "logistic";

/** A fitted model: η = offset + intercept + Σ coefficients · (feature − mean) / scale. JSON-serialisable. */
export interface GlmFit {
  family: GlmFamily;
  intercept: number;
  coefficients: number[];
  means: number[];
  scales: number[];
  /** The penalty λ on the standardised coefficients (per observation). */
  lambda: number;
  iterations: number;
  converged: boolean;
}

/** Training data: `features` row-major (rows × width), one response and one offset per row. */
export interface GlmData {
  features: Float64Array;
  width: number;
  response: Float64Array;
  offset: Float64Array;
}

const MAX_ETA = 30;

function mean(family: GlmFamily, eta: number): number {
  const e = Math.min(Math.max(eta, -MAX_ETA), MAX_ETA);
  return family === "poisson" ? Math.exp(e) : 1 / (1 + Math.exp(-e));
}

// Negative log-likelihood (up to a constant) plus the ridge penalty, for the step-halving safeguard.
function objective(family: GlmFamily, data: GlmData, z: Float64Array, beta: Float64Array, lambda: number): number {
  const p = beta.length;
  const n = data.response.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let eta = data.offset[i]! + beta[0]!;
    for (let j = 1; j < p; j++) eta += beta[j]! * z[i * (p - 1) + j - 1]!;
    const y = data.response[i]!;
    const e = Math.min(Math.max(eta, -MAX_ETA), MAX_ETA);
    total += family === "poisson" ? Math.exp(e) - y * e : Math.log1p(Math.exp(e)) - y * e;
  }
  let penalty = 0;
  for (let j = 1; j < p; j++) penalty += beta[j]! * beta[j]!;
  return total + (lambda * n * penalty) / 2;
}

/** Fits the model; never throws on degenerate data (a constant feature gets coefficient 0). */
export function fitRidgeGlm(family: GlmFamily, data: GlmData, lambda: number, maxIterations = 25): GlmFit {
  const { width, response, offset } = data;
  const n = response.length;
  const p = width + 1;
  const means = new Array<number>(width).fill(0);
  const scales = new Array<number>(width).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < width; j++) means[j]! += data.features[i * width + j]! / n;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < width; j++) scales[j]! += (data.features[i * width + j]! - means[j]!) ** 2 / n;
  for (let j = 0; j < width; j++) scales[j] = Math.sqrt(scales[j]!) || 1;
  const z = new Float64Array(n * width);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < width; j++) z[i * width + j] = (data.features[i * width + j]! - means[j]!) / scales[j]!;

  const beta = new Float64Array(p);
  if (family === "poisson") {
    // Start at the intercept that matches the total: Σ y = e^β₀ Σ e^offset.
    let ys = 0;
    let es = 0;
    for (let i = 0; i < n; i++) {
      ys += response[i]!;
      es += Math.exp(Math.min(offset[i]!, MAX_ETA));
    }
    beta[0] = ys > 0 && es > 0 ? Math.log(ys / es) : 0;
  }
  let current = objective(family, data, z, beta, lambda);
  let converged = false;
  let iterations = 0;
  for (; iterations < maxIterations && !converged; iterations++) {
    const hessian = Matrix.zeros(p, p);
    const gradient = new Float64Array(p);
    const row = new Float64Array(p);
    row[0] = 1;
    for (let i = 0; i < n; i++) {
      for (let j = 1; j < p; j++) row[j] = z[i * width + j - 1]!;
      let eta = offset[i]!;
      for (let j = 0; j < p; j++) eta += beta[j]! * row[j]!;
      const mu = mean(family, eta);
      const w = family === "poisson" ? mu : mu * (1 - mu);
      const residual = response[i]! - mu;
      for (let j = 0; j < p; j++) {
        gradient[j]! += residual * row[j]!;
        const wr = w * row[j]!;
        for (let k = 0; k <= j; k++) hessian.set(j, k, hessian.get(j, k) + wr * row[k]!);
      }
    }
    for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) hessian.set(k, j, hessian.get(j, k));
    for (let j = 1; j < p; j++) {
      gradient[j]! -= lambda * n * beta[j]!;
      hessian.set(j, j, hessian.get(j, j) + lambda * n);
    }
    // A tiny ridge on the intercept too keeps the system positive definite when every weight vanishes.
    hessian.set(0, 0, hessian.get(0, 0) + 1e-9 * n);
    const step = new CholeskyDecomposition(hessian).solve(Matrix.columnVector(Array.from(gradient))).to1DArray();
    let scale = 1;
    for (let halvings = 0; halvings < 30; halvings++, scale /= 2) {
      const trial = beta.map((b, j) => b + scale * step[j]!);
      const value = objective(family, data, z, trial, lambda);
      if (value <= current + 1e-12 * Math.abs(current)) {
        const change = Math.max(...step.map((s) => Math.abs(scale * s)));
        beta.set(trial);
        converged = change < 1e-8 || current - value <= 1e-12 * Math.abs(current);
        current = value;
        break;
      }
    }
  }
  return {
    family,
    intercept: beta[0]!,
    coefficients: Array.from(beta.subarray(1)),
    means,
    scales,
    lambda,
    iterations,
    converged,
  };
}

/** intercept + Σ coefficients · standardised features (the offset is added by the caller). */
export function linearPredictor(fit: GlmFit, features: ArrayLike<number>): number {
  let eta = fit.intercept;
  for (let j = 0; j < fit.coefficients.length; j++)
    eta += (fit.coefficients[j]! * (features[j]! - fit.means[j]!)) / fit.scales[j]!;
  return eta;
}
