import { NET_REVENUE_BASES, type NetRevenueBasis } from "~/ingest/facts/net-revenue";
import { MAX_RETENTION_DAYS, MIN_RETENTION_DAYS } from "~/retention/limits";
import { segmentSettingsSchema, type SegmentSettings, type SegmentSettingsInput } from "~/segments/settings";

// The settings page's fields: each a text input named for its place in the settings ("lifecycle.atRiskMultiple").
// Read from the stored settings, checked all together, and only then written: one bad field saves nothing.

export const SEGMENT_FIELDS = [
  ["lifecycle", "atRiskMultiple", "At risk after (× their usual gap)"],
  ["lifecycle", "lapsedMultiple", "Lapsed after (× their usual gap)"],
  ["lifecycle", "lostMultiple", "Lost after (× their usual gap)"],
  ["lifecycle", "lostAfterDays", "Lost after at most (days)"],
  ["winback", "highValueTopShare", "High-value at risk: top share by 12-month value (0–1)"],
  ["winback", "unhappyDays", "Unhappy: refund or cancellation within (days)"],
  ["winback", "upsellMinDays", "Upsell window opens (days after an order)"],
  ["winback", "upsellMaxDays", "Upsell window closes (days after an order)"],
  ["winback", "anniversaryLeadDays", "Anniversary: days before"],
  ["customSegments", "tinyMinimum", "Warn about custom segments smaller than"],
  ["predictions", "annualDiscountRate", "Discount rate for lifetime value (0–1 a year)"],
] as const;

export type SettingsValues = Record<string, string>;

export function settingsValues(input: { segment: SegmentSettings; netRevenueBasis: string; attributionWindowDays: number; dataRetentionDays: number }): SettingsValues {
  const values: SettingsValues = {
    netRevenueBasis: input.netRevenueBasis,
    attributionWindowDays: String(input.attributionWindowDays),
    dataRetentionDays: String(input.dataRetentionDays),
  };
  for (const [group, field] of SEGMENT_FIELDS) values[`${group}.${field}`] = String((input.segment[group] as Record<string, number>)[field]);
  return values;
}

export type ParsedSettings =
  | { ok: true; netRevenueBasis: NetRevenueBasis; attributionWindowDays: number; dataRetentionDays: number; segment: SegmentSettingsInput }
  | { ok: false; errors: Record<string, string> };

export function parseSettings(fields: Record<string, unknown>, stored: SegmentSettings): ParsedSettings {
  const errors: Record<string, string> = {};
  const text = (name: string) => String(fields[name] ?? "").trim();
  const basis = text("netRevenueBasis");
  if (!(NET_REVENUE_BASES as readonly string[]).includes(basis)) errors.netRevenueBasis = "Choose how net revenue is counted";
  const whole = (name: string, min: number, max: number) => {
    const value = Number(text(name) || "NaN");
    if (!Number.isInteger(value) || value < min || value > max) errors[name] = `Enter a whole number from ${min} to ${max}`;
    return value;
  };
  const attributionWindowDays = whole("attributionWindowDays", 1, 365);
  const dataRetentionDays = whole("dataRetentionDays", MIN_RETENTION_DAYS, MAX_RETENTION_DAYS);
  const segment = structuredClone(stored) as unknown as Record<string, Record<string, number>>;
  for (const [group, field] of SEGMENT_FIELDS) {
    const name = `${group}.${field}`;
    const value = Number(text(name) || "NaN");
    if (!Number.isFinite(value)) errors[name] = "Enter a number";
    else (segment[group] as Record<string, number>)[field] = value;
  }
  const checked = segmentSettingsSchema.safeParse(segment);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const [group, field] = issue.path.map(String);
      const name = field ? `${group}.${field}` : group === "lifecycle" ? "lifecycle.lapsedMultiple" : String(group);
      errors[name] ??= issue.message.replace("atRiskMultiple < lapsedMultiple < lostMultiple is required", "At risk must come before lapsed, and lapsed before lost");
    }
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, netRevenueBasis: basis as NetRevenueBasis, attributionWindowDays, dataRetentionDays, segment: segment as SegmentSettingsInput };
}
