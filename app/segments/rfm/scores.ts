import type { CustomerProfile } from "~/profiles/profile";
import { sortedCopy } from "../quantiles";

// RFM scores 1–5 per shop, among customers with at least one purchase (prospects have no scores):
//   R from the day of the last purchase (later is better), F from purchases, M from net spend.
// Quintiles by mid-rank: a value's percentile is (customers below it + half of those equal to it) / buyers, and
// its score is the fifth that percentile falls in (p < 0.2 → 1, …, p ≥ 0.8 → 5). Equal values therefore always
// share a score, the score of the middle of their block: if 60% of buyers have one purchase, they all score F2
// (their block spans 0–60%, its middle is 30%). Scores can be empty or hold more than 20%; see
// docs/segments.md#rfm.
//
// The shop's model state keeps the outcome as four cut-offs, c_k = the largest value scoring k or less (null when
// no value does), so a single customer is scored between full passes without re-ranking everyone:
//   score = 1 + the number of cut-offs below the value (a null cut-off counts as below everything).

export type Cutoffs = Array<number | null>;

export interface RfmCutoffs {
  /** Last purchase Days. */
  recency: Cutoffs;
  frequency: Cutoffs;
  monetary: Cutoffs;
}

export interface RfmScores {
  r: number;
  f: number;
  m: number;
  /** (F + M) / 2 */
  fm: number;
}

/** The score of a block of equal values starting at sorted position `below` and `count` long, among n. */
function blockScore(below: number, count: number, n: number): number {
  // floor(5 · (below + count/2) / n) + 1, in integers so a percentile exactly on a fifth is not lost to rounding.
  return Math.min(5, Math.floor((5 * (2 * below + count)) / (2 * n)) + 1);
}

export function cutoffs(values: ArrayLike<number>): Cutoffs {
  const sorted = sortedCopy(values);
  const result: Cutoffs = [null, null, null, null];
  for (let start = 0; start < sorted.length;) {
    let end = start + 1;
    while (end < sorted.length && sorted[end] === sorted[start]) end += 1;
    const blockValue = sorted[start] as number;
    for (let k = blockScore(start, end - start, sorted.length); k <= 4; k += 1) result[k - 1] = blockValue;
    start = end;
  }
  return result;
}

export function rfmCutoffs(
  lastOrderDays: ArrayLike<number>,
  orders: ArrayLike<number>,
  netSpendMinor: ArrayLike<number>,
): RfmCutoffs | null {
  if (lastOrderDays.length === 0) return null;
  return { recency: cutoffs(lastOrderDays), frequency: cutoffs(orders), monetary: cutoffs(netSpendMinor) };
}

export function score(value: number, cuts: Readonly<Cutoffs>): number {
  let result = 1;
  for (const cut of cuts) if (cut === null || value > cut) result += 1;
  return result;
}

export function rfmScores(profile: CustomerProfile, model: RfmCutoffs | null): RfmScores | null {
  if (!model || profile.lastOrderDay === null) return null;
  const r = score(profile.lastOrderDay, model.recency);
  const f = score(profile.orders, model.frequency);
  const m = score(profile.netSpendMinor, model.monetary);
  return { r, f, m, fm: (f + m) / 2 };
}
