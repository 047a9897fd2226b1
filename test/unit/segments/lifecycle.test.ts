import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { expectedGap, lifecycle } from "~/segments/lifecycle/stage";
import { DEFAULT_SETTINGS } from "~/segments/settings";
import { order } from "./orders-fixture";
import { profileOf } from "./profile-fixture";

const settings = DEFAULT_SETTINGS.lifecycle; // at risk > 2×, lapsed > 4×, lost > 8× or > 730 days; k = 3
const SHOP_GAP = 60;
const stageOn = (days: number[], asOf: number, shopGap = SHOP_GAP) =>
  lifecycle(
    profileOf(
      days.map((day) => order(day, 1000)),
      asOf,
    ),
    shopGap,
    settings,
  );

describe("shrinkage toward the shop's typical gap", () => {
  test("one purchase: judged entirely by the shop's gap", () => {
    expect(stageOn([0], 120)).toMatchObject({ stage: "new", expectedGapDays: 60, ratio: 2 });
    expect(stageOn([0], 121).stage).toBe("at_risk");
  });

  test("two purchases 10 days apart: (1×10 + 3×60)/4 = 47.5 days expected", () => {
    expect(stageOn([0, 10], 10).expectedGapDays).toBe(47.5);
    expect(stageOn([0, 10], 10 + 95).stage).toBe("active");
    expect(stageOn([0, 10], 10 + 96).stage).toBe("at_risk");
  });

  test("many purchases: the customer's own cadence dominates", () => {
    const weekly = Array.from({ length: 41 }, (_, i) => i * 7); // 40 gaps of 7 days
    const expected = (40 * 7 + 3 * 60) / 43;
    expect(stageOn(weekly, 280).expectedGapDays).toBeCloseTo(expected, 10);
    expect(stageOn(weekly, 280 + 22).stage).toBe("at_risk"); // 22 days > 2 × 10.7
  });

  test("property: the expected gap lies between the customer's mean and the shop's gap", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 400 }),
        (gaps, own, shop) => {
          const gap = expectedGap(gaps, own, shop, 3);
          expect(gap).toBeGreaterThanOrEqual(Math.min(own, shop) - 1e-9);
          expect(gap).toBeLessThanOrEqual(Math.max(own, shop) + 1e-9);
          expect(Math.abs(expectedGap(gaps + 1, own, shop, 3) - own)).toBeLessThanOrEqual(Math.abs(gap - own) + 1e-9);
        },
      ),
    );
  });
});

describe("stage boundaries (strict: a ratio exactly at a multiple stays in the better stage)", () => {
  test.each([
    [0, "prospect"],
    [120, "new"],
    [121, "at_risk"],
    [240, "at_risk"],
    [241, "lapsed"],
    [480, "lapsed"],
    [481, "lost"],
  ])("one purchase, %i days later: %s", (since, stage) => {
    expect(since === 0 ? lifecycle(profileOf([], 10), SHOP_GAP, settings).stage : stageOn([0], since).stage).toBe(
      stage,
    );
  });

  test("lost after lostAfterDays whatever the cadence", () => {
    expect(stageOn([0], 730, 300).stage).toBe("at_risk");
    expect(stageOn([0], 731, 300).stage).toBe("lost");
  });

  test("returning: the latest purchase ended a gap longer than 2× the gap expected before it", () => {
    // 30-day gaps, then 200 days away: expected before the return (2×30 + 3×60)/5 = 48; 200 > 96 → returning.
    expect(stageOn([0, 30, 60, 260], 265).stage).toBe("returning");
    // The same customer who came back after 96 days (exactly 2×) is simply active.
    expect(stageOn([0, 30, 60, 156], 160).stage).toBe("active");
    expect(stageOn([0, 30, 60, 157], 160).stage).toBe("returning");
  });

  test("a second purchase after a long first gap is returning; after a short one active", () => {
    expect(stageOn([0, 150], 150).stage).toBe("returning");
    expect(stageOn([0, 50], 50).stage).toBe("active");
  });
});
