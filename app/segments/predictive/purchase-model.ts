// The purchase model a shop's predictions come from, chosen by its backtest (model-choice.ts): BG/NBD, Pareto/NBD,
// or BG/NBD corrected per customer by models trained on the shop's own earlier window; each optionally in the
// shop's seasonal operational time (seasonality.ts). One interface for all: a customer's forecast of orders and of
// the chance of ordering over any horizon in days.
import { conditionalExpectedPurchases, medianTimeToNextPurchase, probabilityAlive, probabilityOfPurchaseWithin } from "./bgnbd.ts";
import type { BgNbdParams, RecencyFrequency } from "./bgnbd-likelihood.ts";
import {
  paretoConditionalExpectedPurchases,
  paretoMedianTimeToNextPurchase,
  paretoProbabilityAlive,
  paretoProbabilityOfPurchaseWithin,
  type ParetoNbdParams,
} from "./pareto-nbd.ts";
import type { CustomerAtCut } from "./purchase-history.ts";
import { linearPredictor, type GlmFit } from "./ridge-glm.ts";
import { calendarSpan, operationalClock, type SeasonalIndex } from "./seasonality.ts";
import { logistic } from "./special-functions.ts";

export type PurchaseModelKind = "bgnbd" | "pareto-nbd" | "trained";

/** Per-customer corrections of BG/NBD learnt on an earlier window of the shop's own history. */
export interface TrainedCorrection {
  /** The window the corrections were learnt on: features as of `from`, orders in (`from`, `from` + horizonDays]. */
  fromDay: number;
  horizonDays: number;
  customers: number;
  /** Poisson, offset ln(BG/NBD expected orders in the horizon): a multiplier of the expected orders. */
  orders: GlmFit;
  /** Logistic, offset logit(BG/NBD chance of an order in the horizon): a shift of the chance of ordering. */
  returning: GlmFit;
}

/** JSON-serialisable; everything needed to forecast one customer. Parameters are in operational `unitDays`. */
export interface PurchaseModelState {
  kind: PurchaseModelKind;
  /** Monthly seasonal intensity, or null for a stationary model. */
  seasonality: SeasonalIndex | null;
  unitDays: number;
  /** BG/NBD: the model itself, or the base the trained corrections apply to. */
  bgnbd: BgNbdParams;
  paretoNbd: ParetoNbdParams | null;
  trained: TrainedCorrection | null;
}

/** A customer's forecast from one model; horizons and results in calendar days. */
export interface Forecast {
  pAlive: number;
  expectedOrders(days: number): number;
  probabilityOfOrder(days: number): number;
  /** Median wait for the next order, dropout counted; null when not more likely than not within `limitDays`. */
  medianDaysToNextOrder(limitDays: number): number | null;
}

export const FEATURE_NAMES = [
  "ln(1 + repeat purchase days)",
  "ln(1 + days since first purchase)",
  "ln(1 + days since last purchase)",
  "ln(1 + mean repeat order value)",
  "ln(days since last purchase / own mean gap), repeat buyers",
  "one-time buyer",
  "ln BG/NBD P(alive)",
  "ln BG/NBD expected orders in the horizon",
] as const;

/** Recency, frequency, value, the customer's own cadence and the BG/NBD quantities, as the trained models see them. */
export function trainedFeatures(c: CustomerAtCut, pAlive: number, expectedInHorizon: number): number[] {
  const since = c.asOfDay - c.lastDay;
  const meanGap = c.x > 0 ? (c.lastDay - c.firstDay) / c.x : 0;
  return [
    Math.log1p(c.x),
    Math.log1p(c.asOfDay - c.firstDay),
    Math.log1p(since),
    Math.log1p(Math.max(0, c.monetary)),
    c.x > 0 ? Math.log((since + 1) / (meanGap + 1)) : 0,
    c.x === 0 ? 1 : 0,
    Math.log(Math.max(pAlive, 1e-12)),
    Math.log(Math.max(expectedInHorizon, 1e-12)),
  ];
}

const logit = (p: number) => {
  const q = Math.min(Math.max(p, 1e-12), 1 - 1e-12);
  return Math.log(q / (1 - q));
};

/** The customer's (x, t_x, T) in the model's operational unit, and the clock that measures horizons. */
export function operationalSummary(model: Pick<PurchaseModelState, "seasonality" | "unitDays">, c: CustomerAtCut) {
  const clock = operationalClock(model.seasonality);
  const start = clock(c.asOfDay);
  const rf: RecencyFrequency = { x: c.x, tx: (clock(c.lastDay) - clock(c.firstDay)) / model.unitDays, T: (start - clock(c.firstDay)) / model.unitDays };
  const span = (days: number) => (clock(c.asOfDay + days) - start) / model.unitDays;
  const toDays = (units: number) => calendarSpan(model.seasonality, c.asOfDay, units * model.unitDays);
  return { rf, span, toDays };
}

/** `stationary` may give the customer's exact (x, t_x, T) in the model unit, used when there is no seasonality. */
export function forecast(model: PurchaseModelState, c: CustomerAtCut, stationary?: RecencyFrequency): Forecast {
  const operational = operationalSummary(model, c);
  const { span, toDays } = operational;
  const rf = stationary && !model.seasonality ? stationary : operational.rf;
  const bg = model.bgnbd;
  if (model.kind === "pareto-nbd" && model.paretoNbd) {
    const p = model.paretoNbd;
    const pAlive = paretoProbabilityAlive(p, rf);
    return {
      pAlive,
      expectedOrders: (days) => paretoConditionalExpectedPurchases(p, rf, span(days), pAlive),
      probabilityOfOrder: (days) => paretoProbabilityOfPurchaseWithin(p, rf, span(days), pAlive),
      medianDaysToNextOrder: (limit) => {
        const units = paretoMedianTimeToNextPurchase(p, rf, span(limit));
        return units === null ? null : toDays(units);
      },
    };
  }
  const pAlive = probabilityAlive(bg, rf);
  const base: Forecast = {
    pAlive,
    expectedOrders: (days) => conditionalExpectedPurchases(bg, rf, span(days)),
    probabilityOfOrder: (days) => probabilityOfPurchaseWithin(bg, rf, span(days)),
    medianDaysToNextOrder: (limit) => {
      const units = medianTimeToNextPurchase(bg, rf);
      return units === null || units > span(limit) ? null : toDays(units);
    },
  };
  const trained = model.kind === "trained" ? model.trained : null;
  if (!trained) return base;
  const features = trainedFeatures(c, pAlive, base.expectedOrders(trained.horizonDays));
  const multiplier = Math.exp(Math.min(linearPredictor(trained.orders, features), 30));
  const shift = linearPredictor(trained.returning, features);
  return {
    pAlive,
    expectedOrders: (days) => base.expectedOrders(days) * multiplier,
    probabilityOfOrder: (days) => logistic(logit(base.probabilityOfOrder(days)) + shift),
    medianDaysToNextOrder: (limit) => {
      // σ(logit P_BG(t) + shift) = ½  ⇔  P_BG(t) = σ(−shift), which BG/NBD inverts in closed form.
      const target = logistic(-shift);
      if (!(target < pAlive)) return null;
      const units = (bg.alpha + rf.T) * Math.expm1(-Math.log1p(-target / pAlive) / (bg.r + rf.x));
      return units > span(limit) ? null : toDays(units);
    },
  };
}
