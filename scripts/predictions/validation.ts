// Validation of the chosen purchase model against held-out data, beside the textbook BG/NBD: calibrate on the
// history up to an as-of date (the backtest and the model choice see nothing later), predict the following
// period, and compare with what happened: total purchase days (aggregate error) and AUC of "who returned".
// Used by scripts/validate-predictions.ts (the table in docs/predictions.md) and by the tests.
import {
  fitShopModel,
  predictHorizon,
  PurchaseHistoryBuilder,
  scoreForecast,
  summariseByCustomer,
} from "../../app/segments/predictive/index.ts";
import type {
  CustomerPurchase,
  ForecastScore,
  PredictiveModelState,
  TimeUnit,
} from "../../app/segments/predictive/index.ts";
import { dayNumber } from "../../app/segments/predictive/calendar-days.ts";

export interface HeldOutData {
  name: string;
  purchases: readonly CustomerPurchase[];
  /** Last day of calibration (inclusive) and last day of the held-out period (inclusive). */
  asOf: string;
  end: string;
  unit: TimeUnit;
}

export interface ValidationResult {
  name: string;
  customers: number;
  horizonDays: number;
  actualOrders: number;
  textbook: ForecastScore;
  chosen: ForecastScore;
  chosenModel: string;
  model: PredictiveModelState;
  /** Per customer (same order as `customerIds`): held-out purchase days. */
  customerIds: string[];
  actual: Float64Array;
}

/** Purchase days per customer: the distinct days and each day's total, ascending. */
export function occasionsByCustomer(purchases: readonly CustomerPurchase[]): Map<string, Map<number, number>> {
  const byCustomer = new Map<string, Map<number, number>>();
  for (const p of purchases) {
    let days = byCustomer.get(p.customerId);
    if (!days) byCustomer.set(p.customerId, (days = new Map()));
    const day = dayNumber(p.date);
    days.set(day, (days.get(day) ?? 0) + p.amount);
  }
  return byCustomer;
}

export function validate(data: HeldOutData): ValidationResult {
  const asOfDay = dayNumber(data.asOf);
  const endDay = dayNumber(data.end);
  const summaries = summariseByCustomer(data.purchases, { asOf: data.asOf, unit: data.unit });
  const occasions = occasionsByCustomer(data.purchases);
  const history = new PurchaseHistoryBuilder();
  for (const id of summaries.keys()) {
    const days = [...(occasions.get(id) ?? new Map<number, number>()).entries()]
      .filter(([day]) => day <= asOfDay)
      .sort((a, b) => a[0] - b[0]);
    history.add(days.map(([day, value]) => ({ day, value })));
  }
  const customerIds = [...summaries.keys()];
  const list = customerIds.map((id) => summaries.get(id)!);
  const model = fitShopModel(list, { asOf: data.asOf, unit: data.unit, history: history.build() });
  const textbookModel: PredictiveModelState = { ...model, purchaseModel: undefined, backtest: undefined };
  const horizonDays = endDay - asOfDay;
  const actual = Float64Array.from(
    customerIds,
    (id) => [...(occasions.get(id)?.keys() ?? [])].filter((day) => day > asOfDay && day <= endDay).length,
  );
  const score = (state: PredictiveModelState) => {
    const predictions = list.map((summary) => predictHorizon(state, summary, horizonDays));
    return scoreForecast(
      predictions.map((p) => p.expectedOrders),
      predictions.map((p) => p.probabilityOfOrder),
      actual,
    );
  };
  const chosen = model.backtest?.chosen;
  return {
    name: data.name,
    customers: list.length,
    horizonDays,
    actualOrders: actual.reduce((sum, n) => sum + n, 0),
    textbook: score(textbookModel),
    chosen: score(model),
    chosenModel: chosen
      ? `${chosen.name}${chosen.seasonal && chosen.name !== "bgnbd-seasonal" ? " (seasonal)" : ""}`
      : "bgnbd (no backtest)",
    model,
    customerIds,
    actual,
  };
}
