import type { CustomerProfile } from "~/profiles/profile";
import { nearestRank, sortedCopy } from "../quantiles";

// RFM scores 1–5 per shop, among customers with at least one purchase (prospects have no scores):
//   R from the day of the last purchase (later is better), F from purchases, M from net spend.
// Cut-offs are the 20/40/60/80% nearest-rank quantiles of the shop's buyers, kept in the shop's model state so a
// single customer can be scored between full passes without re-ranking everyone.
//
// score = 1 + the number of cut-offs strictly below the value. Ties: equal values always get the same score, and a
// value equal to a cut-off gets the lower score. When many customers share a value (most have 1 purchase), a
// score can hold more than 20% of customers and a higher score can be empty; see docs/segments.md#rfm.

export interface RfmCutoffs {
  /** Last purchase Days. */
  recency: number[];
  frequency: number[];
  monetary: number[];
}

export interface RfmScores {
  r: number;
  f: number;
  m: number;
  /** (F + M) / 2 */
  fm: number;
}

const QUANTILES = [0.2, 0.4, 0.6, 0.8];

export function cutoffs(values: ArrayLike<number>): number[] {
  const sorted = sortedCopy(values);
  return QUANTILES.map((q) => nearestRank(sorted, q));
}

export function rfmCutoffs(lastOrderDays: ArrayLike<number>, orders: ArrayLike<number>, netSpendMinor: ArrayLike<number>): RfmCutoffs | null {
  if (lastOrderDays.length === 0) return null;
  return { recency: cutoffs(lastOrderDays), frequency: cutoffs(orders), monetary: cutoffs(netSpendMinor) };
}

export function score(value: number, cuts: readonly number[]): number {
  let result = 1;
  for (const cut of cuts) if (value > cut) result += 1;
  return result;
}

export function rfmScores(profile: CustomerProfile, model: RfmCutoffs | null): RfmScores | null {
  if (!model || profile.lastOrderDay === null) return null;
  const r = score(profile.lastOrderDay, model.recency);
  const f = score(profile.orders, model.frequency);
  const m = score(profile.netSpendMinor, model.monetary);
  return { r, f, m, fm: (f + m) / 2 };
}
