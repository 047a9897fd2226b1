import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  customerLifetimeValue,
  fitShopModel,
  medianTimeToNextPurchase,
  predictCustomer,
  predictShop,
  simulatePurchases,
  summariseByCustomer,
  summarisePurchases,
} from "~/segments/predictive/index.ts";
import type { CustomerPrediction, PurchaseSummary } from "~/segments/predictive/index.ts";
import { addDays } from "~/segments/predictive/calendar-days.ts";
import { cdnowPurchases } from "./cdnow.ts";

const CDNOW = { asOf: "1997-09-30", unit: "week" as const };
const cdnowSummaries = summariseByCustomer(cdnowPurchases(), CDNOW);
const cdnow = predictShop([...cdnowSummaries.values()], CDNOW);

function expectSane(p: CustomerPrediction, asOf: string): void {
  for (const value of [p.pAlive, p.pOrder90, p.expectedOrders90, p.expectedOrders365, p.expectedOrderValue, p.clv]) {
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeGreaterThanOrEqual(0);
  }
  expect(p.pAlive).toBeLessThanOrEqual(1);
  expect(p.pOrder90).toBeLessThanOrEqual(p.pAlive + 1e-12);
  expect(p.expectedOrders365).toBeGreaterThanOrEqual(p.expectedOrders90);
  if (p.expectedNextOrderDate !== null) expect(p.expectedNextOrderDate > asOf).toBe(true);
  expect(["high", "medium", "low"]).toContain(p.confidence);
  expect(p.confidenceReason.length).toBeGreaterThan(0);
}

// A shop of `count` customers who all have the same history.
function identicalShop(
  count: number,
  summary: Omit<PurchaseSummary, "asOf" | "unit">,
  asOf = "2025-06-30",
): PurchaseSummary[] {
  return Array.from({ length: count }, () => ({ ...summary, asOf, unit: "day" as const }));
}

function simulatedShop(customers: number, historyDays: number, seed: number) {
  const asOf = "2025-06-30";
  const purchases = simulatePurchases({
    customers,
    asOf,
    historyDays,
    bgnbd: { r: 0.8, alpha: 60, a: 0.8, b: 3 },
    seed,
  });
  return { asOf, summaries: [...summariseByCustomer(purchases, { asOf, unit: "day" }).values()] };
}

describe("a shop with CDNOW's data", () => {
  test("gets maximum-likelihood fits of both models at high confidence, and no fallback", () => {
    const { model } = cdnow;
    expect(model.fallback).toBeNull();
    expect(model.bgnbd).toMatchObject({ method: "mle", confidence: "high" });
    expect(model.gammaGamma).toMatchObject({ method: "mle", confidence: "high" });
    expect(model.bgnbd.logLikelihood).toBeCloseTo(-9582.43, 1);
    expect(model.gammaGamma.logLikelihood).toBeCloseTo(-4055.92, 1);
    expect(model.data).toMatchObject({
      customers: 2357,
      repeatCustomers: 946,
      repeatOccasions: 2457,
      historyDays: 272,
      valuedRepeatCustomers: 946,
    });
    expect(model.bgnbd.diagnostics?.converged).toBe(true);
  });

  test("predicts for every customer, in order, with sane values", () => {
    expect(cdnow.predictions).toHaveLength(2357);
    cdnow.predictions.forEach((p) => expectSane(p, CDNOW.asOf));
  });

  test("customer 1 (x = 2, t_x = 30.43, T = 38.86): P(alive) 0.7266, the median next-order date, Hardie's order value", () => {
    const p = cdnow.predictions[0]!;
    const summary = cdnowSummaries.get("1")!;
    expect(p.pAlive).toBeCloseTo(0.7266, 4);
    expect(p.expectedOrderValue).toBeCloseTo(24.65, 1);
    const waitDays = Math.round(medianTimeToNextPurchase(cdnow.model.bgnbd, summary)! * 7);
    expect(p.expectedNextOrderDate).toBe(addDays("1997-09-30", waitDays));
    expect(p.confidence).toBe("high");
  });

  test("one-time buyers are alive by the model's construction, yet their orders thin out with silence", () => {
    const [early, late] = [{ T: 20 }, { T: 38 }].map(({ T }) =>
      predictCustomer(cdnow.model, { ...cdnowSummaries.get("3")!, T, x: 0, tx: 0, monetary: 0 }),
    );
    expect(early!.pAlive).toBe(1);
    expect(late!.expectedOrders365).toBeLessThan(early!.expectedOrders365);
    expect(late!.pOrder90).toBeLessThan(early!.pOrder90);
  });

  test("the fit in days is the fit in weeks with α × 7, and predicts the same", () => {
    const days = predictShop([...summariseByCustomer(cdnowPurchases(), { ...CDNOW, unit: "day" }).values()], {
      ...CDNOW,
      unit: "day",
    });
    for (const key of ["r", "a", "b"] as const)
      expect(days.model.bgnbd[key] / cdnow.model.bgnbd[key]).toBeCloseTo(1, 5);
    expect(days.model.bgnbd.alpha / (7 * cdnow.model.bgnbd.alpha)).toBeCloseTo(1, 5);
    for (const i of [0, 1, 2, 100, 2000]) {
      expect(days.predictions[i]!.expectedOrders365).toBeCloseTo(cdnow.predictions[i]!.expectedOrders365, 5);
      expect(days.predictions[i]!.clv).toBeCloseTo(cdnow.predictions[i]!.clv, 4);
    }
  });

  test("the model state survives JSON storage and predicts identically from it", () => {
    const stored = JSON.parse(JSON.stringify(cdnow.model)) as typeof cdnow.model;
    expect(predictCustomer(stored, cdnowSummaries.get("1")!)).toEqual(cdnow.predictions[0]);
  });

  test("re-scores a customer at a later date with the stored model", () => {
    const later = summarisePurchases(
      cdnowPurchases().filter((p) => p.customerId === "1"),
      { asOf: "1997-12-31", unit: "week" },
    )!;
    expect(later.x).toBe(3);
    const p = predictCustomer(cdnow.model, later);
    expectSane(p, "1997-12-31");
    expect(p.pAlive).toBeGreaterThan(cdnow.predictions[0]!.pAlive);
  });

  test("confidence is capped by the customer's own history", () => {
    const base = cdnowSummaries.get("3")!;
    expect(predictCustomer(cdnow.model, { ...base, x: 1, tx: 2, monetary: 20 })).toMatchObject({
      confidence: "medium",
      confidenceReason: "2 purchase days",
    });
    expect(predictCustomer(cdnow.model, { ...base, T: 10 })).toMatchObject({
      confidence: "low",
      confidenceReason: "one purchase day, 70 days ago",
    });
    expect(predictCustomer(cdnow.model, base).confidence).toBe("medium");
  });

  test("thresholds are settings: a stricter bar for high confidence lowers it", () => {
    const strict = fitShopModel([...cdnowSummaries.values()], { ...CDNOW, thresholds: { highCustomers: 5000 } });
    expect(strict.bgnbd.confidence).toBe("medium");
    expect(strict.thresholds.highCustomers).toBe(5000);
  });
});

describe("honest fallbacks on thin or degenerate data", () => {
  test("an empty shop: population priors, no log-likelihood, no predictions, no error", () => {
    const { model, predictions } = predictShop([], { asOf: "2025-06-30", unit: "day" });
    expect(predictions).toEqual([]);
    expect(model.bgnbd).toMatchObject({ method: "prior", confidence: "low", logLikelihood: null, diagnostics: null });
    expect(model.gammaGamma).toMatchObject({ method: "prior", confidence: "low", logLikelihood: null });
    expect(model.fallback).toMatch(/BG\/NBD: population prior only: 0 customers/);
  });

  test("one customer: population prior, low confidence, finite predictions", () => {
    const summary = summarisePurchases(
      [
        { date: "2025-01-02", amount: 40 },
        { date: "2025-03-02", amount: 60 },
      ],
      { asOf: "2025-06-30", unit: "day" },
    )!;
    const { model, predictions } = predictShop([summary], { asOf: "2025-06-30", unit: "day" });
    expect(model.bgnbd).toMatchObject({ method: "prior", confidence: "low" });
    expect(model.bgnbd.reason).toMatch(/1 customers \(needs 10\)/);
    expectSane(predictions[0]!, "2025-06-30");
    expect(predictions[0]!.confidence).toBe("low");
  });

  test("no repeat purchases at all: BG/NBD prior, values from the shop's mean order, everyone low", () => {
    const shop = Array.from({ length: 60 }, (_, i) => ({
      asOf: "2025-06-30",
      unit: "day" as const,
      x: 0,
      tx: 0,
      T: i * 6,
      monetary: 0,
      totalValue: 20 + i,
      firstPurchase: addDays("2025-06-30", -i * 6),
      lastPurchase: addDays("2025-06-30", -i * 6),
    }));
    const { model, predictions } = predictShop(shop, { asOf: "2025-06-30", unit: "day" });
    expect(model.bgnbd).toMatchObject({ method: "prior", confidence: "low" });
    expect(model.bgnbd.reason).toMatch(/0 repeat customers/);
    expect(model.gammaGamma).toMatchObject({ method: "prior", confidence: "low" });
    predictions.forEach((p) => {
      expectSane(p, "2025-06-30");
      expect(p).toMatchObject({ pAlive: 1, confidence: "low" });
      expect(p.expectedOrderValue).toBeCloseTo(49.5, 9);
    });
    // The prior's purchase rate is the shop's (none) shrunk toward CDNOW's: below CDNOW's 0.0079 a day.
    expect(model.bgnbd.r / model.bgnbd.alpha).toBeLessThan(0.243 / (4.414 * 7));
  });

  test("everyone identical: the maximum-likelihood fit runs off the search box, so the fit is shrunk (medium)", () => {
    const shop = identicalShop(200, {
      x: 2,
      tx: 10,
      T: 100,
      monetary: 20,
      totalValue: 60,
      firstPurchase: "2025-03-22",
      lastPurchase: "2025-04-01",
    });
    const { model, predictions } = predictShop(shop, { asOf: "2025-06-30", unit: "day" });
    expect(model.bgnbd.method).toBe("map");
    expect(model.bgnbd.reason).toMatch(/maximum-likelihood fit was unstable/);
    expect(model.bgnbd.confidence).toBe("medium");
    expect(model.gammaGamma.method).not.toBe("mle");
    expect(model.fallback).toMatch(/^BG\/NBD: .*; Gamma-Gamma: /);
    predictions.forEach((p) => expectSane(p, "2025-06-30"));
    expect(predictions[0]!.expectedOrderValue).toBeCloseTo(20, 6);
  });

  test("no positive order value anywhere: expected values and CLV are 0", () => {
    const shop = identicalShop(30, {
      x: 1,
      tx: 5,
      T: 50,
      monetary: 0,
      totalValue: 0,
      firstPurchase: "2025-05-11",
      lastPurchase: "2025-05-16",
    });
    const { model, predictions } = predictShop(shop, { asOf: "2025-06-30", unit: "day" });
    expect(model.gammaGamma).toMatchObject({ method: "prior", reason: "no purchase with a positive value", gamma: 0 });
    expect(predictions[0]).toMatchObject({ expectedOrderValue: 0, clv: 0, confidence: "low" });
  });

  test("a small shop (40 customers) is fitted with shrinkage, at low confidence", () => {
    const { asOf, summaries } = simulatedShop(40, 365, 11);
    const { model, predictions } = predictShop(summaries, { asOf, unit: "day" });
    expect(model.bgnbd).toMatchObject({ method: "map", confidence: "low" });
    expect(model.bgnbd.reason).toMatch(/customers \(needs 100\) for maximum likelihood/);
    expect(model.bgnbd.diagnostics?.converged).toBe(true);
    predictions.forEach((p) => expect(p.confidence).toBe("low"));
  });

  test("a 300-customer shop gets maximum likelihood at medium confidence; 2,000 customers over a year, high", () => {
    const medium = simulatedShop(300, 400, 12);
    expect(fitShopModel(medium.summaries, { asOf: medium.asOf, unit: "day" }).bgnbd).toMatchObject({
      method: "mle",
      confidence: "medium",
    });
    const large = simulatedShop(2000, 400, 13);
    const model = fitShopModel(large.summaries, { asOf: large.asOf, unit: "day" });
    expect(model.bgnbd).toMatchObject({ method: "mle", confidence: "high" });
    expect(model.gammaGamma).toMatchObject({ method: "mle", confidence: "high" });
  });

  test("recovers the parameters a shop was simulated with", () => {
    const { asOf, summaries } = simulatedShop(6000, 730, 5);
    const { bgnbd } = fitShopModel(summaries, { asOf, unit: "day" });
    expect(bgnbd.method).toBe("mle");
    expect(Math.abs(bgnbd.r / 0.8 - 1)).toBeLessThan(0.2);
    expect(Math.abs(bgnbd.alpha / 60 - 1)).toBeLessThan(0.2);
    expect(Math.abs(bgnbd.a / 0.8 - 1)).toBeLessThan(0.3);
    expect(Math.abs(bgnbd.b / 3 - 1)).toBeLessThan(0.3);
  });
});

describe("input errors are clear", () => {
  const summaries = [...cdnowSummaries.values()].slice(0, 5);

  test("summaries for another as-of date or unit are refused, naming the summary", () => {
    expect(() => fitShopModel(summaries, { asOf: "1997-10-01", unit: "week" })).toThrow(
      /summary 0 is for 1997-09-30 in weeks, but the model is for 1997-10-01 in weeks/,
    );
    expect(() => fitShopModel(summaries, { asOf: "1997-09-30", unit: "day" })).toThrow(
      /in weeks, but the model is for 1997-09-30 in days/,
    );
    expect(() => predictCustomer(cdnow.model, { ...summaries[0]!, unit: "day" })).toThrow(
      /summary is in days but the model is in weeks/,
    );
    expect(() => predictCustomer(cdnow.model, { ...summaries[0]!, tx: 50 })).toThrow(/0 ≤ t_x ≤ T/);
  });

  test("bad settings are refused", () => {
    expect(() => fitShopModel(summaries, { ...CDNOW, annualDiscountRate: -0.1 })).toThrow(/discount rate/);
    expect(() => fitShopModel(summaries, { ...CDNOW, clvHorizonMonths: 0 })).toThrow(/CLV horizon/);
    expect(() => fitShopModel(summaries, { ...CDNOW, nextOrderHorizonDays: 0 })).toThrow(/next-order horizon/);
    expect(() => fitShopModel(summaries, { asOf: "1997-9-30", unit: "week" })).toThrow(/not a calendar day/);
  });
});

describe("CLV", () => {
  const params = cdnow.model.bgnbd;
  const customer = fc
    .tuple(
      fc.integer({ min: 0, max: 40 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 200, noNaN: true }),
    )
    .map(([x, share, T]) => ({ x, tx: x === 0 ? 0 : share * T, T }));
  const rate = fc.double({ min: 0, max: 1, noNaN: true });

  test("is non-negative and falls as the discount rate rises", () => {
    fc.assert(
      fc.property(customer, rate, rate, fc.double({ min: 0, max: 1000, noNaN: true }), (c, r1, r2, value) => {
        const [low, high] = r1 <= r2 ? [r1, r2] : [r2, r1];
        const atLow = customerLifetimeValue(params, c, value, 7, { annualDiscountRate: low, horizonMonths: 12 });
        const atHigh = customerLifetimeValue(params, c, value, 7, { annualDiscountRate: high, horizonMonths: 12 });
        expect(atHigh).toBeGreaterThanOrEqual(0);
        expect(atHigh).toBeLessThanOrEqual(atLow * (1 + 1e-12));
      }),
      { numRuns: 200 },
    );
  });

  test("undiscounted, it is the expected orders over the horizon times the order value", () => {
    const p = predictCustomer(
      { ...cdnow.model, settings: { ...cdnow.model.settings, annualDiscountRate: 0 } },
      cdnowSummaries.get("1")!,
    );
    expect(p.clv).toBeCloseTo(p.expectedOrders365 * p.expectedOrderValue, 10);
    expect(cdnow.predictions[0]!.clv).toBeLessThan(p.clv);
  });
});
