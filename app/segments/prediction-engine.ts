import type { Day } from "~/profiles/days";
import type { CustomerPrediction, PurchaseSummary } from "./predictions";
import type { SegmentSettings } from "./settings";

// The one module that talks to ./predictive (BG/NBD, Gamma-Gamma, CLV). Until that module is merged, there are no
// fitted models: every prediction is null, and segmentation falls back to what it can judge without them
// (high-value at risk uses 12-month spend; lifecycle lines omit "likely active").

/** The fitted models of one shop, as stored in its model state (JSON). */
export type PredictiveState = { [key: string]: unknown };

export type TimeUnit = "day" | "week";

export interface FitInput {
  /** One entry per buyer, in days. */
  summaries: readonly PurchaseSummary[];
  asOf: Day;
  /** The time unit the models are fitted in (their parameters depend on it; predictions do not). */
  unit: TimeUnit;
}

export interface FitReport {
  state: PredictiveState | null;
  /** What the shop's predictions rest on, for model.json and the admin ("none" before the models exist). */
  fallback: string;
}

export function fitPredictive(_input: FitInput, _settings: SegmentSettings["predictions"]): FitReport {
  return { state: null, fallback: "none" };
}

export function predictCustomer(
  _state: PredictiveState | null,
  _summary: PurchaseSummary | null,
  _settings: SegmentSettings["predictions"],
): CustomerPrediction | null {
  return null;
}

/** The fitted parameters for model.json: {"bgnbd": {r, alpha, a, b, logLikelihood}, "gammaGamma": {p, q, gamma, logLikelihood}}. */
export function modelReport(_state: PredictiveState | null): { bgnbd: Record<string, number> | null; gammaGamma: Record<string, number> | null } {
  return { bgnbd: null, gammaGamma: null };
}
