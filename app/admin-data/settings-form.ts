import { NET_REVENUE_BASES } from "~/ingest/facts/net-revenue";
import type { NetRevenueBasis } from "~/ingest/facts/net-revenue";
import { MAX_RETENTION_DAYS, MIN_RETENTION_DAYS } from "~/retention/limits";
import { segmentSettingsSchema } from "~/segments/settings";
import type { SegmentSettings, SegmentSettingsInput } from "~/segments/settings";

// The settings page's fields: each a text input named for its place in the settings ("lifecycle.atRiskMultiple").
// Read from the stored settings, checked all together, and only then written: one bad field saves nothing. Shares
// are stored 0–1 and typed as percentages; every refusal is a sentence for the merchant, never the schema's.

type Kind = "multiple" | "days" | "percent" | "count";

export interface SegmentField {
  group: keyof SegmentSettings;
  name: string;
  label: string;
  /** The unit after the input ("days", "%", "× usual gap"). */
  suffix: string;
  help?: string;
  kind: Kind;
}

export const SEGMENT_FIELDS: readonly SegmentField[] = [
  {
    group: "lifecycle",
    name: "atRiskMultiple",
    label: "At risk after",
    suffix: "× their usual gap",
    kind: "multiple",
    help: "2 means twice the customer's usual time between orders without an order.",
  },
  { group: "lifecycle", name: "lapsedMultiple", label: "Lapsed after", suffix: "× their usual gap", kind: "multiple" },
  { group: "lifecycle", name: "lostMultiple", label: "Lost after", suffix: "× their usual gap", kind: "multiple" },
  {
    group: "lifecycle",
    name: "lostAfterDays",
    label: "Lost after at most",
    suffix: "days",
    kind: "days",
    help: "Whatever their usual gap.",
  },
  {
    group: "winback",
    name: "highValueTopShare",
    label: "High-value at risk: customers at risk in the top",
    suffix: "% by 12-month value",
    kind: "percent",
  },
  {
    group: "winback",
    name: "unhappyDays",
    label: "Unhappy: a refund or cancellation in the last",
    suffix: "days",
    kind: "days",
  },
  {
    group: "winback",
    name: "upsellMinDays",
    label: "Upsell window opens",
    suffix: "days after an order",
    kind: "days",
  },
  {
    group: "winback",
    name: "upsellMaxDays",
    label: "Upsell window closes",
    suffix: "days after an order",
    kind: "days",
  },
  {
    group: "winback",
    name: "anniversaryLeadDays",
    label: "First-order anniversary: from",
    suffix: "days before",
    kind: "days",
  },
  {
    group: "customSegments",
    name: "tinyMinimum",
    label: "Warn about custom segments with fewer than",
    suffix: "customers",
    kind: "count",
  },
  {
    group: "predictions",
    name: "annualDiscountRate",
    label: "Discount rate for 12-month value",
    suffix: "% a year",
    kind: "percent",
    help: "How much less money due next year is worth than money today.",
  },
];

export type SettingsValues = Record<string, string>;

const fieldName = (field: SegmentField) => `${field.group}.${field.name}`;
// Percent ↔ share without binary noise: 20 ↔ 0.2, never 0.20000000000000004.
const toPercent = (share: number) => Number((share * 100).toPrecision(12));
const toShare = (percent: number) => Number((percent / 100).toPrecision(12));

export function settingsValues(input: {
  segment: SegmentSettings;
  netRevenueBasis: string;
  attributionWindowDays: number;
  dataRetentionDays: number;
}): SettingsValues {
  const values: SettingsValues = {
    netRevenueBasis: input.netRevenueBasis,
    attributionWindowDays: String(input.attributionWindowDays),
    dataRetentionDays: String(input.dataRetentionDays),
  };
  for (const field of SEGMENT_FIELDS) {
    const stored = (input.segment[field.group] as Record<string, number>)[field.name] as number;
    values[fieldName(field)] = String(field.kind === "percent" ? toPercent(stored) : stored);
  }
  return values;
}

export type ParsedSettings =
  | {
      ok: true;
      netRevenueBasis: NetRevenueBasis;
      attributionWindowDays: number;
      dataRetentionDays: number;
      segment: SegmentSettingsInput;
    }
  | { ok: false; errors: Record<string, string> };

/** The typed value of one segment field, or the sentence that refuses it. */
function readField(field: SegmentField, text: string): { value: number } | { error: string } {
  const value = Number(text || "NaN");
  switch (field.kind) {
    case "multiple":
      return Number.isFinite(value) && value > 0 && value <= 100
        ? { value }
        : { error: "Enter a number above 0 and at most 100, such as 2 or 2.5" };
    case "days":
      return Number.isInteger(value) && value >= 0 && value <= 3650
        ? { value }
        : { error: "Enter a whole number of days from 0 to 3650" };
    case "percent":
      return Number.isFinite(value) && value >= 0 && value <= 100
        ? { value: toShare(value) }
        : { error: "Enter a percentage from 0 to 100" };
    case "count":
      return Number.isInteger(value) && value >= 0 && value <= 1_000_000
        ? { value }
        : { error: "Enter a whole number, 0 or more" };
  }
}

// What the schema's own cross-field rules mean, for the field the merchant would change.
const RULE_MESSAGES: Record<string, string> = {
  "lifecycle.lapsedMultiple": "At risk must come before lapsed, and lapsed before lost",
  "winback.upsellMaxDays": "The upsell window must close on or after the day it opens",
};

export function parseSettings(fields: Record<string, unknown>, stored: SegmentSettings): ParsedSettings {
  const errors: Record<string, string> = {};
  const text = (name: string) => String(fields[name] ?? "").trim();
  const basis = text("netRevenueBasis");
  if (!(NET_REVENUE_BASES as readonly string[]).includes(basis))
    errors.netRevenueBasis = "Choose how net revenue is counted";
  const whole = (name: string, min: number, max: number) => {
    const value = Number(text(name) || "NaN");
    if (!Number.isInteger(value) || value < min || value > max)
      errors[name] = `Enter a whole number from ${min} to ${max}`;
    return value;
  };
  const attributionWindowDays = whole("attributionWindowDays", 1, 365);
  const dataRetentionDays = whole("dataRetentionDays", MIN_RETENTION_DAYS, MAX_RETENTION_DAYS);
  const segment = structuredClone(stored) as unknown as Record<string, Record<string, number>>;
  for (const field of SEGMENT_FIELDS) {
    const read = readField(field, text(fieldName(field)));
    if ("error" in read) errors[fieldName(field)] = read.error;
    else (segment[field.group] as Record<string, number>)[field.name] = read.value;
  }
  if (Object.keys(errors).length === 0) {
    const checked = segmentSettingsSchema.safeParse(segment);
    for (const issue of checked.success ? [] : checked.error.issues) {
      const [group, name] = issue.path.map(String);
      const key = name ? `${group}.${name}` : group === "lifecycle" ? "lifecycle.lapsedMultiple" : String(group);
      errors[key] ??= RULE_MESSAGES[key] ?? "Enter a value in the range shown";
    }
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    netRevenueBasis: basis as NetRevenueBasis,
    attributionWindowDays,
    dataRetentionDays,
    segment: segment as SegmentSettingsInput,
  };
}
