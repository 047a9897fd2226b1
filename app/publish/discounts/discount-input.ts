import { minorToDecimal } from "~/money/decimal";
import type { DiscountValue, Offer } from "~/offers/model";

// The Admin API's DiscountCodeBasicInput for an offer's Cadence-created code. Pure. Who may redeem it is `context`
// (a one-of: every buyer, or the listed customer segments), which replaced `customerSelection` (deprecated in 2025-10).

export interface DiscountCodeBasicInput {
  title: string;
  code: string;
  startsAt: string;
  endsAt: string | null;
  context: { all: "ALL" } | { customerSegments: { add: string[] } };
  customerGets: {
    value: { percentage: number } | { discountAmount: { amount: string; appliesOnEachItem: false } };
    items: { all: true };
  };
  minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: string } } | null;
  appliesOncePerCustomer: boolean;
  usageLimit: null;
}

export interface CodeContext {
  code: string;
  /** The native segment the code is restricted to; null: every customer ("everyone" offers). */
  segmentGid: string | null;
  currency: string;
  /** When the code becomes redeemable if the offer has no start date: when Cadence first planned it (stable). */
  plannedAt: Date;
}

function customerGetsValue(value: DiscountValue, currency: string): DiscountCodeBasicInput["customerGets"]["value"] {
  // Shopify's percentage is a fraction of 1; an amount is a decimal in the shop currency, spread over the order.
  if (value.type === "percentage") return { percentage: Math.round(value.percent * 100) / 10_000 };
  return { discountAmount: { amount: minorToDecimal(value.amountMinor, currency), appliesOnEachItem: false } };
}

export function discountCodeBasicInput(offer: Offer, context: CodeContext): DiscountCodeBasicInput {
  if (offer.discount.kind !== "cadence_code")
    throw new Error(`offer ${offer.id} does not carry a Cadence-created code`);
  const { value, minimumSubtotalMinor, oncePerCustomer } = offer.discount;
  if (!value) throw new Error(`offer ${offer.id} has no discount value`);
  return {
    // Shopify shows a code discount's title to customers as well as in its admin: the code itself says nothing the
    // shopper was not shown, where the offer's name is the merchant's own ("only you see it").
    title: context.code,
    code: context.code,
    startsAt: (offer.startsAt ?? context.plannedAt).toISOString(),
    endsAt: offer.endsAt?.toISOString() ?? null,
    context: context.segmentGid ? { customerSegments: { add: [context.segmentGid] } } : { all: "ALL" },
    customerGets: { value: customerGetsValue(value, context.currency), items: { all: true } },
    minimumRequirement: minimumSubtotalMinor
      ? { subtotal: { greaterThanOrEqualToSubtotal: minorToDecimal(minimumSubtotalMinor, context.currency) } }
      : null,
    appliesOncePerCustomer: oncePerCustomer,
    usageLimit: null,
  };
}
