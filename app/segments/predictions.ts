import { currencyExponent } from "~/money/decimal";
import { dayFromIsoDate, isoDateFromDay } from "~/profiles/days";
import type { Day } from "~/profiles/days";
import * as predictive from "./predictive";
import type { PurchaseOccasion } from "~/profiles/orders";
import type { SegmentSettings } from "./settings";

// The seam between segmentation and the purchase-frequency and monetary models (BG/NBD, Gamma-Gamma, CLV) in
// ./predictive, and the one module that talks to them: everything else in app/segments sees only the types below,
// so the models can change without touching tiers, RFM, lifecycle or explanations. Segmentation keeps days and
// integer minor units; the models want the literature's conventions: times in the chosen unit (days, or weeks for
// CDNOW) and amounts in the currency's major unit, so that Gamma-Gamma's γ and its log-likelihood read like the
// published figures. This module converts both ways.

export type Confidence = "high" | "medium" | "low";

export interface CustomerPrediction {
  /** Probability the customer is still active (BG/NBD P(alive)). */
  pAlive: number;
  expectedOrders90: number;
  expectedOrders365: number;
  expectedNextOrderDay: Day | null;
  /** Expected value of a future order (Gamma-Gamma), minor units. */
  expectedOrderValueMinor: number;
  /** Discounted value of the next 12 months, minor units. */
  clv12mMinor: number;
  confidence: Confidence;
  /** What limits the confidence, in words. */
  confidenceReason: string;
}

/** BTYD purchase summary in days: x repeat purchase days, t_x first → last purchase, T first purchase → asOf. */
export interface PurchaseSummary {
  /** The day the summary is taken on. */
  asOf: Day;
  x: number;
  tX: number;
  T: number;
  /** Mean net amount of the repeat purchase days (minor units); 0 when x = 0. */
  repeatMeanMinor: number;
  /** Net amount of all purchase days, the first included (minor units). */
  totalMinor: number;
}

export function purchaseSummary(occasions: readonly PurchaseOccasion[], asOf: Day): PurchaseSummary | null {
  const first = occasions[0];
  const last = occasions.at(-1);
  if (!first || !last) return null;
  const repeat = occasions.slice(1);
  return {
    asOf,
    x: repeat.length,
    tX: last.day - first.day,
    T: asOf - first.day,
    repeatMeanMinor:
      repeat.length > 0 ? repeat.reduce((sum, occasion) => sum + occasion.amountMinor, 0) / repeat.length : 0,
    totalMinor: occasions.reduce((sum, occasion) => sum + occasion.amountMinor, 0),
  };
}

export type TimeUnit = predictive.TimeUnit;

/** The fitted models of one shop as stored in its model state (JSON), with the currency scale they were fitted in. */
export interface PredictiveState {
  model: predictive.PredictiveModelState;
  /** Minor units per major unit of the shop currency (100 for GBP, 1 for JPY). */
  minorPerMajor: number;
}

export interface FitInput {
  /** One entry per buyer, in days. */
  summaries: readonly PurchaseSummary[];
  /** Every buyer's purchase occasions, for the backtest that chooses the purchase model (HistoryCollector). */
  history?: predictive.PurchaseHistory;
  asOf: Day;
  /** The time unit the models are fitted in (their parameters depend on it; predictions do not). */
  unit: TimeUnit;
  currency: string;
}

export interface FitReport {
  state: PredictiveState | null;
  /** Time the backtest and model choice took, in milliseconds. */
  backtestMillis: number;
  /** What the shop's predictions rest on, for model.json and the admin: "none" when both models were fitted. */
  fallback: string;
}

const CLV_HORIZON_MONTHS = 12;

function toModelSummary(summary: PurchaseSummary, unit: TimeUnit, minorPerMajor: number): predictive.PurchaseSummary {
  const unitDays = predictive.UNIT_DAYS[unit];
  const firstDay = summary.asOf - summary.T;
  return {
    asOf: isoDateFromDay(summary.asOf),
    unit,
    x: summary.x,
    tx: summary.tX / unitDays,
    T: summary.T / unitDays,
    monetary: summary.repeatMeanMinor / minorPerMajor,
    totalValue: summary.totalMinor / minorPerMajor,
    firstPurchase: isoDateFromDay(firstDay),
    lastPurchase: isoDateFromDay(firstDay + summary.tX),
  };
}

export function fitPredictive(input: FitInput, settings: SegmentSettings["predictions"]): FitReport {
  if (input.summaries.length === 0)
    return { state: null, fallback: "no buyers yet: no predictions", backtestMillis: 0 };
  const timings = { backtestMillis: 0 };
  const minorPerMajor = 10 ** currencyExponent(input.currency);
  const model = predictive.fitShopModel(
    input.summaries.map((summary) => toModelSummary(summary, input.unit, minorPerMajor)),
    {
      asOf: isoDateFromDay(input.asOf),
      unit: input.unit,
      annualDiscountRate: settings.annualDiscountRate,
      clvHorizonMonths: CLV_HORIZON_MONTHS,
      ...(input.history ? { history: input.history } : {}),
      timings,
    },
  );
  return {
    state: { model, minorPerMajor },
    fallback: model.fallback ?? "none",
    backtestMillis: timings.backtestMillis,
  };
}

/**
 * Collects buyers' purchase occasions for the backtest, with amounts in the currency's major unit (as the models'
 * summaries have them): a few bytes per purchase day.
 */
export class HistoryCollector {
  private readonly builder = new predictive.PurchaseHistoryBuilder();
  private readonly minorPerMajor: number;

  constructor(currency: string) {
    this.minorPerMajor = 10 ** currencyExponent(currency);
  }

  add(occasions: readonly PurchaseOccasion[]): void {
    if (occasions.length > 0)
      this.builder.add(occasions.map((o) => ({ day: o.day, value: o.amountMinor / this.minorPerMajor })));
  }

  build(): predictive.PurchaseHistory {
    return this.builder.build();
  }
}

/** Expected purchase days in the next `days` and the chance of at least one, from the shop's chosen model. */
export function predictHorizon(
  state: PredictiveState | null,
  summary: PurchaseSummary | null,
  days: number,
): { expectedOrders: number; probabilityOfOrder: number } | null {
  if (!state || !summary) return null;
  return predictive.predictHorizon(state.model, toModelSummary(summary, state.model.unit, state.minorPerMajor), days);
}

/** Predictions for one customer from the shop's stored models; null before the shop has models or for a non-buyer. */
export function predictCustomer(
  state: PredictiveState | null,
  summary: PurchaseSummary | null,
  settings: SegmentSettings["predictions"],
): CustomerPrediction | null {
  if (!state || !summary) return null;
  // The discount rate is a setting the merchant can change between full passes; it only enters the CLV sum.
  const model = {
    ...state.model,
    settings: { ...state.model.settings, annualDiscountRate: settings.annualDiscountRate },
  };
  const prediction = predictive.predictCustomer(model, toModelSummary(summary, model.unit, state.minorPerMajor));
  return {
    pAlive: prediction.pAlive,
    expectedOrders90: prediction.expectedOrders90,
    expectedOrders365: prediction.expectedOrders365,
    expectedNextOrderDay:
      prediction.expectedNextOrderDate === null ? null : dayFromIsoDate(prediction.expectedNextOrderDate),
    // Money is stored and shown in whole minor units.
    expectedOrderValueMinor: Math.round(prediction.expectedOrderValue * state.minorPerMajor),
    clv12mMinor: Math.round(prediction.clv * state.minorPerMajor),
    confidence: prediction.confidence,
    confidenceReason: prediction.confidenceReason,
  };
}

/** The purchase model the predictions use and its backtest, for model.json. */
export function purchaseModelReport(state: PredictiveState | null): {
  purchaseModel: predictive.PurchaseModelState | null;
  backtest: predictive.BacktestReport | null;
  noBacktestReason: string | null;
} {
  if (!state) return { purchaseModel: null, backtest: null, noBacktestReason: "no buyers yet" };
  return {
    purchaseModel: predictive.purchaseModelOf(state.model),
    backtest: state.model.backtest ?? null,
    noBacktestReason:
      state.model.noBacktestReason ??
      (state.model.backtest ? null : "this model was fitted without a purchase history"),
  };
}

/** The fitted parameters for model.json: {"bgnbd": {r, alpha, a, b, logLikelihood, method}, "gammaGamma": {p, q, gamma, logLikelihood, method}}. */
export function modelReport(state: PredictiveState | null): {
  bgnbd: {
    r: number;
    alpha: number;
    a: number;
    b: number;
    logLikelihood: number | null;
    method: string;
    confidence: string;
  } | null;
  gammaGamma: {
    p: number;
    q: number;
    gamma: number;
    logLikelihood: number | null;
    method: string;
    confidence: string;
  } | null;
} {
  if (!state) return { bgnbd: null, gammaGamma: null };
  const { bgnbd, gammaGamma } = state.model;
  return {
    bgnbd: {
      r: bgnbd.r,
      alpha: bgnbd.alpha,
      a: bgnbd.a,
      b: bgnbd.b,
      logLikelihood: bgnbd.logLikelihood,
      method: bgnbd.method,
      confidence: bgnbd.confidence,
    },
    gammaGamma: {
      p: gammaGamma.p,
      q: gammaGamma.q,
      gamma: gammaGamma.gamma,
      logLikelihood: gammaGamma.logLikelihood,
      method: gammaGamma.method,
      confidence: gammaGamma.confidence,
    },
  };
}
