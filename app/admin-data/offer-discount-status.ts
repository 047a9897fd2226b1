import type { Offer } from "~/offers/model";
import type { OfferDiscountRecord } from "~/offers/discount-records.server";

// What the offer's page says about its Cadence-created code: live in Shopify, waiting for Shopify, deactivated, or
// refused (with Shopify's reason and a Retry). Pure; the page renders it as a banner. No GIDs cross to the page:
// merchants find the segment in Shopify's admin by its name.

export interface DiscountStatus {
  tone: "success" | "info" | "warning" | "critical";
  title: string;
  message: string;
  /** The code Cadence chose (shown even before Shopify has it, so the merchant can look for it). */
  code: string | null;
  segmentName: string | null;
  canRetry: boolean;
}

export function discountStatus(
  offer: Offer,
  record: OfferDiscountRecord | null,
  segmentName: string,
): DiscountStatus | null {
  if (offer.discount.kind !== "cadence_code") return null;
  const segment = offer.audience.kind === "everyone" ? null : segmentName;
  const restricted = segment
    ? `restricted to the customer segment "${segment}", which Cadence keeps in step with this audience`
    : "open to every customer";
  const code = record?.code ?? null;
  if (record?.lastError && record.lastErrorTemporary)
    return {
      tone: "warning",
      title: "Waiting for Shopify",
      message: `${record.lastError} The offer is shown to shoppers once Shopify has the code.`,
      code,
      segmentName: segment,
      canRetry: true,
    };
  if (record?.lastError)
    return {
      tone: "critical",
      title: "Shopify does not have this offer's code yet",
      message: `${record.lastError} The offer is not shown until it does.`,
      code,
      segmentName: segment,
      canRetry: true,
    };
  if (offer.status === "draft")
    return {
      tone: "info",
      title: "The code is created when the offer is activated",
      message: `Cadence then creates it in Shopify, ${restricted}.`,
      code,
      segmentName: segment,
      canRetry: false,
    };
  if (offer.status !== "active") {
    const inactive = { tone: "info" as const, code, segmentName: segment, canRetry: false };
    if (!record?.discountGid)
      return {
        ...inactive,
        title: `No code exists in Shopify for this ${offer.status} offer`,
        message: "Shoppers cannot redeem one; it is created if the offer is active again.",
      };
    if (record.pendingSince && record.active)
      return {
        ...inactive,
        title: "Cadence is deactivating the code in Shopify",
        message: "Shoppers can redeem it until Shopify has ended it, moments from now.",
      };
    return {
      ...inactive,
      title: `The code is deactivated in Shopify while the offer is ${offer.status}`,
      message: "Shoppers cannot redeem it; resuming the offer activates it again.",
    };
  }
  if (offer.discount.code)
    return {
      tone: "success",
      title: `Code ${offer.discount.code} is live in Shopify`,
      message: `The code is ${restricted}.`,
      code,
      segmentName: segment,
      canRetry: false,
    };
  return {
    tone: "warning",
    title: "Waiting for Shopify",
    message: `Cadence is creating the code in Shopify, ${restricted}. The offer is shown to shoppers once Shopify has it.`,
    code,
    segmentName: segment,
    canRetry: !record,
  };
}
