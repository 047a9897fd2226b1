import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { RFM_GROUPS, rfmGroup } from "../../../app/segments/rfm/groups";
import { cutoffs, rfmCutoffs, rfmScores, score } from "../../../app/segments/rfm/scores";
import { order } from "./orders-fixture";
import { profileOf } from "./profile-fixture";

describe("quintile scores", () => {
  test("ten distinct values: two per score", () => {
    const values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    const cuts = cutoffs(values);
    expect(cuts).toEqual([20, 40, 60, 80]);
    expect(values.map((v) => score(v, cuts))).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });

  test("ties share a score, and a value equal to a cut-off gets the lower score", () => {
    // Six of ten customers have one order: all of them score 1; 2 orders scores 4 (scores 2 and 3 are empty).
    const orders = [1, 1, 1, 1, 1, 1, 2, 2, 3, 9];
    const cuts = cutoffs(orders);
    expect(cuts).toEqual([1, 1, 1, 2]);
    expect(orders.map((v) => score(v, cuts))).toEqual([1, 1, 1, 1, 1, 1, 4, 4, 5, 5]);
  });

  test("a single buyer scores 1 everywhere", () => {
    expect(score(5, cutoffs([5]))).toBe(1);
  });

  test("recency uses the day of the last purchase: later is better", () => {
    const model = rfmCutoffs([100, 200, 300, 400, 500], [1, 1, 1, 1, 1], [5, 5, 5, 5, 5]);
    const recent = profileOf([order(500, 5)], 600);
    const old = profileOf([order(100, 5)], 600);
    expect(rfmScores(recent, model)).toEqual({ r: 5, f: 1, m: 1, fm: 1 });
    expect(rfmScores(old, model)?.r).toBe(1);
    expect(rfmScores(profileOf([], 600), model)).toBeNull();
  });

  test("property: scores are 1–5, monotone in the value, equal values equal scores", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 200 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }), (values, a, b) => {
        const cuts = cutoffs(values);
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(score(low, cuts)).toBeGreaterThanOrEqual(1);
        expect(score(high, cuts)).toBeLessThanOrEqual(5);
        expect(score(low, cuts)).toBeLessThanOrEqual(score(high, cuts));
        // At most 20% of the population scores above 4 unless ties force it: the top score holds ≤ ⌈n/5⌉ + ties.
        const fives = values.filter((v) => score(v, cuts) === 5).length;
        expect(fives).toBeLessThanOrEqual(values.length - Math.ceil(0.8 * values.length));
      }),
    );
  });
});

describe("the 11-group grid", () => {
  const at = (r: number, f: number, m: number) => rfmGroup({ r, f, m, fm: (f + m) / 2 });

  test.each([
    [5, 5, 5, "champions"],
    [5, 4, 4, "champions"],
    [5, 3, 4, "active"],
    [5, 2, 3, "active"],
    [5, 2, 2, "new"],
    [5, 1, 1, "new"],
    [4, 4, 4, "loyal"],
    [4, 3, 2, "active"],
    [4, 1, 3, "promising"],
    [3, 5, 3, "loyal"],
    [3, 3, 3, "needs_attention"],
    [3, 1, 1, "needs_attention"],
    [2, 5, 5, "previously_loyal"],
    [2, 3, 3, "at_risk"],
    [2, 1, 2, "almost_lost"],
    [1, 4, 5, "previously_loyal"],
    [1, 2, 3, "at_risk"],
    [1, 1, 1, "dormant"],
  ])("R%i F%i M%i → %s", (r, f, m, group) => {
    expect(at(r, f, m)).toBe(group);
  });

  test("FM band edges: 2 is low, 2.5 is mid, 3.5 is mid, 4 is high", () => {
    expect(at(5, 2, 2)).toBe("new");
    expect(at(5, 2, 3)).toBe("active");
    expect(at(5, 3, 4)).toBe("active");
    expect(at(5, 4, 4)).toBe("champions");
  });

  test("every cell has a group, all 11 groups occur, and no scores means Prospects", () => {
    const seen = new Set<string>([rfmGroup(null)]);
    for (let r = 1; r <= 5; r += 1) for (let f = 1; f <= 5; f += 1) for (let m = 1; m <= 5; m += 1) seen.add(at(r, f, m));
    expect([...seen].sort()).toEqual([...RFM_GROUPS].sort());
    expect(rfmGroup(null)).toBe("prospects");
  });
});
