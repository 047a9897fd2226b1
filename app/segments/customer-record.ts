import type { CustomerProfile } from "~/profiles/profile";
import type { Classification } from "./classify";
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
