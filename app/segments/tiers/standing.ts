import type { Day } from "~/profiles/days";
import { tierIndex } from "./program";
import type { LoyaltyProgram, TierDefinition } from "./program";
import type { QualifyingValue } from "./qualifying";
import { graceEndsOn } from "./replay";
import type { TierStatus } from "./replay";

// Where a customer stands in the program today: the tier they hold (earned, or set by staff), whether they are in
// a grace period, and what they still need for the next tier.

export interface TierOverride {
  tierId: string;
  reason: string;
  /** Last day the override applies; null = until removed. */
  until: Day | null;
  /** Who set it when it was not staff ("Shopify Flow"); null or absent: staff. */
  setBy?: string | null;
}

export interface TierProgress {
  tier: TierDefinition;
  /** Spend still needed (minor units), or null when the next tier sets no spend threshold. */
  spendMinor: number | null;
  orders: number | null;
  combine: LoyaltyProgram["combine"];
}

export interface TierStanding {
  tier: TierDefinition | null;
  /** The tier the customer earned, whatever an override says. */
  earned: TierDefinition | null;
  override: TierOverride | null;
  graceEndsOn: Day | null;
  value: QualifyingValue;
  progress: TierProgress | null;
}

export function overrideActive(
  override: TierOverride | null,
  program: LoyaltyProgram,
  asOf: Day,
): override is TierOverride {
  return (
    override !== null && tierIndex(program, override.tierId) >= 0 && (override.until === null || asOf <= override.until)
  );
}

/** What a customer with `value` still needs to reach `tier` (null for a threshold the tier does not set). */
export function progressToward(
  tier: TierDefinition | undefined,
  value: QualifyingValue,
  program: LoyaltyProgram,
): TierProgress | null {
  if (!tier) return null;
  const needed = (threshold: number | null, have: number) =>
    threshold === null ? null : Math.max(0, threshold - have);
  return {
    tier,
    spendMinor: needed(tier.enter.spendMinor, value.spendMinor),
    orders: needed(tier.enter.orders, value.orders),
    combine: program.combine,
  };
}

export function tierStanding(
  program: LoyaltyProgram,
  status: TierStatus,
  value: QualifyingValue,
  override: TierOverride | null,
  asOf: Day,
): TierStanding {
  const earnedIndex = tierIndex(program, status.tierId);
  const active = overrideActive(override, program, asOf);
  const index = active ? tierIndex(program, override.tierId) : earnedIndex;
  return {
    tier: program.tiers[index] ?? null,
    earned: program.tiers[earnedIndex] ?? null,
    override: active ? override : null,
    graceEndsOn: active ? null : graceEndsOn(program, status),
    value,
    progress: progressToward(program.tiers[index + 1], value, program),
  };
}
