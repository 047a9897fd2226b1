import type { CustomerProfile } from "~/profiles/profile";
import { CUSTOM_PREFIX } from "./classify";
import type { Classification } from "./classify";
import type { LifecycleStage } from "./lifecycle/stage";
import type { RfmGroup } from "./rfm/groups";
import type { RuleSubject } from "./rules/subject";
import type { Confidence } from "./predictions";
import type { LoyaltyProgram } from "./tiers/program";

// A classified customer as one flat record: the profile and every label. It is what the database stores per
// customer, what `export customers` reads back and what the CLI writes, so all three agree column for column.

export interface CustomerRecord extends CustomerProfile {
  /** BTYD summary in days (null for prospects). */
  x: number | null;
  tX: number | null;
  T: number | null;
  tierId: string | null;
  tierName: string | null;
  rfmR: number | null;
  rfmF: number | null;
  rfmM: number | null;
  rfmGroup: string;
  lifecycle: string;
  expectedGapDays: number | null;
  pAlive: number | null;
  expectedOrders90: number | null;
  expectedOrders365: number | null;
  expectedNextOrderDay: number | null;
  expectedOrderValueMinor: number | null;
  clv12mMinor: number | null;
  confidence: Confidence | null;
  segments: string[];
  explanations: Record<string, string>;
}

export function customerRecord(classification: Classification, program: LoyaltyProgram | null): CustomerRecord {
  const tierId = classification.tier?.standing.tier?.id ?? null;
  const prediction = classification.prediction;
  return {
    ...classification.profile,
    x: classification.summary?.x ?? null,
    tX: classification.summary?.tX ?? null,
    T: classification.summary?.T ?? null,
    tierId,
    tierName: program?.tiers.find((tier) => tier.id === tierId)?.name ?? null,
    rfmR: classification.rfm?.r ?? null,
    rfmF: classification.rfm?.f ?? null,
    rfmM: classification.rfm?.m ?? null,
    rfmGroup: classification.rfmGroup,
    lifecycle: classification.lifecycle.stage,
    expectedGapDays: classification.lifecycle.expectedGapDays,
    pAlive: prediction?.pAlive ?? null,
    expectedOrders90: prediction?.expectedOrders90 ?? null,
    expectedOrders365: prediction?.expectedOrders365 ?? null,
    expectedNextOrderDay: prediction?.expectedNextOrderDay ?? null,
    expectedOrderValueMinor: prediction?.expectedOrderValueMinor ?? null,
    clv12mMinor: prediction?.clv12mMinor ?? null,
    confidence: prediction?.confidence ?? null,
    segments: classification.segments,
    explanations: classification.explanations,
  };
}

/** What a custom segment rule sees of a stored customer (their built-in segments only). */
export function subjectFromRecord(record: CustomerRecord): RuleSubject {
  const rfm =
    record.rfmR !== null && record.rfmF !== null && record.rfmM !== null
      ? { r: record.rfmR, f: record.rfmF, m: record.rfmM, fm: (record.rfmF + record.rfmM) / 2 }
      : null;
  const predictions =
    record.pAlive !== null &&
    record.expectedOrders365 !== null &&
    record.expectedOrderValueMinor !== null &&
    record.clv12mMinor !== null
      ? {
          pAlive: record.pAlive,
          expectedOrders365: record.expectedOrders365,
          expectedOrderValueMinor: record.expectedOrderValueMinor,
          clv12mMinor: record.clv12mMinor,
        }
      : null;
  return {
    profile: record,
    tierId: record.tierId,
    rfm,
    rfmGroup: record.rfmGroup as RfmGroup,
    lifecycle: record.lifecycle as LifecycleStage,
    predictions,
    segments: record.segments.filter((key) => !key.startsWith(CUSTOM_PREFIX)),
  };
}
