import { z } from "zod";
import { imageSchema, linkSchema } from "~/storefront-contract/metafields";

// An offer as the merchant defines it: who it is for, what it says, which discount it carries, when it runs and
// how much of its audience is held out to measure it. Pure data and validation; offers/store.server.ts persists it.

/** Holdout share of an offer's audience when the merchant does not choose one. */
export const DEFAULT_HOLDOUT_PERCENT = 10;
/** Above half, the offer would be the exception in its own audience; the admin offers 0–50 %. */
export const MAX_HOLDOUT_PERCENT = 50;
/** Upper bound for discount amounts in minor units: far above any real discount, and safe as a JavaScript number. */
export const MAX_DISCOUNT_MINOR = 1_000_000_000_000;

export const audienceSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("tier"), tierKey: z.string().min(1).max(64) }).strict(),
  // A built-in segment key from app/segments (at_risk, lapsed, lost, high_value_at_risk, unhappy,
  // post_purchase_upsell, first_order_anniversary, seasonal_buyer, and the lifecycle/RFM-derived ones).
  z.object({ kind: z.literal("segment"), segmentKey: z.string().min(1).max(64) }).strict(),
  z.object({ kind: z.literal("custom_segment"), segmentId: z.string().min(1).max(64) }).strict(),
  z.object({ kind: z.literal("guests") }).strict(),
  z.object({ kind: z.literal("everyone") }).strict(),
]);
export type Audience = z.infer<typeof audienceSchema>;

const minorAmount = () =>
  z
    .number({ message: "Enter an amount" })
    .int("Use no more decimals than the currency has (use the currency's smallest unit)")
    .min(1, "Enter an amount above zero")
    .max(MAX_DISCOUNT_MINOR, "That amount is too large");

/** What a Cadence-created code takes off the order: a percentage, or a fixed amount in the shop currency. */
export const discountValueSchema = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("percentage"),
      // Shopify stores the percentage as a fraction; two decimals are as precise as its admin shows.
      percent: z
        .number({ message: "Enter a percentage" })
        .gt(0, "Enter a percentage above 0%")
        .max(100, "Enter a percentage of at most 100%")
        .refine((value) => Math.round(value * 100) / 100 === value, "Use at most two decimals"),
    })
    .strict(),
  z
    .object({
      type: z.literal("fixed_amount"),
      /** Minor units of the shop currency. */
      amountMinor: minorAmount(),
    })
    .strict(),
]);
export type DiscountValue = z.infer<typeof discountValueSchema>;

export const discountSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("none") }).strict(),
  z
    .object({
      kind: z.literal("existing_code"),
      code: z.string().trim().min(1, "Enter the discount code").max(255, "Keep the code to 255 characters"),
    })
    .strict(),
  // A code Cadence creates in Shopify, restricted to a native customer segment mirroring the audience
  // (app/publish/discounts/). `code` is Cadence's to set: null until Shopify's discount matches the offer, and
  // until then the offer is not shown (see isReady). `value` is null only on offers stored before values existed;
  // saving one requires a value (offerSchema).
  z
    .object({
      kind: z.literal("cadence_code"),
      code: z.string().trim().min(1).max(255).nullable().default(null),
      value: discountValueSchema.nullable().default(null),
      /** Minimum order subtotal in minor units of the shop currency; null: none. */
      minimumSubtotalMinor: minorAmount().nullable().default(null),
      /** Shopify's appliesOncePerCustomer: each customer may redeem the code once. */
      oncePerCustomer: z.boolean().default(true),
    })
    .strict(),
]);
export type Discount = z.infer<typeof discountSchema>;

export const offerContentSchema = z
  .object({
    headline: z.string().trim().min(1, "Write a headline").max(120, "Keep the headline to 120 characters"),
    body: z.string().trim().max(500, "Keep the body to 500 characters").optional(),
    ctaLabel: z.string().trim().min(1, "Write the button's label").max(40, "Keep the button label to 40 characters"),
    ctaUrl: linkSchema,
    image: imageSchema.optional(),
  })
  .strict();
export type OfferContent = z.infer<typeof offerContentSchema>;

export const OFFER_STATUSES = ["draft", "active", "paused", "archived"] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

const offerObject = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    name: z.string().trim().min(1, "Give the offer a name").max(100, "Keep the name to 100 characters"),
    audience: audienceSchema,
    content: offerContentSchema,
    discount: discountSchema.default({ kind: "none" }),
    priority: z
      .number({ message: "Enter a whole number from -1000 to 1000" })
      .int("Enter a whole number from -1000 to 1000")
      .min(-1000, "Enter a whole number from -1000 to 1000")
      .max(1000, "Enter a whole number from -1000 to 1000")
      .default(0),
    startsAt: z.coerce.date({ message: "Enter a date" }).nullable().default(null),
    endsAt: z.coerce.date({ message: "Enter a date" }).nullable().default(null),
    holdoutPercent: z
      .number({ message: `Enter a percentage from 0 to ${MAX_HOLDOUT_PERCENT}` })
      .min(0, `Enter a percentage from 0 to ${MAX_HOLDOUT_PERCENT}`)
      .max(MAX_HOLDOUT_PERCENT, `Enter a percentage from 0 to ${MAX_HOLDOUT_PERCENT}`)
      .optional(),
    status: z.enum(OFFER_STATUSES).default("draft"),
  })
  .strict();

type OfferFields = z.output<typeof offerObject>;

function offerRules(offer: OfferFields, context: z.RefinementCtx): void {
  if (offer.startsAt && offer.endsAt && offer.endsAt <= offer.startsAt)
    context.addIssue({ code: "custom", path: ["endsAt"], message: "The offer must end after it starts" });
  if (offer.audience.kind === "guests" && offer.discount.kind === "cadence_code")
    context.addIssue({
      code: "custom",
      path: ["discount"],
      message:
        "Guests cannot use a code Cadence creates: it is restricted to customers in the audience, so a segment-restricted code cannot be redeemed by guests",
    });
  if (offer.audience.kind === "guests" && offer.holdoutPercent)
    context.addIssue({
      code: "custom",
      path: ["holdoutPercent"],
      message: "Set the holdout to 0%: guests are never held out (no stable identity to assign them by)",
    });
}

const withDefaults = (offer: OfferFields) => ({
  ...offer,
  holdoutPercent: offer.holdoutPercent ?? (offer.audience.kind === "guests" ? 0 : DEFAULT_HOLDOUT_PERCENT),
});

/** What a merchant may save: every rule, and a Cadence-created code needs its value. */
export const offerSchema = offerObject
  .superRefine((offer, context) => {
    offerRules(offer, context);
    if (offer.discount.kind === "cadence_code" && !offer.discount.value)
      context.addIssue({
        code: "custom",
        path: ["discount", "value"],
        message: "Choose what the code takes off: a percentage or an amount",
      });
  })
  .transform(withDefaults);

/**
 * What was stored: the same rules, except that offers saved before Cadence-created codes had a value still read
 * (the discount job reports the missing value on the offer's page instead of the offer list failing to load).
 */
export const storedOfferSchema = offerObject.superRefine(offerRules).transform(withDefaults);

export type OfferInput = z.input<typeof offerSchema>;
export type Offer = z.output<typeof offerSchema>;

/** Validates a merchant's offer; throws a ZodError naming each invalid field. */
export function parseOffer(input: unknown): Offer {
  return offerSchema.parse(input);
}

/** The discount code shoppers are shown, or undefined when the offer carries none. */
export function discountCode(offer: Offer): string | undefined {
  if (offer.discount.kind === "none") return undefined;
  return offer.discount.code ?? undefined;
}

/** An offer can be shown only once its Cadence-created code exists in Shopify. */
export function isReady(offer: Offer): boolean {
  return offer.discount.kind !== "cadence_code" || offer.discount.code !== null;
}

/** Active, ready, and inside its schedule: starts inclusive, ends exclusive. */
export function isLive(offer: Offer, now: Date): boolean {
  if (offer.status !== "active" || !isReady(offer)) return false;
  if (offer.startsAt && now < offer.startsAt) return false;
  if (offer.endsAt && now >= offer.endsAt) return false;
  return true;
}
