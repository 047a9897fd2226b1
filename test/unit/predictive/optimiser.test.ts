import { describe, expect, test } from "vitest";
import { minimise } from "~/segments/predictive/optimiser.ts";
import type { Objective } from "~/segments/predictive/optimiser.ts";

// Rosenbrock's banana, minimum 0 at (1, 1): the classic test of a quasi-Newton method's line search.
const rosenbrock: Objective = (t, g) => {
  const [x, y] = [t[0]!, t[1]!];
  g[0] = -2 * (1 - x) - 400 * x * (y - x * x);
  g[1] = 200 * (y - x * x);
  return (1 - x) ** 2 + 100 * (y - x * x) ** 2;
};
const box = { lower: [-5, -5], upper: [5, 5] };

describe("box-constrained BFGS", () => {
  test("finds Rosenbrock's minimum from far-apart starts", () => {
    for (const start of [
      [-1.2, 1],
      [4, -4],
      [-5, 5],
      [0, 0],
    ]) {
      const result = minimise(rosenbrock, start, { ...box, gradientTolerance: 1e-9 });
      expect(result.converged, String(start)).toBe(true);
      expect(result.stopReason).toBe("gradient");
      expect(result.theta[0]).toBeCloseTo(1, 6);
      expect(result.theta[1]).toBeCloseTo(1, 6);
    }
  });

  test("stops on an active bound with a zero projected gradient", () => {
    // Unconstrained minimum at (3, −2); the box caps the first coordinate at 1.
    const bowl: Objective = (t, g) => {
      g[0] = 2 * (t[0]! - 3);
      g[1] = 2 * (t[1]! + 2);
      return (t[0]! - 3) ** 2 + (t[1]! + 2) ** 2;
    };
    const result = minimise(bowl, [0, 0], { lower: [-1, -5], upper: [1, 5] });
    expect(result.converged).toBe(true);
    expect(result.theta).toEqual([1, expect.closeTo(-2, 8)]);
  });

  test("backs away from regions where the objective is undefined", () => {
    // ln is undefined for θ ≤ 0: steps that land there must be shortened, not accepted.
    const logBarrier: Objective = (t, g) => {
      g[0] = 1 - 1 / t[0]!;
      return t[0]! - Math.log(t[0]!);
    };
    const result = minimise(logBarrier, [10], { lower: [-100], upper: [100], maxStep: 50 });
    expect(result.converged).toBe(true);
    expect(result.theta[0]).toBeCloseTo(1, 6);
  });

  test("reports a start where the objective is not finite instead of throwing", () => {
    const result = minimise(() => Number.NaN, [1], { lower: [-1], upper: [2] });
    expect(result).toMatchObject({ converged: false, stopReason: "non-finite-start", iterations: 0 });
  });

  test("says so when the iteration budget runs out", () => {
    const result = minimise(rosenbrock, [-1.2, 1], { ...box, maxIterations: 3 });
    expect(result).toMatchObject({ converged: false, stopReason: "max-iterations", iterations: 3 });
  });
});
