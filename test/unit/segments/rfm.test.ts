import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { RFM_GROUPS, rfmGroup } from "~/segments/rfm/groups";
import { cutoffs, rfmCutoffs, rfmScores, score } from "~/segments/rfm/scores";
import { order } from "./orders-fixture";
import { profileOf } from "./profile-fixture";

describe("quintile scores", () => {
  test("ten distinct values: two per score", () => {
    const values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    const cuts = cutoffs(values);
    expect(cuts).toEqual([20, 40, 60, 80]);
    expect(values.map((v) => score(v, cuts))).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });

  test("ties share the score of the middle of their block", () => {
    // Six of ten have one order (block 0–60%, middle 30%: F2); two have 2 (60–80%, middle 70%: F4); 3 and 9 score 5.
    const orders = [1, 1, 1, 1, 1, 1, 2, 2, 3, 9];
    const cuts = cutoffs(orders);
    expect(cuts).toEqual([null, 1, 1, 2]);
    expect(orders.map((v) => score(v, cuts))).toEqual([2, 2, 2, 2, 2, 2, 4, 4, 5, 5]);
  });

  test("everyone tied scores 3; a single buyer scores 3", () => {
    expect([7, 7, 7].map((v) => score(v, cutoffs([7, 7, 7])))).toEqual([3, 3, 3]);
    expect(score(5, cutoffs([5]))).toBe(3);
    expect(cutoffs([5])).toEqual([null, null, 5, 5]);
  });

  test("a percentile exactly on a fifth goes up: 5 values, the first's middle is at 10%, the second's at 30%", () => {
    expect([1, 2, 3, 4, 5].map((v) => score(v, cutoffs([1, 2, 3, 4, 5])))).toEqual([1, 2, 3, 4, 5]);
    // Two values, the lower's middle at exactly 20% (block of 4 of 10 with 0 below → 20%): score 2.
    expect(score(1, cutoffs([1, 1, 1, 1, 2, 2, 2, 2, 2, 2]))).toBe(2);
  });

  test("values between the population's are scored by the stored cut-offs", () => {
    const cuts = cutoffs([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect([15, 20, 21, 85, 1000, -5].map((v) => score(v, cuts))).toEqual([1, 1, 2, 5, 5, 1]);
  });

  test("recency uses the day of the last purchase: later is better", () => {
    const model = rfmCutoffs([100, 200, 300, 400, 500], [1, 1, 1, 1, 1], [5, 5, 5, 5, 5]);
    const recent = profileOf([order(500, 5)], 600);
    const old = profileOf([order(100, 5)], 600);
    expect(rfmScores(recent, model)).toEqual({ r: 5, f: 3, m: 3, fm: 3 });
    expect(rfmScores(old, model)?.r).toBe(1);
    expect(rfmScores(profileOf([], 600), model)).toBeNull();
  });

  test("property: every value's mid-rank percentile lies in its score's fifth; scores are monotone", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 200 }), (values) => {
        const cuts = cutoffs(values);
        const n = values.length;
        for (const v of values) {
          const below = values.filter((w) => w < v).length;
          const equal = values.filter((w) => w === v).length;
          const p = (below + equal / 2) / n;
          const s = score(v, cuts);
          expect(p).toBeGreaterThanOrEqual((s - 1) / 5 - 1e-12);
          if (s < 5) expect(p).toBeLessThan(s / 5);
          expect(score(v + 1, cuts)).toBeGreaterThanOrEqual(s);
        }
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
    for (let r = 1; r <= 5; r += 1)
      for (let f = 1; f <= 5; f += 1) for (let m = 1; m <= 5; m += 1) seen.add(at(r, f, m));
    expect([...seen].sort()).toEqual([...RFM_GROUPS].sort());
    expect(rfmGroup(null)).toBe("prospects");
  });
});
