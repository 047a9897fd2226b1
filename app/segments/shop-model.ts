import type { Day } from "~/profiles/days";
import type { PurchaseOccasion } from "~/profiles/orders";
import type { CustomerProfile } from "~/profiles/profile";
import { median } from "~/profiles/statistics";
import { fitPredictive, HistoryCollector, predictCustomer, purchaseSummary } from "./predictions";
import type { PredictiveState, TimeUnit, PurchaseSummary } from "./predictions";
import { nearestRank, sortedCopy } from "./quantiles";
import { rfmCutoffs } from "./rfm/scores";
import type { RfmCutoffs } from "./rfm/scores";
import type { SegmentSettings } from "./settings";

// A shop's model state: everything about the shop as a whole that classifying one customer needs (RFM cut-offs,
// the typical gap between purchases, the high-value cut-off, the fitted prediction models). A full pass rebuilds
// it from every customer; between passes, single customers are classified against it without refitting.

export interface ShopModel {
  asOf: Day;
  currency: string;
  customers: number;
  buyers: number;
  repeatBuyers: number;
  /** Median of repeat buyers' median gaps between purchase days; settings' fallback until there are any. */
  typicalGapDays: number;
  typicalGapSource: "shop" | "fallback";
  rfm: RfmCutoffs | null;
  /** The value that puts a buyer in the top highValueTopShare of 12-month value. */
  valueCutoffMinor: number | null;
  valueBasis: "clv12m" | "netSpend365";
  predictive: PredictiveState | null;
  fallback: string;
}

export interface BuiltShopModel {
  model: ShopModel;
  /** Net spend of the last 365 days of every buyer active in that window: the input of the default program. */
  recentSpendMinor: number[];
  /** Time the predictions' backtest and model choice took (part of building the model), in milliseconds. */
  backtestMillis: number;
}

/**
 * Collects the few numbers per customer a shop model needs (bounded memory: ~10 numbers per customer, and each
 * purchase day packed in 12 bytes for the backtest, never their orders), then builds the model.
 */
export class ShopModelBuilder {
  private customers = 0;
  private readonly lastOrderDays: number[] = [];
  private readonly orders: number[] = [];
  private readonly netSpend: number[] = [];
  private readonly recentSpend: number[] = [];
  private readonly recentSpendOfBuyers: number[] = [];
  private readonly medianGaps: number[] = [];
  private readonly summaries: PurchaseSummary[] = [];
  private readonly history: HistoryCollector;

  constructor(
    private readonly asOf: Day,
    private readonly currency: string,
    private readonly unit: TimeUnit = "day",
  ) {
    this.history = new HistoryCollector(currency);
  }

  add(profile: CustomerProfile, occasions: readonly PurchaseOccasion[]): void {
    this.customers += 1;
    if (profile.lastOrderDay === null) return;
    this.lastOrderDays.push(profile.lastOrderDay);
    this.orders.push(profile.orders);
    this.netSpend.push(profile.netSpendMinor);
    this.recentSpendOfBuyers.push(profile.netSpend365Minor);
    if (profile.orders365 > 0) this.recentSpend.push(profile.netSpend365Minor);
    if (profile.medianIntervalDays !== null) this.medianGaps.push(profile.medianIntervalDays);
    const summary = purchaseSummary(occasions, this.asOf);
    if (summary) {
      this.summaries.push(summary);
      this.history.add(occasions);
    }
  }

  build(settings: SegmentSettings): BuiltShopModel {
    const fit = fitPredictive(
      {
        summaries: this.summaries,
        history: this.history.build(),
        asOf: this.asOf,
        unit: this.unit,
        currency: this.currency,
      },
      settings.predictions,
    );
    const values = fit.state
      ? this.summaries.map((summary) => predictCustomer(fit.state, summary, settings.predictions)?.clv12mMinor ?? 0)
      : this.recentSpendOfBuyers;
    const model: ShopModel = {
      asOf: this.asOf,
      currency: this.currency,
      customers: this.customers,
      buyers: this.lastOrderDays.length,
      repeatBuyers: this.medianGaps.length,
      typicalGapDays: this.medianGaps.length > 0 ? median(this.medianGaps) : settings.lifecycle.fallbackGapDays,
      typicalGapSource: this.medianGaps.length > 0 ? "shop" : "fallback",
      rfm: rfmCutoffs(this.lastOrderDays, this.orders, this.netSpend),
      valueCutoffMinor:
        values.length > 0 ? nearestRank(sortedCopy(values), 1 - settings.winback.highValueTopShare) : null,
      valueBasis: fit.state ? "clv12m" : "netSpend365",
      predictive: fit.state,
      fallback: fit.fallback,
    };
    return { model, recentSpendMinor: this.recentSpend, backtestMillis: fit.backtestMillis };
  }
}

/** The model of a shop no full pass has seen yet: no cut-offs, the fallback gap. */
export function emptyShopModel(asOf: Day, currency: string, settings: SegmentSettings): ShopModel {
  return new ShopModelBuilder(asOf, currency).build(settings).model;
}
