// When a shop's data can carry a model, and how far its predictions can be trusted. The rules are written out in
// docs/predictions.md; the numbers are settings with these defaults.
import type { FitDiagnostics } from "./multi-start.ts";
import type { ShopData } from "./shop-data.ts";

/** Trust in a prediction: `high` = Klaviyo-grade data, `medium` = usable, `low` = mostly assumption. */
export type Confidence = "high" | "medium" | "low";

/**
 * How a model's parameters were obtained: `mle` maximum likelihood on the shop's data; `map` maximum a posteriori,
 * i.e. the likelihood shrunk toward the population prior (small shops, or an unstable MLE); `prior` the
 * population prior alone (too little data to fit anything).
 */
export type FitMethod = "mle" | "map" | "prior";

export interface PredictionThresholds {
  /** BG/NBD maximum likelihood is tried only with this many customers, repeat customers and days of history. */
  mleCustomers: number;
  mleRepeatCustomers: number;
  mleHistoryDays: number;
  /** A BG/NBD MLE is `high` confidence with this much data (Klaviyo asks 500 buyers and 180 days). */
  highCustomers: number;
  highRepeatCustomers: number;
  highHistoryDays: number;
  /** Below this many customers, or this many repeat customers, BG/NBD uses the prior alone. */
  mapCustomers: number;
  mapRepeatCustomers: number;
  /** A BG/NBD MAP fit is `medium` confidence with this much data, otherwise `low`. */
  mediumMapCustomers: number;
  mediumMapRepeatCustomers: number;
  mediumMapHistoryDays: number;
  /** Gamma-Gamma, counted in repeat customers with a positive mean repeat value. */
  gammaGammaMleCustomers: number;
  gammaGammaHighCustomers: number;
  gammaGammaMapCustomers: number;
  gammaGammaMediumMapCustomers: number;
  /** A one-time buyer quiet for this many days carries `medium` individual evidence (their silence says something). */
  quietDaysForMedium: number;
}

export const DEFAULT_THRESHOLDS: Readonly<PredictionThresholds> = {
  mleCustomers: 100,
  mleRepeatCustomers: 20,
  mleHistoryDays: 90,
  highCustomers: 500,
  highRepeatCustomers: 100,
  highHistoryDays: 180,
  mapCustomers: 10,
  mapRepeatCustomers: 1,
  mediumMapCustomers: 50,
  mediumMapRepeatCustomers: 10,
  mediumMapHistoryDays: 90,
  gammaGammaMleCustomers: 50,
  gammaGammaHighCustomers: 200,
  gammaGammaMapCustomers: 5,
  gammaGammaMediumMapCustomers: 20,
  quietDaysForMedium: 180,
};

const RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };

/** The least of several confidence labels. */
export function lowestConfidence(...labels: Confidence[]): Confidence {
  return labels.reduce((a, b) => (RANK[b] < RANK[a] ? b : a), "high");
}

const count = (n: number, what: string) => `${n.toLocaleString("en")} ${what}`;

function shortfalls(checks: [number, number, string][]): string[] {
  return checks
    .filter(([have, need]) => have < need)
    .map(([have, need, what]) => `${count(have, what)} (needs ${need.toLocaleString("en")})`);
}

/** The method a shop's BG/NBD data allow before fitting, with the reason in words. */
export function planBgNbd(shop: ShopData, t: PredictionThresholds): { method: FitMethod; reason: string } {
  const tooSmall = shortfalls([
    [shop.customers, t.mapCustomers, "customers"],
    [shop.repeatCustomers, t.mapRepeatCustomers, "repeat customers"],
  ]);
  if (tooSmall.length > 0) return { method: "prior", reason: `population prior only: ${tooSmall.join(", ")}` };
  const short = shortfalls([
    [shop.customers, t.mleCustomers, "customers"],
    [shop.repeatCustomers, t.mleRepeatCustomers, "repeat customers"],
    [shop.historyDays, t.mleHistoryDays, "days of history"],
  ]);
  if (short.length > 0)
    return { method: "map", reason: `shrunk toward the population prior: ${short.join(", ")} for maximum likelihood` };
  return {
    method: "mle",
    reason: `maximum likelihood: ${count(shop.customers, "customers")}, ${count(
      shop.repeatCustomers,
      "repeat customers",
    )}, ${count(shop.historyDays, "days of history")}`,
  };
}

/** The method the shop's order values allow for Gamma-Gamma before fitting. */
export function planGammaGamma(shop: ShopData, t: PredictionThresholds): { method: FitMethod; reason: string } {
  const n = shop.valuedRepeatCustomers;
  const what = "repeat customers with order value";
  if (n < t.gammaGammaMapCustomers) {
    return {
      method: "prior",
      reason: `population prior scaled to the shop's mean order value: ${count(n, what)} (a fit needs ${
        t.gammaGammaMapCustomers
      })`,
    };
  }
  if (n < t.gammaGammaMleCustomers) {
    return {
      method: "map",
      reason: `shrunk toward the population prior: ${count(n, what)} (maximum likelihood needs ${
        t.gammaGammaMleCustomers
      })`,
    };
  }
  return { method: "mle", reason: `maximum likelihood: ${count(n, what)}` };
}

/** Why a fit cannot be trusted as the shop's model, or null when it can (converged, inside the bounds). */
export function fitProblem<P extends object>(diagnostics: FitDiagnostics<P>, logLikelihood: number): string | null {
  if (!Number.isFinite(logLikelihood)) return "the log-likelihood is not finite";
  if (!diagnostics.converged)
    return `the optimiser did not converge (gradient ${diagnostics.gradientNorm.toExponential(1)})`;
  if (diagnostics.atBounds.length > 0) return `${diagnostics.atBounds.join(", ")} ran to the edge of the search box`;
  return null;
}

export function bgnbdConfidence(method: FitMethod, shop: ShopData, t: PredictionThresholds): Confidence {
  if (method === "mle") {
    const high =
      shop.customers >= t.highCustomers &&
      shop.repeatCustomers >= t.highRepeatCustomers &&
      shop.historyDays >= t.highHistoryDays;
    return high ? "high" : "medium";
  }
  if (method === "map") {
    const medium =
      shop.customers >= t.mediumMapCustomers &&
      shop.repeatCustomers >= t.mediumMapRepeatCustomers &&
      shop.historyDays >= t.mediumMapHistoryDays;
    return medium ? "medium" : "low";
  }
  return "low";
}

export function gammaGammaConfidence(method: FitMethod, shop: ShopData, t: PredictionThresholds): Confidence {
  if (method === "mle") return shop.valuedRepeatCustomers >= t.gammaGammaHighCustomers ? "high" : "medium";
  if (method === "map") return shop.valuedRepeatCustomers >= t.gammaGammaMediumMapCustomers ? "medium" : "low";
  return "low";
}

/** How much a customer's own history says: ≥ 3 purchase days high; 2, or 1 long ago, medium; 1 recent low. */
export function customerEvidence(
  x: number,
  daysSinceFirst: number,
  t: PredictionThresholds,
): { confidence: Confidence; reason: string } {
  if (x >= 2) return { confidence: "high", reason: `${x + 1} purchase days` };
  if (x === 1) return { confidence: "medium", reason: "2 purchase days" };
  if (daysSinceFirst >= t.quietDaysForMedium)
    return { confidence: "medium", reason: `one purchase day, ${daysSinceFirst} days ago` };
  return { confidence: "low", reason: `one purchase day, ${daysSinceFirst} days ago` };
}
