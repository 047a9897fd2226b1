import { describe, expect, test } from "vitest";
import { fitRidgeGlm, linearPredictor } from "~/segments/predictive/index.ts";

// mulberry32, as in simulate.ts
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function poisson(uniform: () => number, mean: number): number {
  let k = 0;
  let p = Math.exp(-mean);
  let sum = p;
  const u = uniform();
  while (u > sum) {
    k++;
    p *= mean / k;
    sum += p;
  }
  return k;
}

function data(n: number, family: "poisson" | "logistic") {
  const uniform = random(11);
  const features = new Float64Array(n * 2);
  const response = new Float64Array(n);
  const offset = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x1 = uniform() * 2;
    const x2 = uniform() * 4 - 2;
    features[2 * i] = x1;
    features[2 * i + 1] = x2;
    offset[i] = Math.log(0.5 + uniform());
    const eta = offset[i]! - 0.3 + 0.8 * x1 - 0.4 * x2;
    response[i] = family === "poisson" ? poisson(uniform, Math.exp(eta)) : uniform() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  }
  return { features, width: 2, response, offset };
}

describe("ridge GLM with an offset", () => {
  test.each(["poisson", "logistic"] as const)(
    "%s: recovers known coefficients (η = offset − 0.3 + 0.8 x₁ − 0.4 x₂)",
    (family) => {
      // 50,000 draws: the standard error of η at the edges of the design is about 0.03 for the logistic model.
      const fit = fitRidgeGlm(family, data(50_000, family), 1e-6);
      expect(fit.converged).toBe(true);
      for (const [x1, x2] of [
        [0, 0],
        [1, 1],
        [2, -2],
        [0.5, 1.5],
      ] as const) {
        expect(Math.abs(linearPredictor(fit, [x1, x2]) - (-0.3 + 0.8 * x1 - 0.4 * x2))).toBeLessThan(0.1);
      }
    },
  );

  test("a heavy penalty shrinks the features' coefficients to nothing; the Poisson intercept still matches the total", () => {
    const d = data(5000, "poisson");
    const fit = fitRidgeGlm("poisson", d, 1e4);
    for (const c of fit.coefficients) expect(Math.abs(c)).toBeLessThan(1e-3);
    let expected = 0;
    for (let i = 0; i < 5000; i++)
      expected += Math.exp(d.offset[i]! + linearPredictor(fit, [d.features[2 * i]!, d.features[2 * i + 1]!]));
    expect(expected / d.response.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
  });

  test("a constant feature gets no weight and breaks nothing", () => {
    const d = data(2000, "logistic");
    for (let i = 0; i < 2000; i++) d.features[2 * i + 1] = 3;
    const fit = fitRidgeGlm("logistic", d, 0.01);
    expect(fit.converged).toBe(true);
    expect(fit.coefficients[1]).toBeCloseTo(0, 9);
  });
});
