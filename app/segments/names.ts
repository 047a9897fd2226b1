import { LIFECYCLE_NAMES, LIFECYCLE_STAGES } from "./lifecycle/stage";
import type { LifecycleStage } from "./lifecycle/stage";
import { RFM_GROUP_NAMES, RFM_GROUPS } from "./rfm/groups";
import type { RfmGroup } from "./rfm/groups";
import { BUILTIN_SEGMENT_NAMES, BUILTIN_SEGMENTS } from "./winback/occasions";
import type { BuiltinSegment } from "./winback/occasions";

// Three families of built-in segments share names: "At risk" is a win-back segment, an RFM group (Shopify's name
// for customers who bought often but not lately, ranked against the shop's other customers) and a lifecycle stage
// (judged against the customer's own rhythm); "New" and "Active" are both RFM groups and lifecycle stages. Wherever
// a merchant reads one of these names it carries its family ("At risk (RFM group)"), so two labels never look alike.
// Names found in one family only ("Champions", "Returning", "High-value at risk") stay as they are.

export type SegmentFamily = "winback" | "rfm" | "lifecycle";

export const FAMILY_NAMES: Record<SegmentFamily, string> = {
  winback: "win-back",
  rfm: "RFM group",
  lifecycle: "lifecycle stage",
};

/** "Prospect" and "Prospects" are one name to a reader. */
const normal = (name: string) => name.toLowerCase().replace(/s$/, "");

const FAMILY_MEMBERS: Record<SegmentFamily, readonly string[]> = {
  winback: BUILTIN_SEGMENTS.map((key) => BUILTIN_SEGMENT_NAMES[key]),
  rfm: RFM_GROUPS.map((group) => RFM_GROUP_NAMES[group]),
  lifecycle: LIFECYCLE_STAGES.map((stage) => LIFECYCLE_NAMES[stage]),
};

const SHARED = new Set(
  Object.values(FAMILY_MEMBERS)
    .flatMap((names) => [...new Set(names.map(normal))])
    .filter((name, index, all) => all.indexOf(name) !== index),
);

/** A family's name for one of its segments, with the family added when another family uses the same name. */
export function familyName(family: SegmentFamily, name: string): string {
  return SHARED.has(normal(name)) ? `${name} (${FAMILY_NAMES[family]})` : name;
}

export function rfmGroupLabel(group: RfmGroup): string {
  return familyName("rfm", RFM_GROUP_NAMES[group] ?? group);
}

export function lifecycleLabel(stage: LifecycleStage): string {
  return familyName("lifecycle", LIFECYCLE_NAMES[stage] ?? stage);
}

export function builtinSegmentLabel(key: BuiltinSegment): string {
  return familyName("winback", BUILTIN_SEGMENT_NAMES[key] ?? key);
}

export function isBuiltinSegment(key: string): key is BuiltinSegment {
  return (BUILTIN_SEGMENTS as readonly string[]).includes(key);
}

export function isRfmGroup(value: string): value is RfmGroup {
  return (RFM_GROUPS as readonly string[]).includes(value);
}

export function isLifecycleStage(value: string): value is LifecycleStage {
  return (LIFECYCLE_STAGES as readonly string[]).includes(value);
}
