import { formatMoneyChange } from "~/money/format";
import type { Arm } from "../holdout";
import { armOutcomes } from "./attribution";
import type { ArmOutcome, AttributionInput } from "./attribution";
import { katzRiskRatio, newcombeDifference, ratioOfMeans, welchDifference } from "./intervals";
import type { Interval } from "./intervals";

// Per-offer report: each arm's outcome, the lift of treatment over holdout with confidence intervals, and a
// verdict in plain language. The verdict reads the conversion difference (the primary metric); revenue per
// shopper is reported beside it.

/**
 * "Too early to tell" until each arm has at least 100 exposed shoppers and at least 10 converting and 10
 * non-converting shoppers. Below that the intervals are too wide to act on and the normal approximations
 * behind them are not trustworthy (the usual ≥ 10 successes and failures per group rule).
 */
export const VERDICT_RULE = { minShoppersPerArm: 100, minConversionsPerArm: 10, minNonConversionsPerArm: 10 } as const;

export type VerdictKind = "not_measured" | "no_holdout" | "too_early" | "positive" | "negative" | "inconclusive";

export interface Lift {
  /** Treatment minus holdout conversion rate (a proportion; × 100 for percentage points). */
  conversionDifference: Interval;
  /** Treatment / holdout conversion rate − 1; null when an arm has no conversions. */
  conversionRelative: Interval | null;
  /** Treatment minus holdout revenue per shopper, minor units. */
  revenuePerShopperDifference: Interval | null;
  /** Treatment / holdout revenue per shopper − 1; null when an arm's mean is not positive. */
  revenuePerShopperRelative: Interval | null;
}

export interface OfferReport {
  offerId: string;
  confidence: number;
  windowDays: number;
  arms: Record<Arm, ArmOutcome>;
  lift: Lift | null;
  verdict: { kind: VerdictKind; message: string };
}

export function offerReport(input: AttributionInput & { currency: string; confidence?: number }): OfferReport {
  const confidence = input.confidence ?? 0.95;
  const arms = armOutcomes(input);
  const lift = computeLift(arms, confidence);
  return {
    offerId: input.offerId,
    confidence,
    windowDays: input.windowDays,
    arms,
    lift,
    verdict: verdict(arms, lift, input.currency, confidence),
  };
}

export function computeLift(arms: Record<Arm, ArmOutcome>, confidence = 0.95): Lift | null {
  const { treatment: t, holdout: h } = arms;
  if (t.shoppers === 0 || h.shoppers === 0) return null;
  const minusOne = (interval: Interval | null): Interval | null =>
    interval && { estimate: interval.estimate - 1, lower: interval.lower - 1, upper: interval.upper - 1 };
  return {
    conversionDifference: newcombeDifference(t.conversions, t.shoppers, h.conversions, h.shoppers, confidence),
    conversionRelative: minusOne(katzRiskRatio(t.conversions, t.shoppers, h.conversions, h.shoppers, confidence)),
    revenuePerShopperDifference: welchDifference(t.revenue, h.revenue, confidence),
    revenuePerShopperRelative: minusOne(ratioOfMeans(t.revenue, h.revenue, confidence)),
  };
}

/**
 * An offer that can never have a holdout to compare with is said to be unmeasured at once, instead of "too early"
 * while it waits for holdout shoppers who cannot come: guests are never held out (no stable identity to assign
 * them by), and a 0% holdout holds out no one.
 */
export function notMeasured(offer: {
  audience: { kind: string };
  holdoutPercent: number;
}): OfferReport["verdict"] | null {
  if (offer.audience.kind === "guests")
    return {
      kind: "not_measured",
      message:
        "Not measured: guests have no holdout. Every guest sees the offer, so there is no one to compare with; views and clicks are still counted.",
    };
  if (offer.holdoutPercent === 0)
    return {
      kind: "not_measured",
      message:
        "Not measured: this offer holds out no one (0% holdout). Set a holdout to compare shoppers who see it with shoppers who do not.",
    };
  return null;
}

export function verdict(
  arms: Record<Arm, ArmOutcome>,
  lift: Lift | null,
  currency: string,
  confidence = 0.95,
): OfferReport["verdict"] {
  const { treatment: t, holdout: h } = arms;
  if (h.shoppers === 0 && t.shoppers > 0)
    return {
      kind: "no_holdout",
      message:
        "Nothing to compare with: no shopper in this offer's holdout has been seen yet. Check that its holdout is above 0%.",
    };
  const shortfall = shortfalls(arms);
  if (shortfall.length > 0 || !lift)
    return {
      kind: "too_early",
      message: `Too early to tell: ${shortfall.join("; ") || "no shopper has seen the offer yet"}.`,
    };
  const d = lift.conversionDifference;
  const level = `${Math.round(confidence * 100)}% confidence`;
  const range = `between ${points(d.lower)} and ${points(d.upper)} percentage points (${level})`;
  const revenue = revenueSentence(lift, currency);
  if (d.lower > 0)
    return {
      kind: "positive",
      message: `The offer is working: shoppers who saw it converted more often than the holdout, by ${range}.${revenue}`,
    };
  if (d.upper < 0)
    return {
      kind: "negative",
      message: `The offer is doing worse than no offer: shoppers who saw it converted less often than the holdout, by ${range}.${revenue}`,
    };
  return {
    kind: "inconclusive",
    message: `No clear difference yet: the offer's effect on conversion is ${range}. Keep it running to narrow this down.${revenue}`,
  };
}

function shortfalls(arms: Record<Arm, ArmOutcome>): string[] {
  const missing: string[] = [];
  for (const arm of ["treatment", "holdout"] as const) {
    const { shoppers, conversions } = arms[arm];
    const treated = arm === "treatment";
    if (shoppers < VERDICT_RULE.minShoppersPerArm)
      missing.push(
        `${shoppers} of the ${VERDICT_RULE.minShoppersPerArm} ${
          treated ? "shoppers needed have seen the offer" : "holdout shoppers needed have visited"
        }`,
      );
    else if (conversions < VERDICT_RULE.minConversionsPerArm)
      missing.push(
        `${conversions} of the ${VERDICT_RULE.minConversionsPerArm} conversions needed ${
          treated ? "among shoppers who saw the offer" : "among holdout shoppers"
        }`,
      );
    else if (shoppers - conversions < VERDICT_RULE.minNonConversionsPerArm)
      missing.push(
        `nearly every ${
          treated ? "shopper who saw the offer" : "holdout shopper"
        } converted; more shoppers are needed to compare`,
      );
  }
  return missing;
}

function points(proportion: number): string {
  const value = proportion * 100;
  return `${value > 0 ? "+" : ""}${value.toFixed(1)}`;
}

function revenueSentence(lift: Lift, currency: string): string {
  const r = lift.revenuePerShopperDifference;
  if (!r) return "";
  return ` Revenue per shopper: ${money(r.estimate, currency)} (between ${money(r.lower, currency)} and ${money(
    r.upper,
    currency,
  )}).`;
}

function money(minor: number, currency: string): string {
  return formatMoneyChange(minor, currency);
}
