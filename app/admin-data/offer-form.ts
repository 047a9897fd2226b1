import { currencyExponent, decimalToMinor, minorToDecimal } from "~/money/decimal";
import type { Audience, Discount, DiscountValue, Offer, OfferInput } from "~/offers/model";
import type { FieldErrors } from "~/offers/store.server";

// The offer form's fields, flat and named after the offer's paths ("content.headline"), so the field errors that
// app/offers/store.server.ts returns (keyed by path) land on the input that caused them. Pure: parsing a
// submitted form into an OfferInput, and an offer back into the form's values. Amounts are typed in the shop
// currency's major units ("10.00") and stored in minor units; the fields that hold them are named for what the
// merchant types, and toFormErrors moves the schema's errors onto them.

export interface OfferFormValues {
  name: string;
  audience: string;
  "content.headline": string;
  "content.body": string;
  "content.ctaLabel": string;
  "content.ctaUrl": string;
  "content.image.url": string;
  "content.image.alt": string;
  "content.image.width": string;
  "content.image.height": string;
  "discount.kind": Discount["kind"];
  "discount.code": string;
  /** A Cadence-created code's value: "percentage" or "fixed_amount". */
  "discount.value.type": DiscountValue["type"];
  "discount.value.percent": string;
  /** Major units of the shop currency. */
  "discount.value.amount": string;
  /** Major units of the shop currency; empty: no minimum. */
  "discount.minimumSubtotal": string;
  /** "true" or "false". */
  "discount.oncePerCustomer": string;
  priority: string;
  startsAt: string;
  endsAt: string;
  holdoutPercent: string;
}

export const EMPTY_OFFER_FORM: OfferFormValues = {
  name: "",
  audience: "everyone",
  "content.headline": "",
  "content.body": "",
  "content.ctaLabel": "",
  "content.ctaUrl": "",
  "content.image.url": "",
  "content.image.alt": "",
  "content.image.width": "1200",
  "content.image.height": "630",
  "discount.kind": "none",
  "discount.code": "",
  "discount.value.type": "percentage",
  "discount.value.percent": "",
  "discount.value.amount": "",
  "discount.minimumSubtotal": "",
  "discount.oncePerCustomer": "true",
  priority: "0",
  startsAt: "",
  endsAt: "",
  holdoutPercent: "10",
};

/** "tier:gold", "segment:at_risk", "custom_segment:custom_vip", "guests", "everyone". */
export function audienceValue(audience: Audience): string {
  switch (audience.kind) {
    case "tier":
      return `tier:${audience.tierKey}`;
    case "segment":
      return `segment:${audience.segmentKey}`;
    case "custom_segment":
      return `custom_segment:${audience.segmentId}`;
    default:
      return audience.kind;
  }
}

function parseAudience(value: string): Audience | null {
  if (value === "guests" || value === "everyone") return { kind: value };
  const [kind, key] = [value.slice(0, value.indexOf(":")), value.slice(value.indexOf(":") + 1)];
  if (!key) return null;
  if (kind === "tier") return { kind, tierKey: key };
  if (kind === "segment") return { kind, segmentKey: key };
  if (kind === "custom_segment") return { kind, segmentId: key };
  return null;
}

export function formValues(offer: Offer, currency: string): OfferFormValues {
  const { content, discount } = offer;
  const cadence = discount.kind === "cadence_code" ? discount : null;
  return {
    name: offer.name,
    audience: audienceValue(offer.audience),
    "content.headline": content.headline,
    "content.body": content.body ?? "",
    "content.ctaLabel": content.ctaLabel,
    "content.ctaUrl": content.ctaUrl,
    "content.image.url": content.image?.url ?? "",
    "content.image.alt": content.image?.alt ?? "",
    "content.image.width": String(content.image?.width ?? 1200),
    "content.image.height": String(content.image?.height ?? 630),
    "discount.kind": discount.kind,
    // A Cadence-created code is Cadence's to set: the form does not carry it.
    "discount.code": discount.kind === "existing_code" ? discount.code : "",
    "discount.value.type": cadence?.value?.type ?? "percentage",
    "discount.value.percent": cadence?.value?.type === "percentage" ? String(cadence.value.percent) : "",
    "discount.value.amount":
      cadence?.value?.type === "fixed_amount" ? minorToDecimal(cadence.value.amountMinor, currency) : "",
    "discount.minimumSubtotal": cadence?.minimumSubtotalMinor
      ? minorToDecimal(cadence.minimumSubtotalMinor, currency)
      : "",
    "discount.oncePerCustomer": String(cadence?.oncePerCustomer ?? true),
    priority: String(offer.priority),
    startsAt: offer.startsAt ? offer.startsAt.toISOString().slice(0, 10) : "",
    endsAt: offer.endsAt ? offer.endsAt.toISOString().slice(0, 10) : "",
    holdoutPercent: String(offer.holdoutPercent),
  };
}

type Editable = Omit<OfferInput, "id" | "status">;

/**
 * The submitted form as an offer input, or field errors for what cannot even be read (an audience value that is
 * not one of the shop's choices). Everything else is validated by the offer schema itself.
 */
export function parseOfferForm(
  form: FormData,
  audiences: ReadonlySet<string>,
  currency: string,
): { ok: true; input: Editable } | { ok: false; errors: FieldErrors } {
  const text = (name: keyof OfferFormValues) => String(form.get(name) ?? "").trim();
  const audience = parseAudience(text("audience"));
  if (!audience || !audiences.has(text("audience")))
    return { ok: false, errors: { audience: "Choose who sees the offer from the list" } };
  const discountKind = text("discount.kind");
  const discount: Discount | { kind: string } =
    discountKind === "existing_code"
      ? { kind: "existing_code", code: text("discount.code") }
      : discountKind === "cadence_code"
        ? cadenceCodeInput(text, currency)
        : { kind: discountKind };
  const imageUrl = text("content.image.url");
  const body = text("content.body");
  return {
    ok: true,
    input: {
      name: text("name"),
      audience,
      content: {
        headline: text("content.headline"),
        ...(body ? { body } : {}),
        ctaLabel: text("content.ctaLabel"),
        ctaUrl: text("content.ctaUrl"),
        ...(imageUrl
          ? {
              image: {
                url: imageUrl,
                alt: text("content.image.alt"),
                width: Number(text("content.image.width")),
                height: Number(text("content.image.height")),
              },
            }
          : {}),
      },
      discount: discount as Discount,
      priority: Number(text("priority") || "0"),
      startsAt: dateValue(text("startsAt")),
      endsAt: dateValue(text("endsAt")),
      holdoutPercent: Number(text("holdoutPercent") || "0"),
    },
  };
}

// The code itself is Cadence's (null until Shopify has it); unreadable numbers go to the schema as NaN, which refuses
// them with a message for their field.
function cadenceCodeInput(text: (name: keyof OfferFormValues) => string, currency: string): Discount {
  const type = text("discount.value.type");
  const value: DiscountValue | null =
    type === "percentage"
      ? { type, percent: text("discount.value.percent") === "" ? Number.NaN : Number(text("discount.value.percent")) }
      : type === "fixed_amount"
        ? { type, amountMinor: minorAmount(text("discount.value.amount"), currency) }
        : null;
  const minimum = text("discount.minimumSubtotal");
  return {
    kind: "cadence_code",
    code: null,
    value,
    minimumSubtotalMinor: minimum === "" ? null : minorAmount(minimum, currency),
    oncePerCustomer: text("discount.oncePerCustomer") !== "false",
  };
}

/** "12.50" in the shop currency → minor units; NaN for anything else, or for more decimals than the currency has. */
function minorAmount(value: string, currency: string): number {
  const match = /^\d+(?:\.(\d+))?$/.exec(value);
  if (!match || (match[1]?.length ?? 0) > currencyExponent(currency)) return Number.NaN;
  return decimalToMinor(value, currency);
}

// The schema names amounts by what it stores (minor units); the form by what the merchant types.
const FORM_FIELD_OF: Record<string, keyof OfferFormValues> = {
  "discount.value": "discount.value.type",
  "discount.value.amountMinor": "discount.value.amount",
  "discount.minimumSubtotalMinor": "discount.minimumSubtotal",
};

/** The store's field errors keyed by the form's field names, so each lands on the input that caused it. */
export function toFormErrors(errors: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.entries(errors).map(([key, message]) => [FORM_FIELD_OF[key] ?? key, message]));
}

// A date field's "YYYY-MM-DD" is midnight UTC; anything else goes to the schema as is, which rejects it.
function dateValue(value: string): string | null {
  if (!value) return null;
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value;
}
