import { describe, expect, test } from "vitest";
import { armOutcomes } from "~/offers/measurement/attribution";
import type { Exposure, OrderFact } from "~/offers/measurement/attribution";
import { VERDICT_RULE, offerReport } from "~/offers/measurement/report";

// Attribution, lift and the verdict for one offer.

const DAY = 86_400_000;
const T0 = new Date("2026-03-01T00:00:00Z").getTime();
const at = (days: number) => new Date(T0 + days * DAY);

describe("attribution", () => {
  const exposures: Exposure[] = [
    { customerId: "a", offerId: "o", arm: "treatment", at: at(0) },
    { customerId: "a", offerId: "o", arm: "treatment", at: at(3) },
    { customerId: "b", offerId: "o", arm: "treatment", at: at(1) },
    { customerId: "c", offerId: "o", arm: "holdout", at: at(0) },
    { customerId: "d", offerId: "o", arm: "holdout", at: at(0) },
    { customerId: "e", offerId: "other", arm: "treatment", at: at(0) },
  ];
  const orders: OrderFact[] = [
    { customerId: "a", processedAt: at(-1), netMinor: 9_999 }, // before exposure: not attributed
    { customerId: "a", processedAt: at(5), netMinor: 2_500 }, // inside 7 days of the first exposure
    { customerId: "a", processedAt: at(6.99), netMinor: 1_000n },
    { customerId: "b", processedAt: at(20), netMinor: 4_000, discountCodes: ["gold15"] }, // after the window, but redeems the code
    { customerId: "c", processedAt: at(8), netMinor: 3_000 }, // after the window
    { customerId: "e", processedAt: at(1), netMinor: 5_000 }, // another offer's shopper
  ];
  const arms = armOutcomes({ offerId: "o", offerCodes: ["GOLD15"], exposures, orders, windowDays: 7 });

  test("shoppers are counted once, from their first exposure, in the arm they first saw", () => {
    expect(arms.treatment.shoppers).toBe(2);
    expect(arms.treatment.exposures).toBe(3);
    expect(arms.holdout.shoppers).toBe(2);
    expect(arms.holdout.exposures).toBe(2);
  });

  test("orders within the window, or redeeming the offer's code, convert; others do not", () => {
    expect(arms.treatment.conversions).toBe(2);
    expect(arms.treatment.revenueMinor).toBe(2_500 + 1_000 + 4_000);
    expect(arms.holdout.conversions).toBe(0);
    expect(arms.holdout.revenueMinor).toBe(0);
  });

  test("revenue per shopper averages over every exposed shopper, zeros included", () => {
    expect(arms.treatment.revenue.mean).toBe((3_500 + 4_000) / 2);
    expect(arms.treatment.conversionRate).toBe(1);
    expect(arms.holdout.revenue).toEqual({ n: 2, mean: 0, variance: 0 });
  });

  test("a window that is not positive is refused", () => {
    expect(() => armOutcomes({ offerId: "o", offerCodes: [], exposures, orders, windowDays: 0 })).toThrow(
      /attribution window must be positive/,
    );
  });
});

/** Exposed shoppers with the given conversions and revenue per converting shopper. */
function population(arm: "treatment" | "holdout", shoppers: number, conversions: number, revenueEach: number) {
  const exposures: Exposure[] = [];
  const orders: OrderFact[] = [];
  for (let i = 0; i < shoppers; i += 1) {
    const customerId = `${arm}-${i}`;
    exposures.push({ customerId, offerId: "o", arm, at: at(0) });
    if (i < conversions) orders.push({ customerId, processedAt: at(2), netMinor: revenueEach + (i % 7) * 100 });
  }
  return { exposures, orders };
}

function report(treatment: [number, number], holdout: [number, number]) {
  const t = population("treatment", treatment[0], treatment[1], 5_000);
  const h = population("holdout", holdout[0], holdout[1], 5_000);
  return offerReport({
    offerId: "o",
    offerCodes: [],
    exposures: [...t.exposures, ...h.exposures],
    orders: [...t.orders, ...h.orders],
    windowDays: 14,
    currency: "GBP",
  });
}

describe("verdict", () => {
  test(`too early below ${VERDICT_RULE.minShoppersPerArm} shoppers per arm or ${VERDICT_RULE.minConversionsPerArm} conversions, saying what is missing`, () => {
    const few = report([900, 90], [60, 3]);
    expect(few.verdict.kind).toBe("too_early");
    expect(few.verdict.message).toBe("Too early to tell: 60 of the 100 holdout shoppers needed have visited.");
    const rare = report([1000, 40], [120, 4]);
    expect(rare.verdict.kind).toBe("too_early");
    expect(rare.verdict.message).toBe("Too early to tell: 4 of the 10 conversions needed among holdout shoppers.");
    expect(report([50, 5], [30, 1]).verdict.message).toBe(
      "Too early to tell: 50 of the 100 shoppers needed have seen the offer; 30 of the 100 holdout shoppers needed have visited.",
    );
    expect(rare.lift).not.toBeNull();
    expect(report([200, 195], [150, 20]).verdict.message).toBe(
      "Too early to tell: nearly every shopper who saw the offer converted; more shoppers are needed to compare.",
    );
  });

  test("working: the interval for the conversion difference is above zero", () => {
    const result = report([2000, 300], [250, 15]);
    expect(result.verdict.kind).toBe("positive");
    expect(result.lift?.conversionDifference.estimate).toBeCloseTo(0.15 - 0.06, 12);
    expect(result.lift?.conversionDifference.lower).toBeGreaterThan(0);
    expect(result.lift?.conversionRelative?.estimate).toBeCloseTo(0.15 / 0.06 - 1, 12);
    expect(result.verdict.message).toMatch(
      /^The offer is working: .* by between \+\d+\.\d and \+\d+\.\d percentage points \(95% confidence\)\. Revenue per shopper: \+£/,
    );
  });

  test("worse than no offer: the interval is below zero", () => {
    const result = report([2000, 100], [250, 30]);
    expect(result.verdict.kind).toBe("negative");
    expect(result.verdict.message).toContain("doing worse than no offer");
  });

  test("inconclusive: the interval straddles zero, and the range is given", () => {
    const result = report([1000, 110], [200, 20]);
    expect(result.verdict.kind).toBe("inconclusive");
    expect(result.verdict.message).toMatch(
      /^No clear difference yet: .* between -\d+\.\d and \+\d+\.\d percentage points/,
    );
  });

  test("no holdout: nothing to compare with", () => {
    const t = population("treatment", 500, 50, 1_000);
    const result = offerReport({ offerId: "o", offerCodes: [], ...t, windowDays: 14, currency: "GBP" });
    expect(result.verdict.kind).toBe("no_holdout");
    expect(result.lift).toBeNull();
  });

  test("the report carries both arms and every lift figure", () => {
    const result = report([2000, 300], [250, 15]);
    expect(result.arms.treatment).toMatchObject({ shoppers: 2000, conversions: 300 });
    expect(result.arms.holdout).toMatchObject({ shoppers: 250, conversions: 15 });
    expect(result.lift?.revenuePerShopperDifference?.estimate).toBeGreaterThan(0);
    expect(result.lift?.revenuePerShopperRelative?.estimate).toBeGreaterThan(0);
    expect(result).toMatchObject({ offerId: "o", confidence: 0.95, windowDays: 14 });
  });
});
