import { calendarDate } from "~/profiles/days";
import type { Day } from "~/profiles/days";
import type { ProfileOrder } from "~/profiles/orders";
import type { CustomerProfile } from "~/profiles/profile";
import type { Lifecycle } from "../lifecycle/stage";
import type { CustomerPrediction } from "../predictions";
import { lifecycleLabel, rfmGroupLabel } from "../names";
import type { RfmGroup } from "../rfm/groups";
import type { RfmScores } from "../rfm/scores";
import type { LoyaltyProgram, Threshold } from "../tiers/program";
import { qualifyingValue } from "../tiers/qualifying";
import type { QualifyingValue } from "../tiers/qualifying";
import type { TierStanding } from "../tiers/standing";
import { formatMoney } from "~/money/format";
import { longDate } from "./tier-program";
import { monthName, percent, plural, wholeDays } from "./text";

// One line per label, with the numbers behind it: "Gold: £1,240 in the last 12 months; it takes £800 to keep Gold".

export interface Wording {
  currency: string;
  locale?: string;
}

const money = (minor: number, wording: Wording) => formatMoney(minor, wording.currency, wording.locale);

function windowPhrase(program: LoyaltyProgram, orders: readonly ProfileOrder[], asOf: Day): string {
  const window = program.window;
  if (window.kind === "lifetime") return "in total";
  if (window.kind === "rolling") {
    return window.days % 365 === 0
      ? `in the last ${(window.days / 365) * 12} months`
      : `in the last ${window.days} days`;
  }
  // Calendar year: the value is the better of this year and last; name the year it came from.
  const year = calendarDate(asOf).year;
  const yearStart = Date.UTC(year, 0, 1) / 86_400_000;
  const thisYear = qualifyingValue({ kind: "rolling", days: asOf - yearStart + 1 }, orders, asOf);
  const better = qualifyingValue(window, orders, asOf);
  return better.spendMinor > thisYear.spendMinor || better.orders > thisYear.orders ? `in ${year - 1}` : `in ${year}`;
}

function amounts(threshold: Threshold, value: QualifyingValue | null, joiner: string, wording: Wording): string {
  const parts: string[] = [];
  if (threshold.spendMinor !== null) parts.push(money(value ? value.spendMinor : threshold.spendMinor, wording));
  if (threshold.orders !== null) parts.push(plural(value ? value.orders : threshold.orders, "order"));
  return parts.join(joiner);
}

export function explainTier(
  standing: TierStanding,
  program: LoyaltyProgram,
  orders: readonly ProfileOrder[],
  asOf: Day,
  wording: Wording,
): string {
  const joiner = program.combine === "any" ? " or " : " and ";
  const where = windowPhrase(program, orders, asOf);
  if (standing.override && standing.tier) {
    const until = standing.override.until === null ? "" : ` until ${longDate(standing.override.until)}`;
    const earned = standing.earned ? standing.earned.name : "no tier";
    return `${standing.tier.name}: set by ${standing.override.setBy ?? "staff"}${until} (${
      standing.override.reason
    }); earned: ${earned}`;
  }
  const tier = standing.tier;
  if (!tier) {
    const first = program.tiers[0];
    const have = amounts({ spendMinor: 0, orders: first?.enter.orders ?? null }, standing.value, " and ", wording);
    return `No tier: ${have} ${where}; ${first?.name ?? "the first tier"} takes ${
      first ? amounts(first.enter, null, joiner, wording) : "more"
    }`;
  }
  const have = amounts(tier.enter, standing.value, " and ", wording);
  const retain = amounts(tier.retain, null, joiner, wording);
  if (standing.graceEndsOn !== null) {
    return `${tier.name} until ${longDate(
      standing.graceEndsOn,
    )} (grace period): ${have} ${where}, below the ${retain} it takes to keep ${
      tier.name
    }; moves down then unless back at ${retain}`;
  }
  return `${tier.name}: ${have} ${where}; it takes ${retain} to keep ${tier.name}`;
}

export function explainProgress(
  standing: TierStanding,
  program: LoyaltyProgram,
  orders: readonly ProfileOrder[],
  asOf: Day,
  wording: Wording,
): string | null {
  const progress = standing.progress;
  if (!progress) return null;
  const parts: string[] = [];
  if (progress.spendMinor !== null) parts.push(`${money(progress.spendMinor, wording)} more`);
  if (progress.orders !== null) parts.push(`${plural(progress.orders, "more order")}`);
  return `${parts.join(progress.combine === "any" ? " or " : " and ")} ${windowPhrase(program, orders, asOf)} reaches ${
    progress.tier.name
  }`;
}

export function explainRfm(
  scores: RfmScores | null,
  group: RfmGroup,
  profile: CustomerProfile,
  wording: Wording,
): string {
  if (!scores) {
    if (profile.orders === 0) return `${rfmGroupLabel(group)}: no purchase yet`;
    // A buyer without scores: the shop's RFM cut-offs come from a full pass, which has not run since they bought.
    return `RFM group not scored yet: ${plural(profile.orders, "order")}, the last ${daysAgo(
      profile.daysSinceLastOrder ?? 0,
    )}; scores rank customers against each other at the next full segment pass`;
  }
  return (
    `${rfmGroupLabel(group)}: recency ${scores.r} of 5 (last order ${daysAgo(profile.daysSinceLastOrder ?? 0)}), ` +
    `frequency ${scores.f} of 5 (${plural(profile.orders, "order")}), spend ${scores.m} of 5 (${money(
      profile.netSpendMinor,
      wording,
    )})`
  );
}

function daysAgo(days: number): string {
  return days === 0 ? "today" : `${plural(days, "day")} ago`;
}

// BG/NBD gives a customer with no repeat purchase a 100% chance of being active, whatever the time since: true of
// the model, misleading in a sentence, so the share is only said of customers who have bought on two days or more.
function likelyActive(prediction: CustomerPrediction | null, profile: CustomerProfile): string {
  return prediction && profile.purchaseDays > 1 ? `${percent(prediction.pAlive)} likely active; ` : "";
}

export function explainLifecycle(
  lifecycle: Lifecycle,
  profile: CustomerProfile,
  prediction: CustomerPrediction | null,
  typicalGapDays: number,
): string {
  const name = lifecycleLabel(lifecycle.stage);
  const since = daysAgo(profile.daysSinceLastOrder ?? 0);
  const every = `every ${plural(wholeDays(lifecycle.expectedGapDays ?? typicalGapDays), "day")}`;
  // With one purchase day the expected gap is the shop's typical one, not the customer's own.
  const usually = profile.purchaseDays > 1 ? `usually ${every}` : `customers here usually reorder ${every}`;
  switch (lifecycle.stage) {
    case "prospect":
      return `${name}: no purchase yet`;
    case "new":
      return `${name}: first order ${since}; customers here usually reorder every ${plural(
        wholeDays(typicalGapDays),
        "day",
      )}`;
    case "returning":
      return `${name}: ordered ${since} after ${plural(profile.lastIntervalDays ?? 0, "day")} away, ${usually}`;
    case "active":
      return `${name}: last order ${since}, ${usually}`;
    default:
      return `${name}: ${likelyActive(prediction, profile)}last order ${since}, ${usually}`;
  }
}

export function explainPrediction(prediction: CustomerPrediction, wording: Wording, profile: CustomerProfile): string {
  const active = profile.purchaseDays > 1 ? `${percent(prediction.pAlive)} likely active, ` : "";
  return (
    `Predicted: ${active}${prediction.expectedOrders365.toFixed(1)} orders in the next 12 months ` +
    `at ${money(prediction.expectedOrderValueMinor, wording)}, 12-month value ${money(
      prediction.clv12mMinor,
      wording,
    )} (confidence: ${prediction.confidence})`
  );
}

export function seasonName(startMonth: number): string {
  return `${monthName(startMonth)}–${monthName(startMonth + 2)}`;
}
