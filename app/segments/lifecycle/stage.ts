import type { CustomerProfile } from "~/profiles/profile";
import type { SegmentSettings } from "../settings";

// Lifecycle stage, judged against the customer's own purchase cadence. A customer's expected gap between
// purchases is their mean gap shrunk toward the shop's typical gap (credibility weighting): with n gaps of their
// own and k = shrinkageIntervals pseudo-gaps at the shop's typical length,
//     expected gap = (n · own mean gap + k · shop gap) / (n + k)
// so a one-order customer is judged by the shop's cadence, and a customer with many orders by their own.
// ratio = days since last purchase / expected gap, then (first match wins; comparisons are strict, so a ratio
// exactly at a multiple stays in the better stage):
//   prospect   no purchase yet
//   lost       ratio > lostMultiple, or more than lostAfterDays since the last purchase
//   lapsed     ratio > lapsedMultiple
//   at_risk    ratio > atRiskMultiple
//   new        one purchase day so far
//   returning  the latest purchase ended a gap longer than atRiskMultiple × the gap expected before it (came back)
//   active     buying on cadence

export const LIFECYCLE_STAGES = ["prospect", "new", "active", "returning", "at_risk", "lapsed", "lost"] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export const LIFECYCLE_NAMES: Record<LifecycleStage, string> = {
  prospect: "Prospect",
  new: "New",
  active: "Active",
  returning: "Returning",
  at_risk: "At risk",
  lapsed: "Lapsed",
  lost: "Lost",
};

export interface Lifecycle {
  stage: LifecycleStage;
  /** Days the customer is expected to take between purchases; null for prospects. */
  expectedGapDays: number | null;
  /** Days since last purchase ÷ expected gap. */
  ratio: number | null;
}

export function expectedGap(gaps: number, meanGap: number | null, shopGapDays: number, shrinkage: number): number {
  if (gaps <= 0 || meanGap === null) return shopGapDays;
  return (gaps * meanGap + shrinkage * shopGapDays) / (gaps + shrinkage);
}

export function lifecycle(
  profile: CustomerProfile,
  shopGapDays: number,
  settings: SegmentSettings["lifecycle"],
): Lifecycle {
  if (profile.purchaseDays === 0 || profile.daysSinceLastOrder === null)
    return { stage: "prospect", expectedGapDays: null, ratio: null };
  const gaps = profile.purchaseDays - 1;
  const k = settings.shrinkageIntervals;
  const gap = expectedGap(gaps, profile.meanIntervalDays, shopGapDays, k);
  const ratio = profile.daysSinceLastOrder / gap;
  const result = (stage: LifecycleStage): Lifecycle => ({ stage, expectedGapDays: gap, ratio });
  if (ratio > settings.lostMultiple || profile.daysSinceLastOrder > settings.lostAfterDays) return result("lost");
  if (ratio > settings.lapsedMultiple) return result("lapsed");
  if (ratio > settings.atRiskMultiple) return result("at_risk");
  if (gaps === 0) return result("new");
  if (profile.lastIntervalDays !== null && profile.meanIntervalDays !== null) {
    const earlierTotal = gaps * profile.meanIntervalDays - profile.lastIntervalDays;
    const gapBefore = expectedGap(gaps - 1, gaps > 1 ? earlierTotal / (gaps - 1) : null, shopGapDays, k);
    if (profile.lastIntervalDays > settings.atRiskMultiple * gapBefore) return result("returning");
  }
  return result("active");
}
