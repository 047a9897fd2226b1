// A shop's predictive model: which models its data can carry, fitted once per full pass, stored as JSON, and then
// applied to one customer at a time (so an order event can be re-scored without refitting the shop).
import { defaultBgNbdStarts, fitBgNbd } from "./bgnbd-fit.ts";
import { bgnbdLogLikelihood, checkCustomer } from "./bgnbd-likelihood.ts";
import type { BgNbdParams } from "./bgnbd-likelihood.ts";
import { addDays, dayNumber } from "./calendar-days.ts";
import type { CalendarDay } from "./calendar-days.ts";
import { checkClvSettings, DAYS_PER_MONTH, discountedValue } from "./clv.ts";
import {
  DEFAULT_THRESHOLDS,
  bgnbdConfidence,
  customerEvidence,
  fitProblem,
  gammaGammaConfidence,
  lowestConfidence,
  planBgNbd,
  planGammaGamma,
} from "./fallback-rules.ts";
import type { Confidence, FitMethod, PredictionThresholds } from "./fallback-rules.ts";
import {
  conditionalExpectedOrderValue,
  defaultGammaGammaStarts,
  fitGammaGamma,
  gammaGammaLogLikelihood,
  meanRepeatValue,
} from "./gamma-gamma.ts";
import type { GammaGammaParams } from "./gamma-gamma.ts";
import type { FitDiagnostics, FitStart, LogNormalPrior } from "./multi-start.ts";
import { CDNOW_GAMMA_GAMMA_SHAPE, bgnbdPrior, gammaGammaPrior } from "./priors.ts";
import { UNIT_DAYS } from "./purchase-summary.ts";
import type { PurchaseSummary, TimeUnit } from "./purchase-summary.ts";
import { chooseModel } from "./model-choice.ts";
import type { BacktestReport } from "./model-choice.ts";
import type { PurchaseHistory } from "./purchase-history.ts";
import { forecast } from "./purchase-model.ts";
import type { PurchaseModelState } from "./purchase-model.ts";
import { describeShop } from "./shop-data.ts";
import type { ShopData, SummaryCounts } from "./shop-data.ts";

/** Settings of a shop's predictions. */
export interface PredictionOptions {
  /** As-of date: every summary must have been computed for it. */
  asOf: CalendarDay;
  /** Model time unit: every summary must use it. */
  unit: TimeUnit;
  /** Annual discount rate for CLV as a fraction, compounded monthly (default 0.10). */
  annualDiscountRate?: number;
  /** CLV horizon in months (default 12). */
  clvHorizonMonths?: number;
  /** An expected next order further away than this many days is reported as null (default 730). */
  nextOrderHorizonDays?: number;
  /** Overrides of the fallback and confidence thresholds. */
  thresholds?: Partial<PredictionThresholds>;
  /**
   * Every customer's purchase occasions up to `asOf`: with it, the fit runs the backtest and lets it choose the
   * purchase model (model-choice.ts); without it, the purchase model is the textbook BG/NBD.
   */
  history?: PurchaseHistory;
  /** Fixes the backtest horizon in days (default: 90 days, or the shop's purchase cycle when longer). */
  backtestDays?: number;
  /** Filled with how long the backtest and model choice took (for benchmarks; never stored in the state). */
  timings?: { backtestMillis: number };
}

/** One fitted (or assumed) model with how it was obtained. */
export interface ModelFit<P extends object> {
  method: FitMethod;
  /** Why this method, in words (names the data shortfall or the fit problem behind a fallback). */
  reason: string;
  /** Shop-level confidence of this model (rules in docs/predictions.md). */
  confidence: Confidence;
  /** Log-likelihood of the shop's data at the parameters (without the prior); null when there is no data. */
  logLikelihood: number | null;
  /** The population prior: the centre of a MAP fit, or the parameters themselves for `prior`. */
  prior: LogNormalPrior<P>;
  /** Optimiser diagnostics of the fit used; null for `prior`. */
  diagnostics: FitDiagnostics<P> | null;
}

/** Everything needed to predict for one customer later; JSON-serialisable. */
export interface PredictiveModelState {
  version: 1;
  asOf: CalendarDay;
  unit: TimeUnit;
  settings: { annualDiscountRate: number; clvHorizonMonths: number; nextOrderHorizonDays: number };
  thresholds: PredictionThresholds;
  data: ShopData;
  /** BG/NBD parameters (α in `unit`) flattened with their fit. */
  bgnbd: BgNbdParams & ModelFit<BgNbdParams>;
  /** Gamma-Gamma parameters (γ in the currency unit of the amounts) flattened with their fit. */
  gammaGamma: GammaGammaParams & ModelFit<GammaGammaParams>;
  /** Null when both models are maximum-likelihood fits; otherwise which fell back and why. */
  fallback: string | null;
  /**
   * The purchase model the predictions come from, chosen by the backtest; absent (states stored before the
   * backtest existed, or fits without a history) means the textbook BG/NBD above.
   */
  purchaseModel?: PurchaseModelState;
  /** The backtest of this fit; null when the history was too short for one (`noBacktestReason` says why). */
  backtest?: BacktestReport | null;
  noBacktestReason?: string | null;
}

/** Predictions for one customer. Orders are purchase occasions (days with a purchase). */
export interface CustomerPrediction {
  /** BG/NBD P(alive): probability the customer has not silently dropped out (1 for one-time buyers, by the model). */
  pAlive: number;
  /** Probability of at least one order in the next 90 days. */
  pOrder90: number;
  /** Expected orders in the next 90 days. */
  expectedOrders90: number;
  /** Expected orders in the next 365 days. */
  expectedOrders365: number;
  /** As-of date plus the median wait for the next order (see docs); null when not more likely than not in the horizon. */
  expectedNextOrderDate: CalendarDay | null;
  /** Gamma-Gamma expected value of a future order (population mean for customers without repeat value). */
  expectedOrderValue: number;
  /** Discounted expected value of the orders in the CLV horizon (12 months by default). */
  clv: number;
  /** The lowest of the shop's two model confidences and the customer's own evidence. */
  confidence: Confidence;
  /** What limits the confidence, in words. */
  confidenceReason: string;
}

function resolveSettings(options: PredictionOptions): PredictiveModelState["settings"] {
  const settings = {
    annualDiscountRate: options.annualDiscountRate ?? 0.1,
    clvHorizonMonths: options.clvHorizonMonths ?? 12,
    nextOrderHorizonDays: options.nextOrderHorizonDays ?? 730,
  };
  checkClvSettings({ annualDiscountRate: settings.annualDiscountRate, horizonMonths: settings.clvHorizonMonths });
  if (!(settings.nextOrderHorizonDays > 0))
    throw new RangeError(`next-order horizon must be > 0 days, not ${settings.nextOrderHorizonDays}`);
  return settings;
}

function checkSummaries(summaries: readonly PurchaseSummary[], asOf: CalendarDay, unit: TimeUnit): void {
  dayNumber(asOf);
  if (UNIT_DAYS[unit] === undefined) throw new RangeError(`unit must be "day" or "week", not "${String(unit)}"`);
  summaries.forEach((s, i) => {
    if (s.asOf !== asOf || s.unit !== unit) {
      throw new RangeError(`summary ${i} is for ${s.asOf} in ${s.unit}s, but the model is for ${asOf} in ${unit}s`);
    }
  });
}

interface Fitted<P extends object> {
  params: P;
  logLikelihood: number;
  diagnostics: FitDiagnostics<P>;
}

// The fallback ladder shared by both models: the planned method first; an unstable maximum-likelihood fit steps
// down to the shrunk (MAP) fit, an unstable MAP fit to the prior alone.
function climbDown<P extends object>(
  planned: { method: FitMethod; reason: string },
  prior: LogNormalPrior<P>,
  fit: (withPrior: boolean) => Fitted<P>,
  priorLogLikelihood: () => number | null,
): P & Omit<ModelFit<P>, "confidence"> {
  let { method, reason } = planned;
  const steps: [FitMethod, FitMethod, string][] = [
    ["mle", "map", "shrunk toward the population prior: the maximum-likelihood fit was unstable"],
    ["map", "prior", "population prior only: the shrunk fit was unstable"],
  ];
  for (const [from, to, because] of steps) {
    if (method !== from) continue;
    const fitted = fit(from === "map");
    const problem = fitProblem(fitted.diagnostics, fitted.logLikelihood);
    if (!problem)
      return {
        ...fitted.params,
        method,
        reason,
        logLikelihood: fitted.logLikelihood,
        prior,
        diagnostics: fitted.diagnostics,
      };
    method = to;
    reason = `${because} (${problem})`;
  }
  return { ...prior.centre, method, reason, logLikelihood: priorLogLikelihood(), prior, diagnostics: null };
}

/** BG/NBD down the fallback ladder (mle → map → prior) as the shop's data allow; also used at backtest cut-offs. */
export function fitBgNbdForShop(
  summaries: readonly SummaryCounts[],
  shop: ShopData,
  unitDays: number,
  t: PredictionThresholds,
) {
  const prior = bgnbdPrior(shop, unitDays);
  const starts: FitStart<BgNbdParams>[] = [
    ...defaultBgNbdStarts(summaries),
    { label: "prior-centre", params: prior.centre },
  ];
  return climbDown(
    planBgNbd(shop, t),
    prior,
    (withPrior) => fitBgNbd(summaries, { starts, prior: withPrior ? prior : undefined }),
    () => (summaries.length > 0 ? bgnbdLogLikelihood(summaries, prior.centre) : null),
  );
}

function fitGammaGammaForShop(summaries: readonly PurchaseSummary[], shop: ShopData, t: PredictionThresholds) {
  const meanValue = shop.valuedRepeatCustomers > 0 ? meanRepeatValue(summaries) : shop.meanOccasionValue;
  if (!(meanValue > 0)) {
    // No positive value anywhere: every expected order value is 0, and so is every CLV.
    const centre = { ...CDNOW_GAMMA_GAMMA_SHAPE, gamma: 0 };
    return {
      ...centre,
      method: "prior" as const,
      reason: "no purchase with a positive value",
      logLikelihood: null,
      prior: { centre, sd: 1 },
      diagnostics: null,
    };
  }
  const prior = gammaGammaPrior(meanValue);
  const starts = [...defaultGammaGammaStarts(meanValue), { label: "prior-centre", params: prior.centre }];
  return climbDown(
    planGammaGamma(shop, t),
    prior,
    (withPrior) => fitGammaGamma(summaries, { starts, prior: withPrior ? prior : undefined }),
    () => (shop.valuedRepeatCustomers > 0 ? gammaGammaLogLikelihood(summaries, prior.centre) : null),
  );
}

/**
 * Fits a shop's BG/NBD and Gamma-Gamma models from all its customers' summaries, falling back to shrinkage or
 * priors where the data are too thin (see docs/predictions.md). Throws a RangeError on inconsistent input
 * (a summary for another as-of date or unit, bad settings); never on thin or degenerate data.
 */
export function fitShopModel(summaries: readonly PurchaseSummary[], options: PredictionOptions): PredictiveModelState {
  const settings = resolveSettings(options);
  checkSummaries(summaries, options.asOf, options.unit);
  const thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const shop = describeShop(summaries, options.unit);
  const fittedBgNbd = fitBgNbdForShop(summaries, shop, UNIT_DAYS[options.unit], thresholds);
  const fittedGammaGamma = fitGammaGammaForShop(summaries, shop, thresholds);
  const bgnbd = { ...fittedBgNbd, confidence: bgnbdConfidence(fittedBgNbd.method, shop, thresholds) };
  const gammaGamma = {
    ...fittedGammaGamma,
    confidence: gammaGammaConfidence(fittedGammaGamma.method, shop, thresholds),
  };
  const fallbacks = [
    bgnbd.method === "mle" ? null : `BG/NBD: ${bgnbd.reason}`,
    gammaGamma.method === "mle" ? null : `Gamma-Gamma: ${gammaGamma.reason}`,
  ].filter((f): f is string => f !== null);
  const started = performance.now();
  const choice = options.history
    ? backtestAndChoose(
        options.history,
        options,
        { r: bgnbd.r, alpha: bgnbd.alpha, a: bgnbd.a, b: bgnbd.b },
        thresholds,
      )
    : null;
  if (options.timings) options.timings.backtestMillis = performance.now() - started;
  return {
    version: 1,
    asOf: options.asOf,
    unit: options.unit,
    settings,
    thresholds,
    data: shop,
    bgnbd,
    gammaGamma,
    fallback: fallbacks.length > 0 ? fallbacks.join("; ") : null,
    ...(choice
      ? {
          ...(choice.model ? { purchaseModel: choice.model } : {}),
          backtest: choice.backtest,
          noBacktestReason: choice.noBacktestReason,
        }
      : {}),
  };
}

// The backtest is a check on the predictions, not a reason to have none: should it fail on some data no test foresaw,
// the shop keeps the textbook model and the state says why.
function backtestAndChoose(
  history: PurchaseHistory,
  options: PredictionOptions,
  textbook: BgNbdParams,
  thresholds: PredictionThresholds,
) {
  try {
    return chooseModel(history, {
      asOfDay: dayNumber(options.asOf),
      unitDays: UNIT_DAYS[options.unit],
      textbook,
      thresholds,
      ...(options.backtestDays === undefined ? {} : { horizonDays: options.backtestDays }),
    });
  } catch (error) {
    return {
      model: undefined,
      backtest: null,
      noBacktestReason: `the backtest failed (${(error as Error).message}); the textbook model is used`,
    };
  }
}

/** The purchase model of a state: the backtest's choice, or the textbook BG/NBD. */
export function purchaseModelOf(model: PredictiveModelState): PurchaseModelState {
  return (
    model.purchaseModel ?? {
      kind: "bgnbd",
      seasonality: null,
      unitDays: UNIT_DAYS[model.unit],
      bgnbd: { r: model.bgnbd.r, alpha: model.bgnbd.alpha, a: model.bgnbd.a, b: model.bgnbd.b },
      paretoNbd: null,
      trained: null,
    }
  );
}

// Every summary of a pass has the same as-of date: parse it once.
let lastAsOf: { text: string; day: number } = { text: "", day: 0 };
function asOfDayOf(text: string): number {
  if (lastAsOf.text !== text) lastAsOf = { text, day: dayNumber(text) };
  return lastAsOf.day;
}

/** A summary's forecast from the state's purchase model; horizons in days. */
export function forecastCustomer(model: PredictiveModelState, summary: PurchaseSummary) {
  if (summary.unit !== model.unit)
    throw new RangeError(`summary is in ${summary.unit}s but the model is in ${model.unit}s`);
  checkCustomer(summary);
  const unitDays = UNIT_DAYS[model.unit];
  const asOfDay = asOfDayOf(summary.asOf);
  // Days from t_x and T (not from the first/last purchase fields), so a summary's (x, t_x, T) is what is predicted.
  const firstDay = asOfDay - summary.T * unitDays;
  const c = { x: summary.x, firstDay, lastDay: firstDay + summary.tx * unitDays, asOfDay, monetary: summary.monetary };
  return forecast(purchaseModelOf(model), c, { x: summary.x, tx: summary.tx, T: summary.T });
}

/** Expected purchase days in the `days` after the summary's as-of date, and the chance of at least one. */
export function predictHorizon(
  model: PredictiveModelState,
  summary: PurchaseSummary,
  days: number,
): { expectedOrders: number; probabilityOfOrder: number } {
  if (!(Number.isInteger(days) && days >= 1))
    throw new RangeError(`horizon must be a whole number of days ≥ 1, not ${days}`);
  const f = forecastCustomer(model, summary);
  return { expectedOrders: f.expectedOrders(days), probabilityOfOrder: f.probabilityOfOrder(days) };
}

const METHOD_WORDS: Record<FitMethod, string> = {
  mle: "fitted by maximum likelihood",
  map: "shrunk toward the population prior",
  prior: "population prior only",
};

/**
 * Predictions for one customer from a shop's model state. The summary may be for a later as-of date than the
 * model (re-scoring after an order); it must be in the model's unit.
 */
export function predictCustomer(model: PredictiveModelState, summary: PurchaseSummary): CustomerPrediction {
  const f = forecastCustomer(model, summary);
  const unitDays = UNIT_DAYS[model.unit];
  const { annualDiscountRate, clvHorizonMonths, nextOrderHorizonDays } = model.settings;
  const months = Array.from({ length: clvHorizonMonths }, (_, k) => f.expectedOrders((k + 1) * DAYS_PER_MONTH));
  const expectedOrders365 = clvHorizonMonths === 12 ? months[11]! : f.expectedOrders(365);
  const expectedOrderValue = conditionalExpectedOrderValue(model.gammaGamma, summary);
  // One day past the horizon, so a wait that rounds to the horizon itself still counts.
  const wait = f.medianDaysToNextOrder(nextOrderHorizonDays + 1);
  const waitDays = wait === null ? null : Math.max(1, Math.round(wait));
  const daysSinceFirst = Math.round(summary.T * unitDays);
  const evidence = customerEvidence(summary.x, daysSinceFirst, model.thresholds);
  const track = model.backtest
    ? { confidence: model.backtest.confidence, reason: model.backtest.confidenceReason }
    : null;
  const confidence = lowestConfidence(
    model.bgnbd.confidence,
    model.gammaGamma.confidence,
    evidence.confidence,
    track?.confidence ?? "high",
  );
  const limits = [
    model.bgnbd.confidence === confidence
      ? `purchase model: ${METHOD_WORDS[model.bgnbd.method]} (${model.data.customers} customers)`
      : null,
    model.gammaGamma.confidence === confidence
      ? `order-value model: ${METHOD_WORDS[model.gammaGamma.method]} (${
          model.data.valuedRepeatCustomers
        } repeat customers with value)`
      : null,
    evidence.confidence === confidence ? evidence.reason : null,
    track?.confidence === confidence ? track.reason : null,
  ].filter((l): l is string => l !== null);
  return {
    pAlive: f.pAlive,
    pOrder90: f.probabilityOfOrder(90),
    expectedOrders90: f.expectedOrders(90),
    expectedOrders365,
    expectedNextOrderDate:
      waitDays === null || waitDays > nextOrderHorizonDays ? null : addDays(summary.asOf, waitDays),
    expectedOrderValue,
    clv: discountedValue(months, expectedOrderValue, annualDiscountRate),
    confidence,
    confidenceReason: limits.join("; "),
  };
}

/** Fits the shop's model and predicts for every summary; `predictions[i]` belongs to `summaries[i]`. */
export function predictShop(
  summaries: readonly PurchaseSummary[],
  options: PredictionOptions,
): { model: PredictiveModelState; predictions: CustomerPrediction[] } {
  const model = fitShopModel(summaries, options);
  return { model, predictions: summaries.map((s) => predictCustomer(model, s)) };
}
