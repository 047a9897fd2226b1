import { calendarDate, dayOf, sameDateInYear } from "~/profiles/days";
import type { Day } from "~/profiles/days";
import type { CustomerProfile } from "~/profiles/profile";
import { SEASON_MONTHS } from "~/profiles/season";
import { LIFECYCLE_NAMES } from "../lifecycle/stage";
import type { Lifecycle } from "../lifecycle/stage";
import type { SegmentSettings } from "../settings";

// Win-back and occasion segments: who to reach out to now, and why. Each test is a pure function of the profile,
// the lifecycle stage, the shop's settings and the day; boundaries are inclusive as documented per segment.

export const BUILTIN_SEGMENTS = [
  "at_risk",
  "lapsed",
  "lost",
  "high_value_at_risk",
  "unhappy",
  "upsell_window",
  "first_order_anniversary",
  "seasonal_buyer",
] as const;
export type BuiltinSegment = (typeof BUILTIN_SEGMENTS)[number];

export const BUILTIN_SEGMENT_NAMES: Record<BuiltinSegment, string> = {
  // The lifecycle stages of the same names (classify.ts makes them segments too): one name for each.
  at_risk: LIFECYCLE_NAMES.at_risk,
  lapsed: LIFECYCLE_NAMES.lapsed,
  lost: LIFECYCLE_NAMES.lost,
  high_value_at_risk: "High-value at risk",
  unhappy: "Unhappy",
  upsell_window: "Upsell window",
  first_order_anniversary: "First-order anniversary",
  seasonal_buyer: "Seasonal buyer",
};

/** Unhappy: a refund or cancellation in the last unhappyDays days (0 = today only). */
export function isUnhappy(profile: CustomerProfile, settings: SegmentSettings["winback"]): boolean {
  const day = profile.lastRefundOrCancelDay;
  return day !== null && profile.asOf - day >= 0 && profile.asOf - day <= settings.unhappyDays;
}

/** Upsell window: the latest purchase upsellMinDays…upsellMaxDays ago, not refunded, and nothing refunded or cancelled since. */
export function inUpsellWindow(profile: CustomerProfile, settings: SegmentSettings["winback"]): boolean {
  const since = profile.daysSinceLastOrder;
  if (since === null || since < settings.upsellMinDays || since > settings.upsellMaxDays || profile.lastOrderRefunded)
    return false;
  return profile.lastRefundOrCancelDay === null || profile.lastRefundOrCancelDay < (profile.lastOrderDay as Day);
}

export interface Anniversary {
  day: Day;
  years: number;
  inDays: number;
}

/** The next anniversary of the first purchase (today counts), at least one year after it. */
export function nextAnniversary(profile: CustomerProfile): Anniversary | null {
  const first = profile.firstOrderDay;
  if (first === null) return null;
  const firstYear = calendarDate(first).year;
  for (let year = Math.max(calendarDate(profile.asOf).year, firstYear + 1); ; year += 1) {
    const day = sameDateInYear(first, year);
    if (day >= profile.asOf) return { day, years: year - firstYear, inDays: day - profile.asOf };
  }
}

/** First-order anniversary: the anniversary is today or within anniversaryLeadDays. */
export function nearAnniversary(profile: CustomerProfile, settings: SegmentSettings["winback"]): Anniversary | null {
  const next = nextAnniversary(profile);
  return next && next.inDays <= settings.anniversaryLeadDays ? next : null;
}

export interface SeasonWindow {
  startMonth: number;
  startDay: Day;
  endDay: Day;
}

/** The occurrence of the customer's peak season that is under way or comes next. */
export function seasonWindow(startMonth: number, asOf: Day): SeasonWindow {
  const year = calendarDate(asOf).year;
  for (const candidate of [year - 1, year, year + 1]) {
    const startDay = dayOf(candidate, startMonth, 1);
    const endDay = dayOf(candidate, startMonth + SEASON_MONTHS, 1) - 1;
    if (endDay >= asOf) return { startMonth, startDay, endDay };
  }
  throw new Error("unreachable: next year's season always ends after today");
}

/**
 * Seasonal buyer: at least seasonalShare of purchase days fall in one three-month season, over at least
 * seasonalMinYears years and seasonalMinPurchaseDays purchase days; a member from seasonalLeadDays before the
 * season starts until its last day.
 */
export function seasonalBuyer(profile: CustomerProfile, settings: SegmentSettings["winback"]): SeasonWindow | null {
  const { peakSeasonStartMonth: startMonth, peakSeasonShare: share } = profile;
  if (startMonth === null || share === null) return null;
  if (share < settings.seasonalShare || profile.peakSeasonYears < settings.seasonalMinYears) return null;
  if (profile.purchaseDays < settings.seasonalMinPurchaseDays) return null;
  const window = seasonWindow(startMonth, profile.asOf);
  return profile.asOf >= window.startDay - settings.seasonalLeadDays ? window : null;
}

export interface ValueContext {
  /** The customer's 12-month value: predicted CLV, or net spend of the last 365 days when there is no prediction. */
  valueMinor: number;
  /** The shop's top-share cut-off of that value; null when the shop has no buyers. */
  cutoffMinor: number | null;
}

/** High-value at risk: at risk, with a 12-month value at or above the shop's top-share cut-off (and above zero). */
export function isHighValueAtRisk(lifecycle: Lifecycle, value: ValueContext): boolean {
  return (
    lifecycle.stage === "at_risk" &&
    value.cutoffMinor !== null &&
    value.valueMinor > 0 &&
    value.valueMinor >= value.cutoffMinor
  );
}
