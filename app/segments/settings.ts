import { z } from "zod";

// A shop's segmentation settings. Every threshold has a default, so a shop that never opened the settings gets
// sensible segments; stored settings are partial and merged over the defaults. See docs/segments.md.

const multiple = z.number().positive().max(100);
const days = z.number().int().min(0).max(3650);
const share = z.number().min(0).max(1);

export const segmentSettingsSchema = z
  .object({
    lifecycle: z
      .object({
        /** At risk once the days since the last order exceed this multiple of the customer's expected gap. */
        atRiskMultiple: multiple.default(2),
        lapsedMultiple: multiple.default(4),
        lostMultiple: multiple.default(8),
        /** Lost after this many days without an order, whatever the cadence. */
        lostAfterDays: days.default(730),
        /** Pseudo-intervals at the shop's typical gap added to a customer's own (shrinkage strength). */
        shrinkageIntervals: z.number().min(0).max(50).default(3),
        /** The typical gap used until the shop has repeat customers. */
        fallbackGapDays: z.number().int().min(1).max(3650).default(90),
      })
      .prefault({}),
    winback: z
      .object({
        /** High-value at risk: at risk and in the top share of 12-month customer value. */
        highValueTopShare: share.default(0.2),
        /** Unhappy: a refund or cancellation within this many days. */
        unhappyDays: days.default(60),
        /** Upsell window: the latest purchase between these many days ago (inclusive). */
        upsellMinDays: days.default(3),
        upsellMaxDays: days.default(21),
        /** First-order anniversary: within this many days before the anniversary (0 = on the day only). */
        anniversaryLeadDays: days.default(14),
        /** Seasonal buyer: at least this share of purchase days in one three-month season… */
        seasonalShare: share.default(0.75),
        /** …spread over at least this many years, with at least this many purchase days… */
        seasonalMinYears: z.number().int().min(1).max(20).default(2),
        seasonalMinPurchaseDays: z.number().int().min(1).max(100).default(3),
        /** …and a member from this many days before the season starts until it ends. */
        seasonalLeadDays: days.default(30),
      })
      .prefault({}),
    predictions: z
      .object({
        /** Annual discount rate for 12-month customer lifetime value. */
        annualDiscountRate: z.number().min(0).max(1).default(0.1),
      })
      .prefault({}),
    customSegments: z
      .object({
        /** A custom segment smaller than this gets a "tiny segment" warning. */
        tinyMinimum: z.number().int().min(0).default(25),
        /** Two segments whose memberships overlap at least this much (Jaccard) get a near-duplicate warning. */
        nearDuplicateOverlap: share.default(0.9),
      })
      .prefault({}),
  })
  .superRefine((value, context) => {
    const { atRiskMultiple, lapsedMultiple, lostMultiple } = value.lifecycle;
    if (!(atRiskMultiple < lapsedMultiple && lapsedMultiple < lostMultiple)) {
      context.addIssue({
        code: "custom",
        path: ["lifecycle"],
        message: "atRiskMultiple < lapsedMultiple < lostMultiple is required",
      });
    }
    if (value.winback.upsellMinDays > value.winback.upsellMaxDays) {
      context.addIssue({
        code: "custom",
        path: ["winback", "upsellMaxDays"],
        message: "upsellMaxDays must not be below upsellMinDays",
      });
    }
  });

export type SegmentSettings = z.output<typeof segmentSettingsSchema>;
export type SegmentSettingsInput = z.input<typeof segmentSettingsSchema>;

export class InvalidSettingsError extends Error {
  override name = "InvalidSettingsError";
}

/** Stored (partial) settings merged over the defaults; throws InvalidSettingsError naming the bad field. */
export function resolveSettings(stored: unknown = {}): SegmentSettings {
  const parsed = segmentSettingsSchema.safeParse(stored ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidSettingsError(
      `segment settings: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`,
    );
  }
  return parsed.data;
}

export const DEFAULT_SETTINGS: SegmentSettings = resolveSettings({});
