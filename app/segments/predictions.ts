import type { Day } from "~/profiles/days";
import type { PurchaseOccasion } from "~/profiles/orders";

// The seam between segmentation and the purchase-frequency and monetary models (BG/NBD, Gamma-Gamma, CLV) in
// ./predictive. Everything else in app/segments sees only these types, so the models can change without touching
// tiers, RFM, lifecycle or explanations.

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
