import type { CustomerProfile } from "~/profiles/profile";
import type { LifecycleStage } from "../lifecycle/stage";
import type { RfmGroup } from "../rfm/groups";
import type { RfmScores } from "../rfm/scores";

// What a custom segment rule can look at: the profile and the labels Cadence gave the customer.

export interface RulePredictions {
  pAlive: number;
  expectedOrders365: number;
  expectedOrderValueMinor: number;
  clv12mMinor: number;
}

export interface RuleSubject {
  profile: CustomerProfile;
  tierId: string | null;
  rfm: RfmScores | null;
  rfmGroup: RfmGroup;
  lifecycle: LifecycleStage;
  predictions: RulePredictions | null;
  /** Built-in segment keys the customer is in. */
  segments: readonly string[];
}
