import { z } from "zod";
import { imageSchema, linkSchema } from "~/publish/contract";

// An offer as the merchant defines it: who it is for, what it says, which discount it carries, when it runs and
// how much of its audience is held out to measure it. Pure data and validation; persistence is stage 2's.

/** Holdout share of an offer's audience when the merchant does not choose one. */
export const DEFAULT_HOLDOUT_PERCENT = 10;
/** Above half, the offer would be the exception in its own audience; the admin offers 0–50 %. */
export const MAX_HOLDOUT_PERCENT = 50;

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

export const discountSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("none") }).strict(),
  z.object({ kind: z.literal("existing_code"), code: z.string().trim().min(1).max(255) }).strict(),
  // A code Cadence creates in Shopify, restricted to a native customer segment mirroring the audience. `code`
  // stays null until stage 2 has created it; until then the offer is not shown (see isReady).
  z.object({ kind: z.literal("cadence_code"), code: z.string().trim().min(1).max(255).nullable() }).strict(),
]);
export type Discount = z.infer<typeof discountSchema>;

export const offerContentSchema = z
  .object({
    headline: z.string().trim().min(1).max(120),
    body: z.string().trim().max(500).optional(),
    ctaLabel: z.string().trim().min(1).max(40),
    ctaUrl: linkSchema,
    image: imageSchema.optional(),
  })
  .strict();
export type OfferContent = z.infer<typeof offerContentSchema>;

export const OFFER_STATUSES = ["draft", "active", "paused", "archived"] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

export const offerSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    name: z.string().trim().min(1).max(100),
    audience: audienceSchema,
    content: offerContentSchema,
    discount: discountSchema.default({ kind: "none" }),
    priority: z.number().int().min(-1000).max(1000).default(0),
    startsAt: z.coerce.date().nullable().default(null),
    endsAt: z.coerce.date().nullable().default(null),
    holdoutPercent: z.number().min(0).max(MAX_HOLDOUT_PERCENT).optional(),
    status: z.enum(OFFER_STATUSES).default("draft"),
  })
  .strict()
  .superRefine((offer, context) => {
    if (offer.startsAt && offer.endsAt && offer.endsAt <= offer.startsAt)
      context.addIssue({ code: "custom", path: ["endsAt"], message: "the offer must end after it starts" });
    if (offer.audience.kind === "guests" && offer.discount.kind === "cadence_code")
      context.addIssue({ code: "custom", path: ["discount"], message: "a segment-restricted code cannot be redeemed by guests" });
    if (offer.audience.kind === "guests" && offer.holdoutPercent)
      context.addIssue({ code: "custom", path: ["holdoutPercent"], message: "guests are never held out (no stable identity to assign them by)" });
  })
  .transform((offer) => ({
    ...offer,
    holdoutPercent: offer.holdoutPercent ?? (offer.audience.kind === "guests" ? 0 : DEFAULT_HOLDOUT_PERCENT),
  }));

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
