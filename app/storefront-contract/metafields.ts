import { z } from "zod";
import { currencyExponent } from "~/money/decimal";
import { CUSTOM_PREFIX } from "~/segments/classify";

// The published-data contract between Cadence and its theme app extension (extensions/cadence-offers/).
// Cadence writes these metafields through the Admin API; the extension's Liquid reads them on the storefront
// with no round trip. Everything here is pure data and validation: docs/storefront.md explains each field,
// the shopper states and the limits, and the publisher (publisher.server.ts) is the only writer.
//
// Namespace: the app-reserved `$app`, which Shopify expands to `app--{client_id}`. Only Cadence can write it;
// merchants can read it (admin access MERCHANT_READ) and the extension reads it in Liquid as
// `customer.metafields["$app"].<key>` and `shop.metafields["$app"].<key>` (storefront access PUBLIC_READ).

export const METAFIELD_NAMESPACE = "$app";
/** Shopify's cap on metafields in one `metafieldsSet` call (Admin API; the call is atomic). */
export const METAFIELDS_SET_LIMIT = 25;
/** Largest JSON metafield value Shopify accepts from API 2026-04 on (128 KB); other types allow 64 KB. */
export const JSON_METAFIELD_MAX_BYTES = 128 * 1024;
export const TEXT_METAFIELD_MAX_BYTES = 64 * 1024;
/** Shopify's cap on items in any list metafield. */
export const LIST_METAFIELD_MAX_ITEMS = 128;
/** Version of the JSON documents below; the extension renders only versions it knows. */
export const CONTRACT_VERSION = 1;

export type MetafieldType =
  "single_line_text_field" | "number_integer" | "boolean" | "json" | "list.single_line_text_field";
export type MetafieldOwner = "CUSTOMER" | "SHOP";

export interface MetafieldSpec {
  owner: MetafieldOwner;
  key: string;
  type: MetafieldType;
  name: string;
  description: string;
  /** Whether the storefront (Liquid, the Storefront API with the customer's own token) may read it. */
  storefront: "PUBLIC_READ" | "NONE";
  /** Whether the Customer Account API may read it: what the customer account block shows (extensions/cadence-account/). */
  customerAccount: "READ" | "NONE";
}

// Why reasons are a closed list: the extension turns `reason.key` into a translated sentence with
// `'cadence.reason.<key>' | t`, and Shopify prints "Translation missing" for unknown keys. Every key here has a
// string in every locale file (test/unit/extension/locales.test.ts), so adding a reason means adding both.
export const REASON_KEYS = [
  "tier_member",
  "at_risk",
  "lapsed",
  "lost",
  "high_value_at_risk",
  "unhappy",
  "post_purchase_upsell",
  "first_order_anniversary",
  "seasonal_buyer",
  "segment",
  "custom_segment",
  "everyone",
  "guest",
] as const;
export type ReasonKey = (typeof REASON_KEYS)[number];

const IDENTIFIER = /^[A-Za-z0-9_-]{1,64}$/;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((value) => !CONTROL_CHARACTERS.test(value), "must not contain control characters");

/** A call-to-action link: a path on the shop ("/collections/sale") or an https URL. Nothing else reaches an href. */
export const linkSchema = z
  .string()
  .min(1, "Enter where the button leads: a path on your shop or an https:// address")
  .max(2048, "Keep the link to 2,048 characters")
  .refine(
    (value) => isShopPath(value) || isHttpsUrl(value),
    'Enter a path on your shop ("/collections/sale") or an https:// address',
  );

function isShopPath(value: string): boolean {
  return value.startsWith("/") && !value.startsWith("//") && !/[\s\\]/.test(value);
}

function isHttpsUrl(value: string): boolean {
  if (/\s/.test(value)) return false;
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}

const pixels = (side: string) =>
  z
    .number({ message: `Enter the image's ${side} in pixels, 1 to 4096` })
    .int(`Enter the image's ${side} in whole pixels, 1 to 4096`)
    .min(1, `Enter the image's ${side} in pixels, 1 to 4096`)
    .max(4096, `Enter the image's ${side} in pixels, 1 to 4096`);

export const imageSchema = z
  .object({
    url: z.string().max(2048, "Keep the address to 2,048 characters").refine(isHttpsUrl, "Enter an https:// address"),
    alt: z.string().trim().max(200, "Keep the description to 200 characters"),
    width: pixels("width"),
    height: pixels("height"),
  })
  .strict();

// Reason parameters, interpolated by the `t` filter (which HTML-escapes them): `tier` for tier_member, `count`
// (whole years) for first_order_anniversary. Nothing that identifies the shopper is ever a parameter.
export const reasonSchema = z
  .object({
    key: z.enum(REASON_KEYS),
    params: z
      .object({
        tier: text(60).optional(),
        count: z.number().int().min(1).max(100).optional(),
      })
      .strict()
      .default({}),
  })
  .strict()
  .superRefine((reason, context) => {
    if (reason.key === "tier_member" && !reason.params.tier)
      context.addIssue({ code: "custom", message: "tier_member needs params.tier" });
    if (reason.key === "first_order_anniversary" && !reason.params.count)
      context.addIssue({ code: "custom", message: "first_order_anniversary needs params.count" });
  });

const offerContentShape = {
  v: z.literal(CONTRACT_VERSION),
  offer_id: z.string().regex(IDENTIFIER),
  headline: text(120),
  body: text(500).optional(),
  cta: z.object({ label: text(40), url: linkSchema }).strict(),
  image: imageSchema.optional(),
  discount_code: text(255).optional(),
  reason: reasonSchema,
};

/** `customer.metafields["$app"].offer` for a shopper in the treatment arm: everything the block renders. */
export const treatmentOfferSchema = z.object({ ...offerContentShape, holdout: z.literal(false) }).strict();

/**
 * `customer.metafields["$app"].offer` for a shopper in the holdout arm: only what the exposure beacon needs.
 * The offer's content and code are deliberately absent, so a holdout shopper cannot find them in the page.
 */
export const holdoutOfferSchema = z
  .object({ v: z.literal(CONTRACT_VERSION), offer_id: z.string().regex(IDENTIFIER), holdout: z.literal(true) })
  .strict();

export const customerOfferSchema = z.discriminatedUnion("holdout", [treatmentOfferSchema, holdoutOfferSchema]);

/**
 * `shop.metafields["$app"].guest_offer`: what visitors who are not logged in see (an offer for guests, or for
 * everyone). Guests have no holdout.
 */
export const guestOfferSchema = z
  .object({
    ...offerContentShape,
    reason: reasonSchema.refine(
      (reason) => reason.key === "guest" || reason.key === "everyone",
      "a guest offer's reason is guest or everyone",
    ),
  })
  .strict();

export type TreatmentOffer = z.infer<typeof treatmentOfferSchema>;
export type HoldoutOffer = z.infer<typeof holdoutOfferSchema>;
export type CustomerOffer = z.infer<typeof customerOfferSchema>;
export type GuestOffer = z.infer<typeof guestOfferSchema>;
export type OfferReason = z.infer<typeof reasonSchema>;

/**
 * The values Cadence publishes on one customer. `undefined` means "no metafield": the publisher deletes it
 * (metafieldsSet refuses blank values), and the Liquid treats a missing metafield as blank.
 */
export const customerMetafieldValuesSchema = z
  .object({
    tier: z.string().regex(IDENTIFIER).optional(),
    tier_name: text(60).optional(),
    next_tier_name: text(60).optional(),
    // Liquid money amounts are always in hundredths of the currency unit, even for currencies without subunits
    // (Shopify's Liquid reference: "1000 Japanese yen is output as 100000"); see liquidMoneyCents().
    next_tier_spend_cents: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
    next_tier_orders: z.number().int().min(1).max(100_000).optional(),
    segments: z.array(z.string().regex(IDENTIFIER)).max(LIST_METAFIELD_MAX_ITEMS).optional(),
    // The merchant's custom segments (their slugs, without "custom:"): what a Cadence-created code's native segment
    // filters on for a custom-segment offer (app/publish/discounts/shopifyql.ts). Not rendered.
    custom_segments: z.array(z.string().regex(IDENTIFIER)).max(LIST_METAFIELD_MAX_ITEMS).optional(),
    offer: customerOfferSchema.optional(),
    opted_out: z.boolean().optional(),
  })
  .strict()
  .superRefine((values, context) => {
    const progress = values.next_tier_spend_cents !== undefined || values.next_tier_orders !== undefined;
    if (progress && !values.next_tier_name)
      context.addIssue({ code: "custom", message: "progress to a next tier needs next_tier_name" });
    if (values.tier_name && !values.tier) context.addIssue({ code: "custom", message: "tier_name needs tier" });
    if (values.opted_out && (values.offer || values.segments || values.custom_segments || values.tier))
      context.addIssue({ code: "custom", message: "an opted-out customer keeps only opted_out: the rest is deleted" });
  });

/** A custom segment's key as `custom_segments` holds it: its slug, without the "custom:" prefix a key cannot hold. */
export function publishedCustomSegment(segmentKey: string): string {
  return segmentKey.startsWith(CUSTOM_PREFIX) ? segmentKey.slice(CUSTOM_PREFIX.length) : segmentKey;
}

export type CustomerMetafieldValues = z.infer<typeof customerMetafieldValuesSchema>;
export type CustomerMetafieldKey = keyof CustomerMetafieldValues;

// Customer keys the customer account block reads; the lists of segment keys are for Shopify's segments and the
// theme's Liquid only, and a shop's metafields reach the block through the Storefront API.
const CUSTOMER_ACCOUNT_KEYS: ReadonlySet<string> = new Set([
  "tier",
  "tier_name",
  "next_tier_name",
  "next_tier_spend_cents",
  "next_tier_orders",
  "offer",
  "opted_out",
]);

export const CUSTOMER_METAFIELDS: Record<CustomerMetafieldKey, MetafieldSpec> = {
  tier: spec(
    "CUSTOMER",
    "tier",
    "single_line_text_field",
    "Cadence tier",
    "Key of the customer's loyalty tier (e.g. gold).",
  ),
  tier_name: spec(
    "CUSTOMER",
    "tier_name",
    "single_line_text_field",
    "Cadence tier name",
    "Display name of the customer's tier.",
  ),
  next_tier_name: spec(
    "CUSTOMER",
    "next_tier_name",
    "single_line_text_field",
    "Cadence next tier",
    "Display name of the next tier up.",
  ),
  next_tier_spend_cents: spec(
    "CUSTOMER",
    "next_tier_spend_cents",
    "number_integer",
    "Cadence spend to next tier",
    "Amount still to spend to reach the next tier, in the shop currency, in Liquid money units (hundredths).",
  ),
  next_tier_orders: spec(
    "CUSTOMER",
    "next_tier_orders",
    "number_integer",
    "Cadence orders to next tier",
    "Orders still needed to reach the next tier.",
  ),
  segments: spec(
    "CUSTOMER",
    "segments",
    "list.single_line_text_field",
    "Cadence segments",
    "Keys of the segments the customer is in.",
  ),
  // Merchant-named segments ("discount-hunters") are the merchant's business: Shopify's segments filter on them, the
  // storefront cannot read them.
  custom_segments: spec(
    "CUSTOMER",
    "custom_segments",
    "list.single_line_text_field",
    "Cadence custom segments",
    "Keys of the shop's custom segments the customer is in.",
    "NONE",
  ),
  offer: spec(
    "CUSTOMER",
    "offer",
    "json",
    "Cadence offer",
    "The offer chosen for the customer, as the storefront renders it.",
  ),
  opted_out: spec(
    "CUSTOMER",
    "opted_out",
    "boolean",
    "Cadence opt-out",
    "True when the customer turned personalised offers off.",
  ),
};

export const SHOP_METAFIELDS = {
  guest_offer: spec(
    "SHOP",
    "guest_offer",
    "json",
    "Cadence guest offer",
    "The offer shown to visitors who are not logged in.",
  ),
} as const;

function spec(
  owner: MetafieldOwner,
  key: string,
  type: MetafieldType,
  name: string,
  description: string,
  storefront: MetafieldSpec["storefront"] = "PUBLIC_READ",
): MetafieldSpec {
  return {
    owner,
    key,
    type,
    name,
    description,
    storefront,
    customerAccount: owner === "CUSTOMER" && CUSTOMER_ACCOUNT_KEYS.has(key) ? "READ" : "NONE",
  };
}

/** A customer's values as the storefront may read them: without the keys whose storefront access is NONE. */
export function storefrontReadable(values: CustomerMetafieldValues): CustomerMetafieldValues {
  return Object.fromEntries(
    Object.entries(values).filter(([key]) => CUSTOMER_METAFIELDS[key as CustomerMetafieldKey].storefront !== "NONE"),
  );
}

/**
 * Metafield definitions, shaped as the Admin API's `MetafieldDefinitionInput`. Admin access stays at the default
 * MERCHANT_READ (merchants see, only Cadence writes: Shopify advises this for values rendered as markup);
 * storefront access PUBLIC_READ lets the extension's Liquid read them (NONE for what only Shopify's admin needs);
 * customer-account READ lets the customer account block read the customer's own (Shopify requires a definition with
 * that access for the Customer Account API to return an app's metafield).
 */
export function metafieldDefinitionInputs() {
  return [...Object.values(CUSTOMER_METAFIELDS), ...Object.values(SHOP_METAFIELDS)].map((field) => ({
    ownerType: field.owner,
    namespace: METAFIELD_NAMESPACE,
    key: field.key,
    type: field.type,
    name: field.name,
    description: field.description,
    access: {
      admin: "MERCHANT_READ" as const,
      storefront: field.storefront,
      ...(field.owner === "CUSTOMER" ? { customerAccount: field.customerAccount } : {}),
    },
  }));
}

export interface EncodedMetafield {
  key: string;
  type: MetafieldType;
  value: string;
}

/** One customer's values as `metafieldsSet` inputs (without ownerId), plus the keys to delete. */
export function encodeCustomerMetafields(values: CustomerMetafieldValues): {
  set: EncodedMetafield[];
  remove: CustomerMetafieldKey[];
} {
  const parsed = customerMetafieldValuesSchema.parse(values);
  const set: EncodedMetafield[] = [];
  const remove: CustomerMetafieldKey[] = [];
  for (const key of Object.keys(CUSTOMER_METAFIELDS) as CustomerMetafieldKey[]) {
    const value = parsed[key];
    const empty = value === undefined || (Array.isArray(value) && value.length === 0) || value === false;
    if (empty) remove.push(key);
    else set.push(encodeValue(CUSTOMER_METAFIELDS[key], value));
  }
  return { set, remove };
}

export function encodeGuestOffer(offer: GuestOffer): EncodedMetafield {
  return encodeValue(SHOP_METAFIELDS.guest_offer, guestOfferSchema.parse(offer));
}

function encodeValue(field: MetafieldSpec, value: unknown): EncodedMetafield {
  const encoded = field.type === "json" || field.type.startsWith("list.") ? JSON.stringify(value) : String(value);
  const limit = field.type === "json" ? JSON_METAFIELD_MAX_BYTES : TEXT_METAFIELD_MAX_BYTES;
  const bytes = new TextEncoder().encode(encoded).length;
  if (bytes > limit) throw new RangeError(`metafield ${field.key} is ${bytes} bytes; Shopify accepts ${limit}`);
  return { key: field.key, type: field.type, value: encoded };
}

/** Splits metafield writes into `metafieldsSet` calls of at most 25. */
export function metafieldsSetBatches<T>(writes: readonly T[], limit = METAFIELDS_SET_LIMIT): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < writes.length; start += limit) batches.push(writes.slice(start, start + limit));
  return batches;
}

/**
 * Cadence's integer minor units → the amount Liquid's money filters expect (hundredths of the unit whatever the
 * currency). Rounds up for three-decimal currencies, so "spend X more" never understates what is left.
 */
export function liquidMoneyCents(minor: number, currency: string): number {
  const exponent = currencyExponent(currency);
  if (exponent <= 2) return minor * 10 ** (2 - exponent);
  return Math.ceil(minor / 10 ** (exponent - 2));
}
