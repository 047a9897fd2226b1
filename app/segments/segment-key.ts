import { CUSTOM_PREFIX } from "~/segments/classify";
import { LIFECYCLE_NAMES, LIFECYCLE_STAGES } from "~/segments/lifecycle/stage";
import type { LifecycleStage } from "~/segments/lifecycle/stage";
import { RFM_GROUP_NAMES, RFM_GROUPS } from "~/segments/rfm/groups";
import type { RfmGroup } from "~/segments/rfm/groups";
import { BUILTIN_SEGMENT_NAMES, BUILTIN_SEGMENTS } from "~/segments/winback/occasions";
import type { BuiltinSegment } from "~/segments/winback/occasions";

// The admin names every segment with one key, whatever stores it: tiers, RFM groups and lifecycle stages are
// columns of the profile; win-back, occasion and custom segments are memberships (the profile's `segments` list).
// Keys appear in URLs: `tier:gold`, `rfm:champions`, `lifecycle:at_risk`, `at_risk`, `custom:vip`.

export type SegmentRef =
  | { kind: "tier"; key: string; tierId: string }
  | { kind: "rfm"; key: string; group: RfmGroup }
  | { kind: "lifecycle"; key: string; stage: LifecycleStage }
  | { kind: "membership"; key: string; segmentKey: string };

const CUSTOM_SLUG = /^[a-z0-9][a-z0-9-]{0,47}$/;
const TIER_ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/** The segment a key names, or null when it cannot name one (a 404, not a crash, for the route). */
export function parseSegmentKey(key: string): SegmentRef | null {
  const [prefix, value = ""] = key.includes(":")
    ? [key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)]
    : [key];
  if (prefix === "tier" && TIER_ID.test(value)) return { kind: "tier", key, tierId: value };
  if (prefix === "rfm" && (RFM_GROUPS as readonly string[]).includes(value))
    return { kind: "rfm", key, group: value as RfmGroup };
  if (prefix === "lifecycle" && (LIFECYCLE_STAGES as readonly string[]).includes(value))
    return { kind: "lifecycle", key, stage: value as LifecycleStage };
  if (`${prefix}:` === CUSTOM_PREFIX && CUSTOM_SLUG.test(value)) return { kind: "membership", key, segmentKey: key };
  if (!key.includes(":") && (BUILTIN_SEGMENTS as readonly string[]).includes(key))
    return { kind: "membership", key, segmentKey: key };
  return null;
}

export function builtinName(ref: SegmentRef): string | null {
  if (ref.kind === "rfm") return `RFM: ${RFM_GROUP_NAMES[ref.group]}`;
  if (ref.kind === "lifecycle") return `Lifecycle: ${LIFECYCLE_NAMES[ref.stage]}`;
  if (ref.kind === "membership" && !ref.segmentKey.startsWith(CUSTOM_PREFIX))
    return BUILTIN_SEGMENT_NAMES[ref.segmentKey as BuiltinSegment];
  return null;
}

/** A WHERE condition on "CustomerListing" p (or "CustomerProfile" p) selecting the segment's members, with its one parameter. */
export function memberCondition(ref: SegmentRef, parameter: string): { sql: string; value: string } {
  switch (ref.kind) {
    case "tier":
      return { sql: `p."tierId" = ${parameter}`, value: ref.tierId };
    case "rfm":
      return { sql: `p."rfmGroup" = ${parameter}`, value: ref.group };
    case "lifecycle":
      return { sql: `p.lifecycle = ${parameter}`, value: ref.stage };
    case "membership":
      return { sql: `${parameter} = ANY(p.segments)`, value: ref.segmentKey };
  }
}
