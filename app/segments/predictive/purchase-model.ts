// The purchase model a shop's predictions come from, chosen by its backtest (model-choice.ts): BG/NBD, Pareto/NBD,
// or BG/NBD corrected per customer by models trained on the shop's own earlier window; each optionally in the
// shop's seasonal operational time (seasonality.ts). One interface for all: a customer's forecast of orders and of
// the chance of ordering over any horizon in days.
import {
  conditionalExpectedPurchases,
  medianTimeToNextPurchase,
  probabilityAlive,
  probabilityOfPurchaseWithin,
} from "./bgnbd.ts";
import type { BgNbdParams, RecencyFrequency } from "./bgnbd-likelihood.ts";
import {
  paretoConditionalExpectedPurchases,
  paretoMedianTimeToNextPurchase,
  paretoProbabilityAlive,
  paretoProbabilityOfPurchaseWithin,
} from "./pareto-nbd.ts";
import type { ParetoNbdParams } from "./pareto-nbd.ts";
import type { CustomerAtCut } from "./purchase-history.ts";
import { linearPredictor } from "./ridge-glm.ts";
import type { GlmFit } from "./ridge-glm.ts";
import { calendarSpan, operationalClock } from "./seasonality.ts";
import type { SeasonalIndex } from "./seasonality.ts";
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

/** The customer's (x, t_x, T) in the model's operational unit. */
export function operationalSummary(
  model: Pick<PurchaseModelState, "seasonality" | "unitDays">,
  c: CustomerAtCut,
): RecencyFrequency {
  const clock = operationalClock(model.seasonality);
  const first = clock(c.firstDay);
  return { x: c.x, tx: (clock(c.lastDay) - first) / model.unitDays, T: (clock(c.asOfDay) - first) / model.unitDays };
}

// One class per model rather than closures: a full pass makes a forecast per customer, hundreds of thousands of them.
abstract class ModelForecast implements Forecast {
  abstract readonly pAlive: number;
  private readonly clock: (day: number) => number;
  private readonly start: number;

  constructor(
    protected readonly model: PurchaseModelState,
    protected readonly c: CustomerAtCut,
    readonly rf: RecencyFrequency,
  ) {
    this.clock = operationalClock(model.seasonality);
    this.start = this.clock(c.asOfDay);
  }

  /** A horizon in calendar days as operational time in the model unit. */
  protected span(days: number): number {
    return this.model.seasonality
      ? (this.clock(this.c.asOfDay + days) - this.start) / this.model.unitDays
      : days / this.model.unitDays;
  }

  protected toDays(units: number): number {
    return calendarSpan(this.model.seasonality, this.c.asOfDay, units * this.model.unitDays);
  }

  abstract expectedOrders(days: number): number;
  abstract probabilityOfOrder(days: number): number;
  abstract medianDaysToNextOrder(limitDays: number): number | null;
}

class BgNbdForecast extends ModelForecast {
  readonly pAlive = probabilityAlive(this.model.bgnbd, this.rf);

  expectedOrders(days: number): number {
    return conditionalExpectedPurchases(this.model.bgnbd, this.rf, this.span(days));
  }

  probabilityOfOrder(days: number): number {
    return probabilityOfPurchaseWithin(this.model.bgnbd, this.rf, this.span(days));
  }

  medianDaysToNextOrder(limitDays: number): number | null {
    const units = medianTimeToNextPurchase(this.model.bgnbd, this.rf);
    return units === null || units > this.span(limitDays) ? null : this.toDays(units);
  }
}

class ParetoNbdForecast extends ModelForecast {
  private readonly params = this.model.paretoNbd as ParetoNbdParams;
  readonly pAlive = paretoProbabilityAlive(this.params, this.rf);

  expectedOrders(days: number): number {
    return paretoConditionalExpectedPurchases(this.params, this.rf, this.span(days), this.pAlive);
  }

  probabilityOfOrder(days: number): number {
    return paretoProbabilityOfPurchaseWithin(this.params, this.rf, this.span(days), this.pAlive);
  }

  medianDaysToNextOrder(limitDays: number): number | null {
    const units = paretoMedianTimeToNextPurchase(this.params, this.rf, this.span(limitDays));
    return units === null ? null : this.toDays(units);
  }
}

class TrainedForecast extends BgNbdForecast {
  private readonly multiplier: number;
  private readonly shift: number;

  constructor(model: PurchaseModelState, c: CustomerAtCut, rf: RecencyFrequency) {
    super(model, c, rf);
    const trained = model.trained as TrainedCorrection;
    const features = trainedFeatures(c, this.pAlive, super.expectedOrders(trained.horizonDays));
    this.multiplier = Math.exp(Math.min(linearPredictor(trained.orders, features), 30));
    this.shift = linearPredictor(trained.returning, features);
  }

  override expectedOrders(days: number): number {
    return super.expectedOrders(days) * this.multiplier;
  }

  override probabilityOfOrder(days: number): number {
    return logistic(logit(super.probabilityOfOrder(days)) + this.shift);
  }

  override medianDaysToNextOrder(limitDays: number): number | null {
    // σ(logit P_BG(t) + shift) = ½  ⇔  P_BG(t) = σ(−shift), which BG/NBD inverts in closed form.
    const target = logistic(-this.shift);
    if (!(target < this.pAlive)) return null;
    const { r, alpha } = this.model.bgnbd;
    const units = (alpha + this.rf.T) * Math.expm1(-Math.log1p(-target / this.pAlive) / (r + this.rf.x));
    return units > this.span(limitDays) ? null : this.toDays(units);
  }
}

/** `stationary` may give the customer's exact (x, t_x, T) in the model unit, used when there is no seasonality. */
export function forecast(model: PurchaseModelState, c: CustomerAtCut, stationary?: RecencyFrequency): Forecast {
  const rf = stationary && !model.seasonality ? stationary : operationalSummary(model, c);
  if (model.kind === "pareto-nbd" && model.paretoNbd) return new ParetoNbdForecast(model, c, rf);
  if (model.kind === "trained" && model.trained) return new TrainedForecast(model, c, rf);
  return new BgNbdForecast(model, c, rf);
}
