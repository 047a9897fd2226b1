import type { Day } from "~/profiles/days";
import type { ProfileOrder } from "~/profiles/orders";
import { computeProfile } from "~/profiles/profile";
import type { CustomerProfile } from "~/profiles/profile";
import {
  explainAnniversary,
  explainHighValue,
  explainSeasonal,
  explainUnhappy,
  explainUpsell,
} from "./explain/segments";
import { explainLifecycle, explainPrediction, explainProgress, explainRfm, explainTier } from "./explain/lines";
import type { Wording } from "./explain/lines";
import { lifecycle as lifecycleOf } from "./lifecycle/stage";
import type { Lifecycle } from "./lifecycle/stage";
import { predictCustomer, purchaseSummary } from "./predictions";
import type { CustomerPrediction, PurchaseSummary } from "./predictions";
import { rfmGroup as rfmGroupOf } from "./rfm/groups";
import type { RfmGroup } from "./rfm/groups";
import { rfmScores } from "./rfm/scores";
import type { RfmScores } from "./rfm/scores";
import { explainMatch } from "./rules/describe";
import type { DescribeContext } from "./rules/describe";
import type { CompiledRule } from "./rules/rule";
import type { RuleSubject } from "./rules/subject";
import type { SegmentSettings } from "./settings";
import type { ShopModel } from "./shop-model";
import type { LoyaltyProgram } from "./tiers/program";
import type { QualifyingValue } from "./tiers/qualifying";
import { initialStatus, replayTier } from "./tiers/replay";
import type { TierStatus } from "./tiers/replay";
import { tierStanding } from "./tiers/standing";
import type { TierOverride, TierStanding } from "./tiers/standing";
import { inUpsellWindow, isHighValueAtRisk, isUnhappy, nearAnniversary, seasonalBuyer } from "./winback/occasions";
import type { BuiltinSegment } from "./winback/occasions";

// Everything Cadence says about one customer, from their orders and the shop's current state. The server's full
// pass and incremental refresh and the CLI all call this one function.

export const CUSTOM_PREFIX = "custom:";

export interface CustomSegment {
  /** CUSTOM_PREFIX + the segment's slug. */
  key: string;
  name: string;
  rule: CompiledRule;
}

export interface ClassifyContext {
  asOf: Day;
  currency: string;
  locale?: string;
  settings: SegmentSettings;
  model: ShopModel;
  program: LoyaltyProgram | null;
  customSegments: readonly CustomSegment[];
}

export interface CustomerInput {
  customerId: string;
  orders: readonly ProfileOrder[];
  /** The stored tier status; null for a customer the program has not seen (replayed from their first order). */
  tierStatus: TierStatus | null;
  /** The status already brought forward to asOf (advanceTier, with the tier history's moves): used as it is. */
  tierReplay?: { status: TierStatus; value: QualifyingValue };
  override: TierOverride | null;
}

export interface TierResult {
  status: TierStatus;
  standing: TierStanding;
}

export interface Classification {
  profile: CustomerProfile;
  summary: PurchaseSummary | null;
  tier: TierResult | null;
  rfm: RfmScores | null;
  rfmGroup: RfmGroup;
  lifecycle: Lifecycle;
  prediction: CustomerPrediction | null;
  /** Built-in segment keys, then custom segment keys. */
  segments: string[];
  /** One line per label: "tier", "tierProgress", "rfm", "lifecycle", "prediction", and each segment key. */
  explanations: Record<string, string>;
}

function classifyTier(input: CustomerInput, program: LoyaltyProgram, asOf: Day): TierResult {
  const firstDay = input.orders.reduce((min, order) => Math.min(min, order.day), asOf);
  const replay =
    input.tierReplay ?? replayTier(program, input.orders, input.tierStatus ?? initialStatus(firstDay), asOf);
  return { status: replay.status, standing: tierStanding(program, replay.status, replay.value, input.override, asOf) };
}

export function classifyCustomer(input: CustomerInput, context: ClassifyContext): Classification {
  const { asOf, settings, model, program } = context;
  const wording: Wording = { currency: context.currency, ...(context.locale ? { locale: context.locale } : {}) };
  const { profile, occasions } = computeProfile(input.customerId, input.orders, asOf);
  const summary = purchaseSummary(occasions, asOf);
  const prediction = predictCustomer(model.predictive, summary, settings.predictions);
  const explanations: Record<string, string> = {};

  const tier = program ? classifyTier(input, program, asOf) : null;
  if (tier && program) {
    explanations.tier = explainTier(tier.standing, program, input.orders, asOf, wording);
    const progress = explainProgress(tier.standing, program, input.orders, asOf, wording);
    if (progress) explanations.tierProgress = progress;
  }

  const rfm = rfmScores(profile, model.rfm);
  const rfmGroup = rfmGroupOf(rfm);
  explanations.rfm = explainRfm(rfm, rfmGroup, profile, wording);

  const stage = lifecycleOf(profile, model.typicalGapDays, settings.lifecycle);
  const lifecycleLine = explainLifecycle(stage, profile, prediction, model.typicalGapDays);
  explanations.lifecycle = lifecycleLine;
  if (prediction) explanations.prediction = explainPrediction(prediction, wording, profile);

  const segments: BuiltinSegment[] = [];
  const add = (key: BuiltinSegment, line: string) => {
    segments.push(key);
    explanations[key] = line;
  };
  if (stage.stage === "at_risk" || stage.stage === "lapsed" || stage.stage === "lost") add(stage.stage, lifecycleLine);
  const value = {
    valueMinor: prediction ? prediction.clv12mMinor : profile.netSpend365Minor,
    cutoffMinor: model.valueCutoffMinor,
  };
  if (isHighValueAtRisk(stage, value)) {
    add(
      "high_value_at_risk",
      explainHighValue(value, model.valueBasis, settings.winback.highValueTopShare, lifecycleLine, wording),
    );
  }
  if (isUnhappy(profile, settings.winback)) add("unhappy", explainUnhappy(profile, settings.winback));
  if (inUpsellWindow(profile, settings.winback))
    add("upsell_window", explainUpsell(profile, occasions.at(-1)?.amountMinor ?? 0, wording));
  const anniversary = nearAnniversary(profile, settings.winback);
  if (anniversary) add("first_order_anniversary", explainAnniversary(anniversary));
  const season = seasonalBuyer(profile, settings.winback);
  if (season) add("seasonal_buyer", explainSeasonal(profile, season));

  const subject = ruleSubject({ profile, tier, rfm, rfmGroup, lifecycle: stage, prediction, segments });
  const describe: DescribeContext = {
    ...wording,
    tierNames: new Map(program?.tiers.map((t) => [t.id, t.name]) ?? []),
  };
  const custom: string[] = [];
  for (const segment of context.customSegments) {
    const why = explainMatch(segment.rule, subject, describe);
    if (why === null) continue;
    custom.push(segment.key);
    explanations[segment.key] = `${segment.name}: ${why}`;
  }
  return {
    profile,
    summary,
    tier,
    rfm,
    rfmGroup,
    lifecycle: stage,
    prediction,
    segments: [...segments, ...custom],
    explanations,
  };
}

type SubjectParts = Pick<
  Classification,
  "profile" | "tier" | "rfm" | "rfmGroup" | "lifecycle" | "prediction" | "segments"
>;

/** What custom segment rules see of a classified customer (built-in segments only, so rules cannot refer to each other). */
export function ruleSubject(parts: SubjectParts): RuleSubject {
  return {
    profile: parts.profile,
    tierId: parts.tier?.standing.tier?.id ?? null,
    rfm: parts.rfm,
    rfmGroup: parts.rfmGroup,
    lifecycle: parts.lifecycle.stage,
    predictions: parts.prediction,
    segments: parts.segments.filter((key) => !key.startsWith(CUSTOM_PREFIX)),
  };
}
