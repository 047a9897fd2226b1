import { isoDateFromDay } from "~/profiles/days";
import type { CustomerProfile } from "~/profiles/profile";
import type { SegmentSettings } from "../settings";
import type { Anniversary, SeasonWindow, ValueContext } from "../winback/occasions";
import { seasonName } from "./lines";
import { formatMoney } from "~/money/format";
import { percent, plural, readableDate } from "./text";
import type { Wording } from "./lines";

// Explanations of the built-in win-back and occasion segments. At risk, lapsed and lost reuse the lifecycle line.

export function explainHighValue(
  value: ValueContext,
  basis: "clv12m" | "netSpend365",
  topShare: number,
  lifecycleLine: string,
  wording: Wording,
): string {
  const amount = formatMoney(value.valueMinor, wording.currency, wording.locale);
  const cutoff = formatMoney(value.cutoffMinor ?? 0, wording.currency, wording.locale);
  const what =
    basis === "clv12m" ? `${amount} expected in the next 12 months` : `${amount} spent in the last 12 months`;
  return `High-value at risk: ${what} (top ${percent(topShare)} starts at ${cutoff}); ${lifecycleLine.replace(
    /^[^:]+: /,
    "",
  )}`;
}

export function explainUnhappy(profile: CustomerProfile, settings: SegmentSettings["winback"]): string {
  const ago = profile.asOf - (profile.lastRefundOrCancelDay ?? profile.asOf);
  return `Unhappy: a refund or cancellation ${
    ago === 0 ? "today" : `${plural(ago, "day")} ago`
  } (the segment looks back ${plural(settings.unhappyDays, "day")})`;
}

export function explainUpsell(profile: CustomerProfile, lastDayAmountMinor: number, wording: Wording): string {
  const amount = formatMoney(lastDayAmountMinor, wording.currency, wording.locale);
  return `Upsell window: ordered ${plural(profile.daysSinceLastOrder ?? 0, "day")} ago (${amount}), nothing refunded`;
}

export function explainAnniversary(anniversary: Anniversary): string {
  const when = anniversary.inDays === 0 ? "today" : `in ${plural(anniversary.inDays, "day")}`;
  return `First-order anniversary: ${plural(anniversary.years, "year")} on ${readableDate(
    isoDateFromDay(anniversary.day),
  )} (${when})`;
}

export function explainSeasonal(profile: CustomerProfile, window: SeasonWindow): string {
  const share = percent(profile.peakSeasonShare ?? 0);
  const timing =
    profile.asOf >= window.startDay
      ? `season under way until ${readableDate(isoDateFromDay(window.endDay))}`
      : `season starts ${readableDate(isoDateFromDay(window.startDay))}`;
  return `Seasonal buyer: ${share} of purchase days in ${seasonName(window.startMonth)} over ${plural(
    profile.peakSeasonYears,
    "year",
  )}; ${timing}`;
}
