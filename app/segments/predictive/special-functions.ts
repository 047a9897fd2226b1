// Log-gamma, log-beta and digamma come from stdlib (well-kept ports of Cephes/Boost). The Gauss hypergeometric
// function does not: see hypergeometric.ts and docs/decisions/0101-predictive-numerics.md.
import betaln from "@stdlib/math-base-special-betaln";
import digammaFn from "@stdlib/math-base-special-digamma";
import gammaln from "@stdlib/math-base-special-gammaln";

/** ln|Γ(x)|. */
export const logGamma: (x: number) => number = gammaln;
/** ln B(a, b) for a, b > 0. */
export const logBeta: (a: number, b: number) => number = betaln;
/** ψ(x) = d ln Γ(x) / dx. */
export const digamma: (x: number) => number = digammaFn;

/** Sign of Γ(x) (x not a non-positive integer). */
export function gammaSign(x: number): 1 | -1 {
  if (x > 0) return 1;
  return Math.floor(x) % 2 === 0 ? 1 : -1;
}

/** 1 / (1 + e^−z). */
export function logistic(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** (1 − e^−y) / y, continuous at y = 0 (used where a parameter minus one divides a difference). */
export function oneMinusExpOver(y: number): number {
  return Math.abs(y) < 1e-8 ? 1 - y / 2 : -Math.expm1(-y) / y;
}
