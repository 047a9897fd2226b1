import { formatMoney } from "~/money/format";
import { plural } from "~/segments/explain/text";
import type { VerdictKind } from "~/offers/measurement/report";

// The dashboard's "Needs attention" card: the few things worth doing now, each with the action that does it, from
// the shop's own figures. Pure: the dashboard's loader gathers the figures (dashboard.server.ts), this decides
// what to say. Items come most urgent first and at most MAX_ITEMS are shown; when nothing qualifies the card says
// so and what it watches.

export const MAX_ITEMS = 4;
/** A tier's repeat rate is compared only when it has at least this many members: below, one order swings it. */
export const MIN_TIER_MEMBERS = 20;
/** ... and called a fall only when it drops by at least this many percentage points (as a share, 0.1 = 10 points). */
export const MIN_RATE_FALL = 0.1;
/** Days in each of the two periods a tier's repeat rate compares. */
export const REPEAT_PERIOD_DAYS = 90;

export interface AttentionOffer {
  id: string;
  name: string;
  status: string;
  /** The offer form's audience value: "segment:at_risk", "tier:gold", "guests"… */
  audience: string;
  verdict: VerdictKind | null;
}

export interface TierRepeat {
  tierId: string;
  tierName: string;
  members: number;
  /** Share of the tier's members who ordered in the last REPEAT_PERIOD_DAYS days. */
  recentRate: number;
  /** ... and in the REPEAT_PERIOD_DAYS days before those. */
  earlierRate: number;
}

export interface AttentionInput {
  currency: string;
  importProblem: string | null;
  highValueAtRisk: { customers: number; valueMinor: number };
  atRisk: { customers: number; valueMinor: number };
  unhappy: number;
  anniversaries: { customers: number; leadDays: number };
  tiers: TierRepeat[];
  offers: AttentionOffer[];
}

export interface AttentionItem {
  id: string;
  tone: "critical" | "warning" | "info";
  text: string;
  action: { label: string; url: string };
}

const percent = (share: number) => `${Math.round(share * 100)}%`;

/** The active offer that already speaks to one of these audiences, if any. */
function offerFor(offers: AttentionOffer[], audiences: string[]): AttentionOffer | undefined {
  return offers.find((offer) => offer.status === "active" && audiences.includes(offer.audience));
}

const newOffer = (audience: string) => `/app/offers/new?audience=${encodeURIComponent(audience)}`;

export function needsAttention(input: AttentionInput): AttentionItem[] {
  const items: AttentionItem[] = [];
  const money = (minor: number) => formatMoney(minor, input.currency);

  if (input.importProblem) {
    items.push({
      id: "import",
      tone: "critical",
      text: `The order history import stopped: ${input.importProblem}`,
      action: { label: "See sync status", url: "/app/sync" },
    });
  }

  for (const offer of input.offers) {
    if (offer.status === "active" && offer.verdict === "negative") {
      items.push({
        id: `offer-${offer.id}`,
        tone: "critical",
        text: `"${offer.name}" converts worse than showing no offer at all`,
        action: { label: "Review or pause it", url: `/app/offers/${encodeURIComponent(offer.id)}` },
      });
    }
  }

  const highValue = input.highValueAtRisk;
  if (highValue.customers > 0) {
    const covering = offerFor(input.offers, ["segment:high_value_at_risk", "segment:at_risk"]);
    items.push({
      id: "high-value-at-risk",
      tone: "warning",
      text: `${plural(highValue.customers, "high-value customer")} at risk, ${money(
        highValue.valueMinor,
      )} of 12-month value`,
      action: covering
        ? { label: `See how "${covering.name}" is doing`, url: `/app/offers/${encodeURIComponent(covering.id)}` }
        : { label: "Create a win-back offer", url: newOffer("segment:high_value_at_risk") },
    });
  }

  const atRiskOnly = input.atRisk.customers - highValue.customers;
  if (atRiskOnly > 0 && !offerFor(input.offers, ["segment:at_risk"])) {
    items.push({
      id: "at-risk",
      tone: "warning",
      text: `${plural(input.atRisk.customers, "customer")} at risk of not coming back, ${money(
        input.atRisk.valueMinor,
      )} of 12-month value, and no offer for them`,
      action: { label: "Create a win-back offer", url: newOffer("segment:at_risk") },
    });
  }

  const falls = input.tiers
    .filter((tier) => tier.members >= MIN_TIER_MEMBERS && tier.earlierRate - tier.recentRate >= MIN_RATE_FALL)
    .sort((a, b) => b.earlierRate - b.recentRate - (a.earlierRate - a.recentRate));
  for (const tier of falls) {
    items.push({
      id: `tier-${tier.tierId}`,
      tone: "warning",
      text: `${tier.tierName} members' repeat rate fell from ${percent(tier.earlierRate)} to ${percent(
        tier.recentRate,
      )}: the share who ordered in the last ${REPEAT_PERIOD_DAYS} days, against the ${REPEAT_PERIOD_DAYS} before`,
      action: { label: `See ${tier.tierName}`, url: `/app/segments/${encodeURIComponent(`tier:${tier.tierId}`)}` },
    });
  }

  const anniversaries = input.anniversaries;
  if (anniversaries.customers > 0 && !offerFor(input.offers, ["segment:first_order_anniversary"])) {
    items.push({
      id: "anniversaries",
      tone: "info",
      text: `${plural(
        anniversaries.customers,
        "first-order anniversary",
        "first-order anniversaries",
      )} in the next ${plural(anniversaries.leadDays, "day")}, and no offer for them`,
      action: { label: "Create an anniversary offer", url: newOffer("segment:first_order_anniversary") },
    });
  }

  if (input.unhappy > 0) {
    items.push({
      id: "unhappy",
      tone: "info",
      text: `${plural(input.unhappy, "customer")} had a refund or cancellation recently`,
      action: { label: "See who", url: "/app/segments/unhappy" },
    });
  }

  return items.slice(0, MAX_ITEMS);
}
