import { z } from "zod";
import type { Audience, Discount, Offer, OfferInput } from "~/offers/model";
import type { AudienceChoice } from "./offers.server";

// The offer form's fields as text, and the conversion between them and app/offers/model.ts's offer. Audience
// values are "tier:gold", "segment:at_risk", "custom:custom:vip", "guests", "everyone" (see offers.server.ts).

export interface OfferFormValues {
  name: string;
  audience: string;
  headline: string;
  body: string;
  ctaLabel: string;
  ctaUrl: string;
  discountKind: Discount["kind"];
  code: string;
  priority: string;
  startsAt: string;
  endsAt: string;
  holdoutPercent: string;
}

export const EMPTY_OFFER_FORM: OfferFormValues = {
  name: "",
  audience: "everyone",
  headline: "",
  body: "",
  ctaLabel: "Shop now",
  ctaUrl: "/collections/all",
  discountKind: "none",
  code: "",
  priority: "0",
  startsAt: "",
  endsAt: "",
  holdoutPercent: "10",
};

function audienceValue(audience: Audience): string {
  switch (audience.kind) {
    case "tier":
      return `tier:${audience.tierKey}`;
    case "segment":
      return `segment:${audience.segmentKey}`;
    case "custom_segment":
      return `custom:${audience.segmentId}`;
    default:
      return audience.kind;
  }
}

export function formFromOffer(offer: Offer): OfferFormValues {
  const day = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : "");
  return {
    name: offer.name,
    audience: audienceValue(offer.audience),
    headline: offer.content.headline,
    body: offer.content.body ?? "",
    ctaLabel: offer.content.ctaLabel,
    ctaUrl: offer.content.ctaUrl,
    discountKind: offer.discount.kind,
    code: offer.discount.kind === "none" ? "" : (offer.discount.code ?? ""),
    priority: String(offer.priority),
    startsAt: day(offer.startsAt),
    endsAt: day(offer.endsAt),
    holdoutPercent: String(offer.holdoutPercent),
  };
}

const formSchema = z.object({
  name: z.string().default(""),
  audience: z.string().default(""),
  headline: z.string().default(""),
  body: z.string().default(""),
  ctaLabel: z.string().default(""),
  ctaUrl: z.string().default(""),
  discountKind: z.enum(["none", "existing_code", "cadence_code"]).catch("none"),
  code: z.string().default(""),
  priority: z.string().default("0"),
  startsAt: z.string().default(""),
  endsAt: z.string().default(""),
  holdoutPercent: z.string().default(""),
});

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The form's fields as an offer for app/offers/store.server.ts, or field errors it cannot get past. */
export function offerInputFromForm(fields: Record<string, unknown>, choices: AudienceChoice[]): { ok: true; input: Omit<OfferInput, "id" | "status">; values: OfferFormValues } | { ok: false; errors: Record<string, string>; values: OfferFormValues } {
  const values = formSchema.parse(fields) as OfferFormValues;
  const errors: Record<string, string> = {};
  if (!choices.some((choice) => choice.value === values.audience)) errors.audience = "Choose an audience from the list";
  const whole = (text: string, field: string, min: number, max: number) => {
    const value = Number(text.trim() || "NaN");
    if (!Number.isFinite(value) || value < min || value > max) errors[field] = `Enter a number from ${min} to ${max}`;
    return value;
  };
  const priority = whole(values.priority, "priority", -1000, 1000);
  const holdoutPercent = whole(values.holdoutPercent || (values.audience === "guests" ? "0" : "10"), "holdoutPercent", 0, 50);
  for (const field of ["startsAt", "endsAt"] as const) if (values[field] && !DATE.test(values[field])) errors[field] = "Use a date like 2026-12-01";
  if (Object.keys(errors).length) return { ok: false, errors, values };
  const [kind, ...rest] = values.audience.split(":");
  const key = rest.join(":");
  const audience: Audience =
    kind === "tier" ? { kind: "tier", tierKey: key } : kind === "segment" ? { kind: "segment", segmentKey: key } : kind === "custom" ? { kind: "custom_segment", segmentId: key } : { kind: kind as "guests" | "everyone" };
  const discount: Discount =
    values.discountKind === "existing_code" ? { kind: "existing_code", code: values.code } : values.discountKind === "cadence_code" ? { kind: "cadence_code", code: values.code.trim() || null } : { kind: "none" };
  return {
    ok: true,
    values,
    input: {
      name: values.name,
      audience,
      content: { headline: values.headline, ...(values.body.trim() ? { body: values.body } : {}), ctaLabel: values.ctaLabel, ctaUrl: values.ctaUrl.trim() },
      discount,
      priority,
      startsAt: values.startsAt ? new Date(`${values.startsAt}T00:00:00Z`) : null,
      endsAt: values.endsAt ? new Date(`${values.endsAt}T00:00:00Z`) : null,
      holdoutPercent,
    },
  };
}

/** The store's error keys ("content.headline") as the form's field names ("headline"). */
export function formErrors(errors: Record<string, string>): Record<string, string> {
  const names: Record<string, string> = { "content.headline": "headline", "content.body": "body", "content.ctaLabel": "ctaLabel", "content.ctaUrl": "ctaUrl", "discount.code": "code", discount: "discountKind" };
  return Object.fromEntries(Object.entries(errors).map(([key, message]) => [names[key] ?? key, message]));
}
