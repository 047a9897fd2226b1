import { describe, expect, test } from "vitest";
import {
  fitShopModel,
  predictCustomer,
  PurchaseHistoryBuilder,
  simulatePurchases,
  summariseByCustomer,
} from "~/segments/predictive/index.ts";
import type { CustomerPurchase, PredictiveModelState, TimeUnit } from "~/segments/predictive/index.ts";
import { dayNumber } from "~/segments/predictive/calendar-days.ts";
import { cdnowPurchases } from "./cdnow.ts";

// A shop fitted the way a full pass fits it: summaries as of the as-of date, and every purchase day for the backtest.
function fitWithHistory(
  purchases: readonly CustomerPurchase[],
  asOf: string,
  unit: TimeUnit = "day",
): PredictiveModelState {
  const summaries = summariseByCustomer(purchases, { asOf, unit });
  const days = new Map<string, Map<number, number>>();
  for (const p of purchases) {
    if (p.date > asOf) continue;
    const byDay = days.get(p.customerId) ?? new Map<number, number>();
    days.set(p.customerId, byDay);
    byDay.set(dayNumber(p.date), (byDay.get(dayNumber(p.date)) ?? 0) + p.amount);
  }
  const history = new PurchaseHistoryBuilder();
  for (const id of summaries.keys())
    history.add([...days.get(id)!.entries()].sort((a, b) => a[0] - b[0]).map(([day, value]) => ({ day, value })));
  return fitShopModel([...summaries.values()], { asOf, unit, history: history.build() });
}

const ASOF = "2025-12-31";
const MONTH_FACTOR = [0.85, 0.85, 0.95, 0.95, 0.95, 0.8, 0.72, 0.72, 0.95, 1.05, 1.45, 1.6];
const monthOf = (day: number) => new Date(day * 86_400_000).getUTCMonth();

function simulated(
  options: {
    customers?: number;
    historyDays?: number;
    intensity?: (day: number) => number;
    maxIntensity?: number;
    alpha?: number;
    seed?: number;
  } = {},
) {
  return simulatePurchases({
    customers: options.customers ?? 6000,
    asOf: ASOF,
    historyDays: options.historyDays ?? 730,
    bgnbd: { r: 1.2, alpha: options.alpha ?? 90, a: 0.4, b: 5 },
    seed: options.seed ?? 3,
    ...(options.intensity ? { intensity: options.intensity, maxIntensity: options.maxIntensity ?? 1 } : {}),
  });
}

describe("the backtest moves with what customers really do", () => {
  const steady = fitWithHistory(simulated(), ASOF).backtest!;

  test("a steady shop: the 90-day backtest expected about what came, and says so in its confidence", () => {
    expect(steady).toMatchObject({ horizonDays: 90, cutoff: "2025-10-02", asOf: ASOF });
    expect(Math.abs(steady.score.relativeError!)).toBeLessThan(0.1);
    expect(steady.score.auc!).toBeGreaterThan(0.7);
    expect(steady.confidence).toBe("high");
    expect(steady.score.calibration).toHaveLength(10);
  });

  test("customers who return twice as often: twice the orders expected and twice as many came", () => {
    const busy = fitWithHistory(simulated({ alpha: 45 }), ASOF).backtest!;
    expect(busy.score.actualOrders / steady.score.actualOrders).toBeGreaterThan(1.6);
    expect(busy.score.expectedOrders / steady.score.expectedOrders).toBeGreaterThan(1.6);
    expect(Math.abs(busy.score.relativeError!)).toBeLessThan(0.1);
  });

  test("customers who suddenly return twice as often in the last 90 days: more came than the models could expect, and confidence falls", () => {
    const surge = dayNumber(ASOF) - 90;
    const surprised = fitWithHistory(
      simulated({ intensity: (day) => (day > surge ? 2 : 1), maxIntensity: 2 }),
      ASOF,
    ).backtest!;
    expect(surprised.score.actualOrders / steady.score.actualOrders).toBeGreaterThan(1.6);
    expect(surprised.score.expectedOrders / steady.score.expectedOrders).toBeLessThan(1.15);
    expect(surprised.score.relativeError!).toBeLessThan(-0.3);
    expect(surprised.confidence).not.toBe("high");
    expect(surprised.confidenceReason).toMatch(/the total was off by \d+%/);
  });
});

describe("the chosen model changes when the data favour another", () => {
  test("a shop with a strong November–December peak gets its seasonal pattern; the same shop without the peak does not", () => {
    const seasonal = fitWithHistory(
      simulated({ historyDays: 1095, intensity: (day) => MONTH_FACTOR[monthOf(day)]!, maxIntensity: 1.6 }),
      ASOF,
    );
    const flat = fitWithHistory(simulated({ historyDays: 1095 }), ASOF);
    expect(seasonal.backtest!.seasonality.used).toBe(true);
    expect(seasonal.backtest!.chosen.seasonal).toBe(true);
    expect(seasonal.purchaseModel!.seasonality).not.toBeNull();
    const effect = seasonal.backtest!.seasonality.effect!;
    expect(Math.abs(effect.with.relativeError!)).toBeLessThan(Math.abs(effect.without.relativeError!));
    expect(flat.backtest!.seasonality.used).toBe(false);
    expect(flat.purchaseModel!.seasonality).toBeNull();
    // The seasonal model expects more orders in December's quarter than in summer's for the same customer.
    const customer = {
      x: 3,
      tx: 300,
      T: 400,
      monetary: 20,
      totalValue: 80,
      asOf: ASOF,
      unit: "day" as const,
      firstPurchase: "2024-11-26",
      lastPurchase: "2025-09-22",
    };
    const winter = predictCustomer(seasonal, customer).expectedOrders90;
    const summer = predictCustomer(seasonal, { ...customer, asOf: "2025-05-31", T: 186, tx: 100 }).expectedOrders90;
    const flatWinter = predictCustomer(flat, customer).expectedOrders90;
    expect(winter / predictCustomer(flat, { ...customer }).expectedOrders90).toBeGreaterThan(
      summer / predictCustomer(flat, { ...customer, asOf: "2025-05-31", T: 186, tx: 100 }).expectedOrders90,
    );
    expect(flatWinter).toBeGreaterThan(0);
  });

  test("CDNOW's 2,357-customer sample keeps BG/NBD; the full 23,570-customer cohort switches to the model trained on its history", () => {
    const sample = fitWithHistory(cdnowPurchases(), "1997-09-30", "week");
    expect(sample.backtest!.chosen.name).toBe("bgnbd");
    expect(sample.purchaseModel!.kind).toBe("bgnbd");
    const master = fitWithHistory(cdnowMaster(), "1997-09-30", "week");
    expect(master.backtest!.chosen.name).toBe("trained");
    expect(master.backtest!.chosen.devianceReductionVsTextbook).toBeGreaterThan(0.005);
    expect(master.purchaseModel!.kind).toBe("trained");
    const trained = master.backtest!.candidates.find((c) => c.name === "trained")!;
    const textbook = master.backtest!.candidates.find((c) => c.name === "bgnbd")!;
    expect(trained.eligible).toBe(true);
    expect(trained.score.auc!).toBeGreaterThanOrEqual(textbook.score.auc!);
  });
});

describe("the backtest horizon follows the shop's purchase cycle", () => {
  test("customers who buy every few months get a longer horizon than 90 days, within a third of the history", () => {
    const slow = fitWithHistory(simulated({ customers: 3000, historyDays: 1095, alpha: 300 }), ASOF).backtest!;
    expect(slow.horizonDays).toBeGreaterThan(120);
    expect(slow.horizonDays).toBeLessThanOrEqual(365);
    expect(slow.horizonReason).toMatch(/^the shop's typical gap between purchases \(\d+ days\)$/);
    const short = fitWithHistory(simulated({ customers: 3000, historyDays: 300, alpha: 300 }), ASOF).backtest!;
    expect(short.horizonDays).toBeLessThanOrEqual(100);
    expect(short.horizonReason).toMatch(/a third of the history|90 days/);
  });
});

describe("small and young shops keep the fallbacks", () => {
  test("under 90 days of history there is no backtest and the predictions are the textbook model's", () => {
    const young = fitWithHistory(simulated({ historyDays: 60, customers: 500 }), ASOF);
    expect(young.backtest).toBeNull();
    expect(young.noBacktestReason).toMatch(/days of history: a backtest needs at least 90/);
    expect(young.purchaseModel!.kind).toBe("bgnbd");
  });

  test("too few returning customers to compare models: BG/NBD is kept and the reason says so", () => {
    const small = fitWithHistory(simulated({ customers: 60, historyDays: 400 }), ASOF);
    expect(small.backtest!.candidates.map((c) => c.name)).toEqual(["bgnbd"]);
    expect(small.backtest!.chosen.why).toMatch(
      /customers returned over the test period, too few to compare models \(30 are needed\)/,
    );
    expect(small.backtest!.confidence).not.toBe("high");
  });
});

function cdnowMaster(): CustomerPurchase[] {
  return cdnowPurchases("CDNOW_master.txt");
}
