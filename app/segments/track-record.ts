import type { BacktestReport, CandidateName, ForecastScore } from "./predictive";

// The backtest of a shop's predictions in the merchant's words: how many repeat orders Cadence expected over the
// last horizon against how many came, how often it ranked who would return correctly, which model it now uses and
// why, and the confidence label the backtest gives. Used by the admin pages, model.json and the CLI alike.

export interface TrackRecord {
  /** "Over the last 90 days Cadence expected 1,210 repeat orders; 1,187 came." */
  headline: string;
  /** "It ranked who would return correctly 74% of the time." (null when nobody, or everybody, returned) */
  ranking: string | null;
  /** Which model Cadence uses now and how it compared with the textbook one. */
  model: string;
  /** "Seasonal pattern used: …" or why not. */
  seasonality: string;
  confidence: "high" | "medium" | "low";
  confidenceReason: string;
  horizonDays: number;
  cutoff: string;
  asOf: string;
  expectedOrders: number;
  actualOrders: number;
  auc: number | null;
}

const MODEL_NAMES: Record<CandidateName, string> = {
  bgnbd: "the standard BG/NBD model",
  "bgnbd-seasonal": "BG/NBD with your shop's seasonal pattern",
  "pareto-nbd": "the Pareto/NBD model",
  trained: "a model trained on your shop's own history",
};

const whole = (n: number) => Math.round(n).toLocaleString("en");
const percent = (share: number) => `${Math.round(share * 100)}%`;

function orders(n: number): string {
  return `${whole(n)} repeat ${Math.round(n) === 1 ? "order" : "orders"}`;
}

function comparison(chosen: Omit<ForecastScore, "calibration">, textbook: Omit<ForecastScore, "calibration">): string {
  const error = (s: Omit<ForecastScore, "calibration">) =>
    s.relativeError === null ? "—" : `${s.relativeError >= 0 ? "+" : "−"}${percent(Math.abs(s.relativeError))}`;
  const auc = (s: Omit<ForecastScore, "calibration">) => (s.auc === null ? "—" : percent(s.auc));
  return `on the same test it was off by ${error(chosen)} and ranked ${auc(
    chosen,
  )} correctly; the standard model was off by ${error(textbook)} and ranked ${auc(textbook)}`;
}

export function trackRecord(backtest: BacktestReport): TrackRecord {
  const { score, chosen } = backtest;
  // Model against model on the same customers (the candidates' scores share one sample on large shops).
  const compared = (name: CandidateName) => backtest.candidates.find((c) => c.name === name)?.score;
  const textbook = compared("bgnbd") ?? backtest.textbook;
  const chosenCompared = compared(chosen.name) ?? score;
  const name =
    MODEL_NAMES[chosen.name] +
    (chosen.seasonal && chosen.name !== "bgnbd-seasonal" ? ", with your shop's seasonal pattern" : "");
  const model =
    chosen.name === "bgnbd"
      ? `Cadence uses ${name}: ${chosen.why}.`
      : `Cadence now uses ${name}, which beat the standard model on this test (${percent(
          chosen.devianceReductionVsTextbook,
        )} lower error per customer): ${comparison(chosenCompared, textbook)}.`;
  const effect = backtest.seasonality.effect;
  const seasonality = backtest.seasonality.used
    ? `Seasonal pattern used: with it the test was off by ${
        effect?.with.relativeError == null ? "—" : percent(Math.abs(effect.with.relativeError))
      }, without it by ${
        effect?.without.relativeError == null ? "—" : percent(Math.abs(effect.without.relativeError))
      }.`
    : `No seasonal pattern: ${backtest.seasonality.reason}.`;
  return {
    headline: `Over the last ${whole(backtest.horizonDays)} days Cadence expected ${orders(
      score.expectedOrders,
    )}; ${whole(score.actualOrders)} came.`,
    ranking: score.auc === null ? null : `It ranked who would return correctly ${percent(score.auc)} of the time.`,
    model,
    seasonality,
    confidence: backtest.confidence,
    confidenceReason: backtest.confidenceReason,
    horizonDays: backtest.horizonDays,
    cutoff: backtest.cutoff,
    asOf: backtest.asOf,
    expectedOrders: score.expectedOrders,
    actualOrders: score.actualOrders,
    auc: score.auc,
  };
}
