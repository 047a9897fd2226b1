// The backtest and the model choice of a full pass. The shop's history is cut one horizon before the as-of date;
// every candidate model is fitted on what was known then, predicts the horizon, and is scored against what
// happened (forecast-score.ts). The textbook BG/NBD is always a candidate; the others are BG/NBD in the shop's
// seasonal time (two years of history), Pareto/NBD, and BG/NBD corrected per customer by ridge Poisson and
// logistic models trained on the window before the cut. The winner is then refitted on the whole history.
import { fitBgNbd } from "./bgnbd-fit.ts";
import type { BgNbdParams } from "./bgnbd-likelihood.ts";
import { calendarDay } from "./calendar-days.ts";
import type { CalendarDay } from "./calendar-days.ts";
import { DEFAULT_THRESHOLDS, lowestConfidence } from "./fallback-rules.ts";
import type { Confidence, PredictionThresholds } from "./fallback-rules.ts";
import { scoreForecast } from "./forecast-score.ts";
import type { ForecastScore } from "./forecast-score.ts";
import type { ParetoNbdParams } from "./pareto-nbd.ts";
import { fitParetoNbd } from "./pareto-nbd-fit.ts";
import type { CustomerAtCut, PurchaseHistory } from "./purchase-history.ts";
import { forecast, operationalSummary, trainedFeatures } from "./purchase-model.ts";
import type { PurchaseModelKind, PurchaseModelState, TrainedCorrection } from "./purchase-model.ts";
import { fitRidgeGlm } from "./ridge-glm.ts";
import { estimateSeasonalIndex } from "./seasonality.ts";
import type { SeasonalIndex } from "./seasonality.ts";
import { describeShop } from "./shop-data.ts";
import type { SummaryCounts } from "./shop-data.ts";
import { fitBgNbdForShop } from "./shop-model.ts";

/** Backtest horizon when the shop's typical gap between purchases is shorter. */
export const DEFAULT_BACKTEST_DAYS = 90;
export const MAX_BACKTEST_DAYS = 365;
/** The shortest horizon worth a backtest (the history must hold three of them). */
export const MIN_BACKTEST_DAYS = 30;
/** Customers who must return within a backtest window before models other than BG/NBD are tried on it. */
export const MIN_RETURNING_FOR_CHOICE = 30;
/** Ridge penalty of the trained models, per customer, on standardised features: enough to keep a few hundred
 * customers from over-fitting, small enough not to matter at a few thousand. */
export const TRAINED_LAMBDA = 0.01;
/** A model other than the textbook one must cut the backtest's mean deviance by at least this share to be chosen. */
export const MIN_IMPROVEMENT = 0.005;
/**
 * Above this many customers the candidates are fitted and compared on a deterministic sample of this size (every
 * k-th customer): ample to tell models apart, and it keeps the backtest to a fraction of a full pass. The chosen
 * model's track record is then scored on every customer.
 */
export const CHOICE_SAMPLE = 25_000;

export type CandidateName = "bgnbd" | "bgnbd-seasonal" | "pareto-nbd" | "trained";

export const CANDIDATE_WORDS: Record<CandidateName, string> = {
  bgnbd: "BG/NBD (the textbook model)",
  "bgnbd-seasonal": "BG/NBD with the shop's seasonality",
  "pareto-nbd": "Pareto/NBD",
  trained: "BG/NBD corrected by models trained on the shop's own history",
};

/** The scores without the calibration table (kept for the chosen and the textbook model only). */
export type CandidateScore = Omit<ForecastScore, "calibration">;

export interface CandidateResult {
  name: CandidateName;
  seasonal: boolean;
  /** Not worse than the textbook BG/NBD on either the aggregate error or the ranking (AUC). */
  eligible: boolean;
  score: CandidateScore;
}

export interface BacktestReport {
  /** The pass's as-of date and the cut-off the models were refitted at (as-of − horizon). */
  asOf: CalendarDay;
  cutoff: CalendarDay;
  horizonDays: number;
  /** Why this horizon (the default, the shop's purchase cycle, or its history). */
  horizonReason: string;
  customers: number;
  candidates: CandidateResult[];
  chosen: {
    name: CandidateName;
    seasonal: boolean;
    description: string;
    /** Relative reduction of the mean Poisson deviance versus the textbook BG/NBD (0 when it is the textbook). */
    devianceReductionVsTextbook: number;
    /** The runner-up and its deviance reduction versus the textbook, when there was one. */
    runnerUp: { name: CandidateName; devianceReductionVsTextbook: number } | null;
    why: string;
  };
  /** Customers the candidates were fitted and compared on (all of them, or a sample of CHOICE_SAMPLE). */
  comparedOn: number;
  /**
   * The chosen model's score on every customer, calibration by decile included; the textbook's beside it (on the
   * compared customers when the comparison used a sample and another model won; `candidates` are all on those).
   */
  score: ForecastScore;
  textbook: ForecastScore;
  seasonality: {
    /** Whether the shop's predictions use its seasonal intensity. */
    used: boolean;
    reason: string;
    index: SeasonalIndex | null;
    /** BG/NBD's backtest with and without the seasonal index, when there is one. */
    effect: { without: SeasonalEffect; with: SeasonalEffect } | null;
  };
  /** How far the backtest says the predictions can be trusted. */
  confidence: Confidence;
  confidenceReason: string;
}

interface SeasonalEffect {
  relativeError: number | null;
  auc: number | null;
  meanDeviance: number;
}

export interface ModelChoice {
  model: PurchaseModelState;
  backtest: BacktestReport | null;
  /** Why there is no backtest (too little history), when there is none. */
  noBacktestReason: string | null;
}

export interface ChoiceOptions {
  asOfDay: number;
  unitDays: number;
  /** The textbook BG/NBD fitted on the whole history (the shop model's), in `unitDays`. */
  textbook: BgNbdParams;
  /** Fixes the backtest horizon (days) instead of deriving it from the shop's purchase cycle. */
  horizonDays?: number;
  thresholds?: PredictionThresholds;
}

interface Cut {
  day: number;
  index: number[];
  customers: CustomerAtCut[];
}

function cutAt(history: PurchaseHistory, day: number, stride = 1): Cut {
  const index: number[] = [];
  const customers: CustomerAtCut[] = [];
  for (let i = 0; i < history.customers; i += stride) {
    const c = history.at(i, day);
    if (c) {
      index.push(i);
      customers.push(c);
    }
  }
  return { day, index, customers };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The backtest horizon: 90 days, or the shop's typical gap between purchases when longer, within its history. */
export function backtestHorizon(
  history: PurchaseHistory,
  asOfDay: number,
  fixed?: number,
): { days: number | null; reason: string } {
  const first = history.firstDay();
  const historyDays = Number.isFinite(first) ? asOfDay - first : 0;
  const longest = Math.floor(historyDays / 3);
  if (longest < MIN_BACKTEST_DAYS) {
    return { days: null, reason: `${historyDays} days of history: a backtest needs at least ${3 * MIN_BACKTEST_DAYS}` };
  }
  if (fixed !== undefined)
    return {
      days: Math.min(fixed, longest),
      reason: fixed <= longest ? `${fixed} days, as asked` : `a third of the history (${historyDays} days)`,
    };
  const gaps: number[] = [];
  for (let i = 0; i < history.customers; i++) {
    const c = history.at(i, asOfDay);
    if (c && c.x > 0) gaps.push((c.lastDay - c.firstDay) / c.x);
  }
  const gap = median(gaps);
  const wanted =
    gap !== null && gap > DEFAULT_BACKTEST_DAYS ? Math.min(Math.round(gap), MAX_BACKTEST_DAYS) : DEFAULT_BACKTEST_DAYS;
  if (wanted > longest) return { days: longest, reason: `a third of the history (${historyDays} days)` };
  return {
    days: wanted,
    reason:
      wanted === DEFAULT_BACKTEST_DAYS
        ? `${DEFAULT_BACKTEST_DAYS} days`
        : `the shop's typical gap between purchases (${wanted} days)`,
  };
}

type Frame = { seasonality: SeasonalIndex | null; unitDays: number };

function countsFor(frame: Frame, customers: CustomerAtCut[]): SummaryCounts[] {
  return customers.map((c) => {
    return { ...operationalSummary(frame, c), monetary: c.monetary, totalValue: 0 };
  });
}

/**
 * BG/NBD as of a cut: one start from the whole history's fit (close, so a few iterations), falling back to the
 * shop model's ladder (several starts, shrinkage for small shops) when that does not converge inside the box.
 */
function fitBgNbdAt(
  frame: Frame,
  customers: CustomerAtCut[],
  thresholds: PredictionThresholds,
  near: BgNbdParams,
): BgNbdParams {
  const rows = countsFor(frame, customers);
  const shop = describeShop(rows, "day");
  if (shop.customers >= thresholds.mleCustomers && shop.repeatCustomers >= thresholds.mleRepeatCustomers) {
    const quick = fitBgNbd(rows, { starts: [{ label: "whole-history", params: near }] });
    if (quick.diagnostics.converged && quick.diagnostics.atBounds.length === 0 && Number.isFinite(quick.logLikelihood))
      return quick.params;
  }
  const fit = fitBgNbdForShop(rows, shop, frame.unitDays, thresholds);
  return { r: fit.r, alpha: fit.alpha, a: fit.a, b: fit.b };
}

function predictAll(model: PurchaseModelState, customers: CustomerAtCut[], days: number) {
  const expected = new Float64Array(customers.length);
  const probability = new Float64Array(customers.length);
  customers.forEach((c, i) => {
    const f = forecast(model, c);
    expected[i] = f.expectedOrders(days);
    probability[i] = f.probabilityOfOrder(days);
  });
  return { expected, probability };
}

/** Trains the per-customer corrections on `window`: features at its cut, orders in the following `days`. */
function trainCorrection(
  base: PurchaseModelState,
  history: PurchaseHistory,
  window: Cut,
  days: number,
): TrainedCorrection {
  const width = trainedFeatures(window.customers[0]!, 1, 1).length;
  const n = window.customers.length;
  const features = new Float64Array(n * width);
  const orders = new Float64Array(n);
  const returned = new Float64Array(n);
  const countOffset = new Float64Array(n);
  const returnOffset = new Float64Array(n);
  window.customers.forEach((c, i) => {
    const f = forecast(base, c);
    const e = f.expectedOrders(days);
    const p = Math.min(Math.max(f.probabilityOfOrder(days), 1e-12), 1 - 1e-12);
    features.set(trainedFeatures(c, f.pAlive, e), i * width);
    orders[i] = history.countBetween(window.index[i]!, window.day, window.day + days);
    returned[i] = orders[i]! > 0 ? 1 : 0;
    countOffset[i] = Math.log(Math.max(e, 1e-12));
    returnOffset[i] = Math.log(p / (1 - p));
  });
  return {
    fromDay: window.day,
    horizonDays: days,
    customers: n,
    orders: fitRidgeGlm("poisson", { features, width, response: orders, offset: countOffset }, TRAINED_LAMBDA),
    returning: fitRidgeGlm("logistic", { features, width, response: returned, offset: returnOffset }, TRAINED_LAMBDA),
  };
}

const withoutCalibration = ({ calibration: _, ...rest }: ForecastScore): CandidateScore => rest;

function improves(score: ForecastScore, textbook: ForecastScore): boolean {
  return score.meanDeviance <= textbook.meanDeviance * (1 - MIN_IMPROVEMENT);
}

function notWorse(score: ForecastScore, textbook: ForecastScore): boolean {
  const error = (s: ForecastScore) => Math.abs(s.relativeError ?? 0);
  const aucOk = textbook.auc === null || (score.auc !== null && score.auc >= textbook.auc);
  return error(score) <= error(textbook) && aucOk;
}

/** The label the backtest gives: how close the aggregate came and how well it ranked who returned. */
export function backtestConfidence(score: ForecastScore): { confidence: Confidence; reason: string } {
  const error = score.relativeError === null ? null : Math.abs(score.relativeError);
  const auc = score.auc;
  const percent = (v: number) => `${Math.round(v * 100)}%`;
  const total = error === null ? "no repeat orders came to compare with" : `the total was off by ${percent(error)}`;
  const ranking = auc === null ? "" : `, and it ranked who would return right ${percent(auc)} of the time`;
  let confidence: Confidence = "low";
  if (error !== null && auc !== null && error <= 0.15 && auc >= 0.7) confidence = "high";
  else if (error !== null && auc !== null && error <= 0.35 && auc >= 0.6) confidence = "medium";
  if (score.returningCustomers < MIN_RETURNING_FOR_CHOICE) {
    confidence = lowestConfidence(confidence, "medium");
    return {
      confidence,
      reason: `backtest: ${total}${ranking}, but only ${score.returningCustomers} customers returned, too few to be sure`,
    };
  }
  return { confidence, reason: `backtest: ${total}${ranking}` };
}

function seasonalEffect(score: ForecastScore): SeasonalEffect {
  return { relativeError: score.relativeError, auc: score.auc, meanDeviance: score.meanDeviance };
}

/**
 * Runs the backtest on the shop's history, chooses the purchase model and fits it on the whole history. Without
 * enough history (three backtest horizons) the textbook BG/NBD is kept and `backtest` is null.
 */
export function chooseModel(history: PurchaseHistory, options: ChoiceOptions): ModelChoice {
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const { asOfDay, unitDays } = options;
  const textbookModel: PurchaseModelState = {
    kind: "bgnbd",
    seasonality: null,
    unitDays,
    bgnbd: options.textbook,
    paretoNbd: null,
    trained: null,
  };
  const horizon = backtestHorizon(history, asOfDay, options.horizonDays);
  if (horizon.days === null) return { model: textbookModel, backtest: null, noBacktestReason: horizon.reason };
  const H = horizon.days;
  const stride = Math.max(1, Math.ceil(history.customers / CHOICE_SAMPLE));
  const everyone = cutAt(history, asOfDay - H);
  const test = stride === 1 ? everyone : cutAt(history, asOfDay - H, stride);
  if (test.customers.length === 0)
    return {
      model: textbookModel,
      backtest: null,
      noBacktestReason: "no customer had bought before the backtest's cut-off",
    };
  const actualOf = (cut: Cut) => Float64Array.from(cut.index, (i) => history.countBetween(i, cut.day, asOfDay));
  const actual = actualOf(test);
  const scoreOn = (model: PurchaseModelState, cut: Cut, outcome: Float64Array) => {
    const { expected, probability } = predictAll(model, cut.customers, H);
    return scoreForecast(expected, probability, outcome);
  };
  const score = (model: PurchaseModelState) => scoreOn(model, test, actual);
  const stationary: Frame = { seasonality: null, unitDays };
  const near = options.textbook;
  const bgAtTest = fitBgNbdAt(stationary, test.customers, thresholds, near);
  const textbookAtTest: PurchaseModelState = { ...textbookModel, bgnbd: bgAtTest };
  const textbook = score(textbookAtTest);
  const results: Array<{ name: CandidateName; model: PurchaseModelState; score: ForecastScore }> = [
    { name: "bgnbd", model: textbookAtTest, score: textbook },
  ];
  const enough = textbook.returningCustomers >= MIN_RETURNING_FOR_CHOICE;

  // Seasonality: estimated from what was known at the cut-off; kept when BG/NBD with it beats BG/NBD without.
  const firstDay = history.firstDay();
  const repeatDays = history.repeatDays();
  const seasonalAtTest = estimateSeasonalIndex(repeatDays, firstDay, test.day);
  let frame = stationary;
  let seasonReason = seasonalAtTest.reason;
  let effect: BacktestReport["seasonality"]["effect"] = null;
  if (seasonalAtTest.index && enough) {
    const seasonalFrame = { seasonality: seasonalAtTest.index, unitDays };
    const model: PurchaseModelState = {
      ...textbookAtTest,
      seasonality: seasonalAtTest.index,
      bgnbd: fitBgNbdAt(seasonalFrame, test.customers, thresholds, bgAtTest),
    };
    const s = score(model);
    results.push({ name: "bgnbd-seasonal", model, score: s });
    effect = { without: seasonalEffect(textbook), with: seasonalEffect(s) };
    if (notWorse(s, textbook) && improves(s, textbook)) frame = seasonalFrame;
    else seasonReason = "the backtest was not clearly better with the seasonal pattern than without it";
  }
  const base = results.find((r) => (r.name === "bgnbd-seasonal") === (frame.seasonality !== null))!.model;

  if (enough) {
    // Each extra candidate is optional: one whose fit fails on this shop's data is left out, not fatal.
    attempt(() => {
      const rows = countsFor(frame, test.customers);
      const pareto = fitParetoNbd(rows, {
        starts: [
          { label: "from-bgnbd", params: { r: base.bgnbd.r, alpha: base.bgnbd.alpha, s: 1, beta: base.bgnbd.alpha } },
        ],
      });
      if (pareto.diagnostics.converged && pareto.diagnostics.atBounds.length === 0) {
        const model: PurchaseModelState = { ...base, kind: "pareto-nbd", paretoNbd: pareto.params };
        results.push({ name: "pareto-nbd", model, score: score(model) });
      }
    });
    attempt(() => {
      const window = cutAt(history, asOfDay - 2 * H, stride);
      if (window.customers.length < 2 * MIN_RETURNING_FOR_CHOICE) return;
      const windowBase: PurchaseModelState = {
        ...base,
        bgnbd: fitBgNbdAt(frame, window.customers, thresholds, base.bgnbd),
      };
      const trained = trainCorrection(windowBase, history, window, H);
      const model: PurchaseModelState = { ...base, kind: "trained", trained };
      results.push({ name: "trained", model, score: score(model) });
    });
  }

  const candidates: CandidateResult[] = results.map((r) => ({
    name: r.name,
    seasonal: r.model.seasonality !== null,
    eligible: r.name === "bgnbd" || (notWorse(r.score, textbook) && improves(r.score, textbook)),
    score: withoutCalibration(r.score),
  }));
  const ranked = results
    .filter((_, i) => candidates[i]!.eligible)
    .sort((a, b) => a.score.meanDeviance - b.score.meanDeviance);
  const winner = ranked[0]!;
  // The track record the merchant sees: the chosen model (as fitted at the cut-off) on every customer.
  const everyoneActual = stride === 1 ? actual : actualOf(everyone);
  const chosenScore = stride === 1 ? winner.score : scoreOn(winner.model, everyone, everyoneActual);
  // Beside it, the textbook model on the same customers: free when it is the chosen one or there is no sample.
  const textbookScore = winner.name === "bgnbd" ? chosenScore : textbook;
  const reduction = (s: ForecastScore) =>
    textbook.meanDeviance > 0 ? (textbook.meanDeviance - s.meanDeviance) / textbook.meanDeviance : 0;
  const runnerUp = ranked[1] ?? null;
  const label = backtestConfidence(chosenScore);
  const backtest: BacktestReport = {
    asOf: calendarDay(asOfDay),
    cutoff: calendarDay(test.day),
    horizonDays: H,
    horizonReason: horizon.reason,
    customers: everyone.customers.length,
    comparedOn: test.customers.length,
    candidates,
    chosen: {
      name: winner.name,
      seasonal: winner.model.seasonality !== null,
      description:
        CANDIDATE_WORDS[winner.name] +
        (winner.model.seasonality && winner.name !== "bgnbd-seasonal" ? ", in the shop's seasonal time" : ""),
      devianceReductionVsTextbook: reduction(winner.score),
      runnerUp: runnerUp && { name: runnerUp.name, devianceReductionVsTextbook: reduction(runnerUp.score) },
      why: whyChosen(winner.name, enough, textbook),
    },
    score: chosenScore,
    textbook: textbookScore,
    seasonality: { used: frame.seasonality !== null, reason: seasonReason, index: frame.seasonality, effect },
    confidence: label.confidence,
    confidenceReason: label.reason,
  };
  const pareto = results.find((r) => r.name === "pareto-nbd")?.model.paretoNbd ?? null;
  return {
    model: refit(winner.name, frame, history, options, thresholds, { test, base, H, pareto }),
    backtest,
    noBacktestReason: null,
  };
}

function attempt(work: () => void): void {
  try {
    work();
  } catch {
    // Left out of the comparison; the candidates that remain are still scored.
  }
}

function whyChosen(name: CandidateName, enough: boolean, textbook: ForecastScore): string {
  if (!enough)
    return `only ${textbook.returningCustomers} customers returned over the test period, too few to compare models (${MIN_RETURNING_FOR_CHOICE} are needed), so it keeps the standard one`;
  if (name === "bgnbd") return "no other model did better on the test without doing worse on the total or the ranking";
  return `lowest error per customer (Poisson deviance) on the backtest, at least ${
    MIN_IMPROVEMENT * 100
  }% below the textbook model's, and not worse than it on the total or the ranking`;
}

/** The chosen model fitted on the whole history (the backtest's fits only knew the history up to the cut-off). */
function refit(
  name: CandidateName,
  frame: Frame,
  history: PurchaseHistory,
  options: ChoiceOptions,
  thresholds: PredictionThresholds,
  backtest: { test: Cut; base: PurchaseModelState; H: number; pareto: ParetoNbdParams | null },
): PurchaseModelState {
  const { asOfDay, unitDays } = options;
  const stationary: PurchaseModelState = {
    kind: "bgnbd",
    seasonality: null,
    unitDays,
    bgnbd: options.textbook,
    paretoNbd: null,
    trained: null,
  };
  if (name === "bgnbd") return stationary;
  const seasonality = frame.seasonality
    ? (estimateSeasonalIndex(history.repeatDays(), history.firstDay(), asOfDay).index ?? frame.seasonality)
    : null;
  const now: Frame = { seasonality, unitDays };
  const all = cutAt(history, asOfDay).customers;
  const base: PurchaseModelState = {
    ...stationary,
    seasonality,
    bgnbd: seasonality ? fitBgNbdAt(now, all, thresholds, backtest.base.bgnbd) : options.textbook,
  };
  if (name === "bgnbd-seasonal") return base;
  if (name === "pareto-nbd") {
    const near = backtest.pareto ?? { r: base.bgnbd.r, alpha: base.bgnbd.alpha, s: 1, beta: base.bgnbd.alpha };
    const pareto = fitParetoNbd(countsFor(now, all), { starts: [{ label: "backtest-fit", params: near }] });
    // A fit that fails on the whole history leaves the shop on BG/NBD in the same time frame.
    if (!pareto.diagnostics.converged || pareto.diagnostics.atBounds.length > 0) return base;
    return { ...base, kind: "pareto-nbd", paretoNbd: pareto.params };
  }
  // Trained: the corrections are learnt on the backtest's own window (features at the cut-off, the orders since).
  return { ...base, kind: "trained", trained: trainCorrection(backtest.base, history, backtest.test, backtest.H) };
}

export type { PurchaseModelKind };
