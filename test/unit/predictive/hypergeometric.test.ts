import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { hypergeometric2F1 } from "~/segments/predictive/index.ts";
import { expectedPurchasesIfAlive } from "~/segments/predictive/hypergeometric.ts";
import { expectedPurchasesByQuadrature, kronrod15 } from "~/segments/predictive/beta-quadrature.ts";

// Reference values from mpmath at 50 digits (fixtures/hypergeometric-reference.py).
const reference = JSON.parse(
  readFileSync(new URL("./fixtures/hypergeometric-reference.json", import.meta.url), "utf8"),
) as {
  H: [number, number, number, number, number][];
  extreme: [number, number, number, number, number][];
  hyp2f1: [number, number, number, number, number][];
};

const relativeError = (value: number, expected: number) => Math.abs(value - expected) / Math.abs(expected);

describe("BG/NBD's hypergeometric quantity H(A, a, b', s) against mpmath", () => {
  test("covers both expansions, large x, and s up to 1e6", () => {
    expect(reference.H.length).toBeGreaterThan(1000);
    expect(reference.H.some(([A, , , s]) => A > 100 && s >= 1e4)).toBe(true);
  });

  test("agrees to 1e-9 relative everywhere, including next to the removable singularities", () => {
    const worst = reference.H.map(([A, a, bp, s, expected]) => ({
      A,
      a,
      bp,
      s,
      error: relativeError(expectedPurchasesIfAlive(A, a, bp, s), expected),
    })).sort((x, y) => y.error - x.error)[0]!;
    expect(worst.error).toBeLessThan(1e-9);
  });
});

describe("H at extreme parameters (b, r or a in the thousands, or 0.01)", () => {
  test("agrees with mpmath to 1e-9 relative (quadrature takes over where the series would cancel)", () => {
    expect(reference.extreme.length).toBeGreaterThan(300);
    for (const [A, a, bp, s, expected] of reference.extreme) {
      expect(relativeError(expectedPurchasesIfAlive(A, a, bp, s), expected), `H(${A}, ${a}, ${bp}, ${s})`).toBeLessThan(
        1e-9,
      );
    }
  });
});

describe("adaptive Gauss–Kronrod quadrature", () => {
  test("the 15-point rule is exact for polynomials of degree 22 and close for smooth functions", () => {
    expect(kronrod15((x) => x ** 22, -1, 1).value).toBeCloseTo(2 / 23, 14);
    expect(relativeError(kronrod15(Math.exp, 0, 1).value, Math.E - 1)).toBeLessThan(1e-15);
  });

  test("an independent method: quadrature and the series agree on random BG/NBD-like arguments", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 40, noNaN: true }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.double({ min: 0.1, max: 60, noNaN: true }),
        fc.double({ min: 0.01, max: 500, noNaN: true }),
        (A, a, bp, s) => {
          const series = expectedPurchasesIfAlive(A, a, bp, s);
          expect(relativeError(expectedPurchasesByQuadrature(A, a, bp, s), series)).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("hypergeometric2F1 in BG/NBD's form ₂F₁(r+x, b+x; a+b+x−1; z)", () => {
  // Values reach 1e145; (1−z)^−A multiplies the rounding of 1 − z by A, hence 5e-9 rather than H's 1e-9.
  test("agrees with mpmath to 5e-9 relative for z from 0.1 to 0.99999", () => {
    expect(reference.hyp2f1.some(([, , , z]) => z === 0.99999)).toBe(true);
    for (const [A, B, C, z, expected] of reference.hyp2f1) {
      expect(relativeError(hypergeometric2F1(A, B, C, z), expected), `2F1(${A}, ${B}; ${C}; ${z})`).toBeLessThan(5e-9);
    }
  });

  test("closed forms: ₂F₁(1, 1; 2; z) = −ln(1−z)/z and ₂F₁(a, b; b; z) = (1−z)^−a", () => {
    for (const z of [0.01, 0.5, 0.9, 0.999999]) {
      expect(relativeError(hypergeometric2F1(1, 1, 2, z), -Math.log1p(-z) / z)).toBeLessThan(1e-12);
      expect(relativeError(hypergeometric2F1(0.7, 2.5, 2.5, z), Math.pow(1 - z, -0.7))).toBeLessThan(1e-12);
    }
  });

  test("rejects arguments outside BG/NBD's region with a clear error", () => {
    expect(() => hypergeometric2F1(1, 1, 2, 1)).toThrow(/0 ≤ z < 1/);
    expect(() => hypergeometric2F1(-1, 1, 2, 0.5)).toThrow(RangeError);
    expect(() => expectedPurchasesIfAlive(1, 1, 1, Number.POSITIVE_INFINITY)).toThrow(/finite s/);
  });
});

describe("H as an expectation over p ~ Beta(a, b')", () => {
  // Wide on purpose: fitted parameters may sit anywhere in the search box, and x can be in the thousands.
  const shape = fc.double({ min: 0.01, max: 5000, noNaN: true });
  const horizon = fc.double({ min: 0, max: 1e5, noNaN: true });

  test("is 0 at s = 0, grows with s, and never exceeds A·s (its value for p → 0)", () => {
    fc.assert(
      fc.property(shape, shape, shape, horizon, horizon, (A, a, bp, s1, s2) => {
        const [lo, hi] = s1 <= s2 ? [s1, s2] : [s2, s1];
        const hLo = expectedPurchasesIfAlive(A, a, bp, lo);
        const hHi = expectedPurchasesIfAlive(A, a, bp, hi);
        expect(Number.isFinite(hLo) && Number.isFinite(hHi)).toBe(true);
        expect(hLo).toBeGreaterThanOrEqual(0);
        expect(hHi).toBeGreaterThanOrEqual(hLo * (1 - 1e-9));
        expect(hHi).toBeLessThanOrEqual(A * hi * (1 + 1e-9) + 1e-300);
      }),
      { numRuns: 300 },
    );
  });
});
