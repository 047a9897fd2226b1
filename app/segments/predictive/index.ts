// Public interface of Cadence's predictive models (BG/NBD, Gamma-Gamma, CLV) — pure TypeScript, no I/O.
// Definitions, units, fallback rules and validation: docs/predictions.md. Numerics: docs/decisions/0101.

// ── Purchase summaries ─────────────────────────────────────────────────────────────────────────────────────────

/** `YYYY-MM-DD` calendar day (no time, no zone). */
export type { CalendarDay } from "./calendar-days.ts";
/** `day` or `week` (= 7 days); the unit of x's companions t_x and T and of BG/NBD's α. */
export type { TimeUnit } from "./purchase-summary.ts";
/** Days per time unit: `{ day: 1, week: 7 }`. */
export { UNIT_DAYS } from "./purchase-summary.ts";
/** A purchase `{ date, amount }`, and the same with a `customerId`. */
export type { Purchase, CustomerPurchase } from "./purchase-summary.ts";
/** `{ asOf, unit }`: the calibration period (purchases up to and including `asOf`) and the time unit. */
export type { SummaryOptions } from "./purchase-summary.ts";
/** x, t_x (`tx`), T, monetary (mean repeat-occasion value), totalValue, first/last purchase day, asOf, unit. */
export type { PurchaseSummary } from "./purchase-summary.ts";
/** One customer's purchases → `PurchaseSummary`, or null when none is on or before `asOf`. Same-day purchases merge. */
export { summarisePurchases } from "./purchase-summary.ts";
/** A shop's purchases (any order) → `Map<customerId, PurchaseSummary>`. */
export { summariseByCustomer } from "./purchase-summary.ts";

// ── BG/NBD (Fader, Hardie & Lee 2005) ──────────────────────────────────────────────────────────────────────────

/** `{ r, alpha, a, b }`: λ ~ Gamma(r, α) with α in the model unit; dropout p ~ Beta(a, b). */
export type { BgNbdParams, RecencyFrequency } from "./bgnbd-likelihood.ts";
/** Σ log-likelihood of customers' (x, t_x, T) at given parameters. */
export { bgnbdLogLikelihood } from "./bgnbd-likelihood.ts";
/** Maximum-likelihood (or, with `prior`, MAP) fit from several starts on log-parameters with bounds. */
export { fitBgNbd, defaultBgNbdStarts } from "./bgnbd-fit.ts";
export type { BgNbdFit, BgNbdFitOptions } from "./bgnbd-fit.ts";
/** P(alive | x, t_x, T); 1 for x = 0 by the model's construction. */
export { probabilityAlive } from "./bgnbd.ts";
/** E[X(t)] for a new customer (t in the model unit). */
export { expectedPurchasesNewCustomer } from "./bgnbd.ts";
/** E[Y(t) | x, t_x, T]: expected purchases in the next t. */
export { conditionalExpectedPurchases } from "./bgnbd.ts";
/** P(X(t) = n) for a new customer. */
export { probabilityOfPurchases } from "./bgnbd.ts";
/** P(at least one purchase in the next t | x, t_x, T). */
export { probabilityOfPurchaseWithin } from "./bgnbd.ts";
/** Median wait (model unit) until the next purchase, dropout counted; null when P(alive) ≤ 1/2. */
export { medianTimeToNextPurchase } from "./bgnbd.ts";

// ── Gamma-Gamma (Fader & Hardie 2013) ──────────────────────────────────────────────────────────────────────────

/** `{ p, q, gamma }` (γ in the currency unit of the amounts) and the `{ x, monetary }` it is fitted on. */
export type { GammaGammaParams, FrequencyValue, GammaGammaFit, GammaGammaFitOptions } from "./gamma-gamma.ts";
/** Fit on customers with x ≥ 1 and monetary > 0 (throws when there are none). */
export { fitGammaGamma, defaultGammaGammaStarts } from "./gamma-gamma.ts";
/** Σ log-likelihood over customers with x ≥ 1 and monetary > 0. */
export { gammaGammaLogLikelihood } from "./gamma-gamma.ts";
/** E[order value | x, monetary]; the population mean p γ / (q − 1) without repeat value. */
export { conditionalExpectedOrderValue, populationMeanValue } from "./gamma-gamma.ts";

// ── CLV ────────────────────────────────────────────────────────────────────────────────────────────────────────

/** `{ annualDiscountRate, horizonMonths }`; a month is 365/12 days. */
export type { ClvSettings } from "./clv.ts";
/** Discounted expected value over the horizon: monthly expected orders × order value / (1+rate)^(k/12). */
export { customerLifetimeValue, DAYS_PER_MONTH } from "./clv.ts";

// ── Fitting diagnostics and priors ─────────────────────────────────────────────────────────────────────────────

/** Starting point, per-start outcome, fit diagnostics, log-normal prior on log-parameters. */
export type { FitStart, StartOutcome, FitDiagnostics, LogNormalPrior } from "./multi-start.ts";
/** Why an optimisation stopped: `gradient` (converged), `max-iterations`, `line-search`, `non-finite-start`. */
export type { StopReason } from "./optimiser.ts";
/** CDNOW's BG/NBD estimates with α in days, and Gamma-Gamma shape: the centres of the population priors. */
export { CDNOW_BGNBD_DAYS, CDNOW_GAMMA_GAMMA_SHAPE } from "./priors.ts";
/** ₂F₁(A, B; C; z) for A, B > 0, C > B − 1, 0 ≤ z < 1 (BG/NBD's region). */
export { hypergeometric2F1 } from "./hypergeometric.ts";

// ── Shop model: fallback, confidence, per-customer predictions ─────────────────────────────────────────────────

/** `high` | `medium` | `low`, and `mle` | `map` | `prior`. */
export type { Confidence, FitMethod, PredictionThresholds } from "./fallback-rules.ts";
/** Default fallback and confidence thresholds (docs/predictions.md has the table). */
export { DEFAULT_THRESHOLDS } from "./fallback-rules.ts";
/** Counts that decide the fallback: customers, repeat customers, history days, … */
export type { ShopData } from "./shop-data.ts";
/** Options, stored model state (JSON), per-model fit record and per-customer predictions. */
export type { PredictionOptions, PredictiveModelState, ModelFit, CustomerPrediction } from "./shop-model.ts";
/** Fit a shop's models with honest fallbacks. */
export { fitShopModel } from "./shop-model.ts";
/** Predict for one customer from a stored model state. */
export { predictCustomer } from "./shop-model.ts";
/** `fitShopModel` then `predictCustomer` for each summary (same order). */
export { predictShop } from "./shop-model.ts";
/** Expected purchase days and the chance of at least one in the next N days, from the state's purchase model. */
export { predictHorizon, forecastCustomer, purchaseModelOf } from "./shop-model.ts";

// ── Backtest and model choice ──────────────────────────────────────────────────────────────────────────────────

/** Every customer's purchase occasions packed for cutting at earlier dates. */
export { PurchaseHistory, PurchaseHistoryBuilder } from "./purchase-history.ts";
export type { CustomerAtCut } from "./purchase-history.ts";
/** The backtest of a fit, the candidates and the rule that picks one. */
export { chooseModel, backtestHorizon, backtestConfidence, CANDIDATE_WORDS } from "./model-choice.ts";
export type { BacktestReport, CandidateName, CandidateResult, ModelChoice } from "./model-choice.ts";
/** The purchase model a state predicts with (BG/NBD, Pareto/NBD or trained corrections, optionally seasonal). */
export { forecast, FEATURE_NAMES } from "./purchase-model.ts";
export type { PurchaseModelState, PurchaseModelKind, Forecast, TrainedCorrection } from "./purchase-model.ts";
/** Aggregate error, AUC, calibration by decile, error per customer and Poisson deviance of a forecast. */
export { scoreForecast, areaUnderCurve } from "./forecast-score.ts";
export type { ForecastScore, CalibrationDecile } from "./forecast-score.ts";
/** Pareto/NBD (Schmittlein, Morrison & Colombo 1987). */
export type { ParetoNbdParams } from "./pareto-nbd.ts";
export {
  paretoProbabilityAlive,
  paretoConditionalExpectedPurchases,
  paretoProbabilityOfPurchaseWithin,
  paretoMedianTimeToNextPurchase,
} from "./pareto-nbd.ts";
export { fitParetoNbd, paretoNbdLogLikelihood } from "./pareto-nbd-fit.ts";
/** A shop's monthly seasonal intensity and the operational clock it implies. */
export { estimateSeasonalIndex, operationalClock, calendarSpan } from "./seasonality.ts";
export type { SeasonalIndex } from "./seasonality.ts";
/** Ridge Poisson / logistic regression with an offset. */
export { fitRidgeGlm, linearPredictor } from "./ridge-glm.ts";
export type { GlmFit } from "./ridge-glm.ts";

// ── Simulation ─────────────────────────────────────────────────────────────────────────────────────────────────

/** Seeded synthetic purchases of a shop under BG/NBD (α in days) and Gamma-Gamma, for tests, benchmarks, demos. */
export { simulatePurchases } from "./simulate.ts";
export type { SimulationOptions } from "./simulate.ts";
