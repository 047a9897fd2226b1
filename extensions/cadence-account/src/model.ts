// What the customer account block shows, from the metafields Cadence publishes (app/storefront-contract/metafields.ts: the same
// values the theme block's Liquid reads) and decided the same way as the Liquid (snippets/cadence-offer.liquid and
// cadence-tier-progress.liquid): a guest sees the shop's guest offer; a customer their own offer, unless held out of it
// or opted out; progress to the next tier for every customer who has not opted out. Pure, and free of libraries: the
// block's size is budgeted (bench/customer-account-size.ts). Nothing that identifies the shopper is ever shown.

/** `customer.metafields.$app.*` as the Customer Account API returns them: key, type and the string value. */
export interface RawMetafield {
  key: string;
  type: string;
  value: string;
}

export interface Reason {
  key: string;
  params: { tier?: string; count?: number };
}

/** An offer the shopper may see (contract: treatmentOfferSchema / guestOfferSchema, version 1). */
export interface ShownOffer {
  offerId: string;
  headline: string;
  body?: string;
  cta: { label: string; url: string };
  discountCode?: string;
  reason: Reason;
}

export interface AccountValues {
  tier?: string;
  tierName?: string;
  nextTierName?: string;
  /** Liquid money units: hundredths of the shop currency, whatever its decimals. */
  nextTierSpendCents?: number;
  nextTierOrders?: number;
  /** The customer's `offer` JSON (treatment or holdout), undecoded beyond JSON. */
  offer?: unknown;
  optedOut: boolean;
}

export const CONTRACT_VERSION = 1;

/** The customer metafields the block reads (each has customer-account READ access: contract.ts). */
export const ACCOUNT_KEYS = [
  "tier",
  "tier_name",
  "next_tier_name",
  "next_tier_spend_cents",
  "next_tier_orders",
  "offer",
  "opted_out",
] as const;

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value : undefined;
const count = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isInteger(value) && value > 0 ? value : undefined;

function json(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** Decodes the metafields by type, the way Shopify exposes them to Liquid as `metafield.value`. Unknown keys are ignored. */
export function accountValues(metafields: ReadonlyArray<RawMetafield | null>): AccountValues {
  const byKey = new Map(
    metafields.filter((field): field is RawMetafield => Boolean(field)).map((field) => [field.key, field]),
  );
  const raw = (key: string) => byKey.get(key)?.value;
  const integer = (key: string) => {
    const value = raw(key);
    return value === undefined ? undefined : count(Number(value));
  };
  return {
    tier: text(raw("tier")),
    tierName: text(raw("tier_name")),
    nextTierName: text(raw("next_tier_name")),
    nextTierSpendCents: integer("next_tier_spend_cents"),
    nextTierOrders: integer("next_tier_orders"),
    offer: raw("offer") === undefined ? undefined : json(raw("offer") as string),
    optedOut: raw("opted_out") === "true",
  };
}

/** A version-1 offer with the content the block renders; anything else is not shown (as the Liquid does). */
export function shownOffer(document: unknown): ShownOffer | null {
  if (!document || typeof document !== "object") return null;
  const offer = document as Record<string, unknown>;
  const cta = (offer.cta ?? {}) as Record<string, unknown>;
  const reason = (offer.reason ?? {}) as Record<string, unknown>;
  const params = (reason.params ?? {}) as Record<string, unknown>;
  const headline = text(offer.headline);
  const label = text(cta.label);
  const url = text(cta.url);
  if (offer.v !== CONTRACT_VERSION || offer.holdout === true || !text(offer.offer_id) || !headline || !label || !url)
    return null;
  return {
    offerId: offer.offer_id as string,
    headline,
    body: text(offer.body),
    cta: { label, url },
    discountCode: text(offer.discount_code),
    reason: { key: text(reason.key) ?? "", params: { tier: text(params.tier), count: count(params.count) } },
  };
}

export type ShopperState = "guest" | "personal" | "holdout" | "none" | "opted_out";

/** A sentence from the locale files: its key (under `cadence.`) and its parameters. */
export interface Line {
  key: string;
  params?: Record<string, string | number>;
}

export interface BlockView {
  state: ShopperState;
  /** "You're a Gold member" (not for the top tier, whose progress line says it). */
  tier: Line | null;
  progress: Line | null;
  offer: ShownOffer | null;
  reason: Line | null;
  /** "Why am I seeing this?" */
  why: Line;
  /** The opt-out control: stop (personalised offers are on) or resume (they are off); none for a guest. */
  preference: "stop" | "resume" | null;
}

export interface Shop {
  /** The shop's currency (ISO 4217), in which the spend to the next tier is counted; null when unknown. */
  currency: string | null;
  /** The storefront's URL, for the offer's link (a path on the shop): the account pages are on another domain. */
  storefrontUrl: string | null;
  guestOffer: unknown;
}

/**
 * The block for one shopper. `values` is null for a guest (no customer logged in). `formatMoney` turns Liquid money
 * units into the shopper's format in the shop currency (i18n.formatCurrency).
 */
export function blockView(
  values: AccountValues | null,
  shop: Shop,
  formatMoney: (cents: number, currency: string) => string,
): BlockView {
  if (!values) {
    const offer = shownOffer(shop.guestOffer);
    return {
      state: "guest",
      tier: null,
      progress: null,
      offer,
      reason: offer ? reasonLine(offer.reason) : null,
      why: { key: "why.guest" },
      preference: null,
    };
  }
  if (values.optedOut)
    return {
      state: "opted_out",
      tier: null,
      progress: null,
      offer: null,
      reason: null,
      why: { key: "why.opted_out" },
      preference: "resume",
    };
  const document = values.offer as { v?: unknown; holdout?: unknown } | undefined;
  const offer = shownOffer(document);
  const state: ShopperState = offer
    ? "personal"
    : document?.v === CONTRACT_VERSION && document.holdout === true
      ? "holdout"
      : "none";
  // The reason line already names the tier, so the top-tier line would repeat it (cadence-tier-progress.liquid).
  const tierNamed = offer?.reason.key === "tier_member";
  return {
    state,
    tier: values.tierName && values.nextTierName ? { key: "account.tier", params: { tier: values.tierName } } : null,
    progress: progressLine(values, shop.currency, tierNamed, formatMoney),
    offer,
    reason: offer ? reasonLine(offer.reason) : null,
    why: { key: state === "personal" ? "why.personal" : "why.generic" },
    preference: "stop",
  };
}

function reasonLine(reason: Reason): Line | null {
  if (!reason.key) return null;
  const params: Record<string, string | number> = {};
  if (reason.params.tier) params.tier = reason.params.tier;
  if (reason.params.count) params.count = reason.params.count;
  return { key: `reason.${reason.key}`, params };
}

function progressLine(
  values: AccountValues,
  currency: string | null,
  tierNamed: boolean,
  formatMoney: (cents: number, currency: string) => string,
): Line | null {
  const next = values.nextTierName;
  if (next) {
    if (values.nextTierSpendCents && currency)
      return {
        key: "progress.spend",
        params: { amount: formatMoney(values.nextTierSpendCents, currency), tier: next },
      };
    if (values.nextTierOrders) return { key: "progress.orders", params: { count: values.nextTierOrders, tier: next } };
    return { key: "progress.on_the_way", params: { tier: next } };
  }
  if (values.tier && values.tierName && !tierNamed) return { key: "progress.top", params: { tier: values.tierName } };
  return null;
}

/** The offer's link on the storefront: a path on the shop joined to its URL, or an https URL as published. */
export function offerLink(url: string, storefrontUrl: string | null): string | null {
  if (url.startsWith("https://")) return url;
  if (!url.startsWith("/") || url.startsWith("//") || !storefrontUrl) return null;
  return storefrontUrl.replace(/\/+$/, "") + url;
}
