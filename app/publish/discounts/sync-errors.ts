import { ShopifySetupError } from "../shopify-segments.server";
import { isAdminApiError, NoShopifyStoreError } from "~/shopify-admin/errors";
import type { AdminApiError } from "~/shopify-admin/errors";

// What the offer's page says when a discount sync failed: Shopify's own words for what it refused, or what went wrong
// on the way, with no access token or request detail (AdminApiError never carries them).

/** Something about the offer itself stops its code from being created (fixed by editing the offer). */
export class DiscountSetupError extends ShopifySetupError {
  override name = "DiscountSetupError";
}

function subject(operationName: string): string {
  if (operationName.startsWith("Segment")) return "the customer segment";
  if (operationName.includes("Discount")) return "the discount code";
  return "the request";
}

/** Shopify's refusal (userErrors) in its own words, naming what it refused. */
export function refusedMessage(error: AdminApiError): string {
  const reasons = error.userErrors.map(
    (userError) => `${userError.field?.length ? `${userError.field.join(".")}: ` : ""}${userError.message}`,
  );
  return `Shopify refused ${subject(error.operationName)}: ${reasons.join("; ") || error.message}`;
}

/** A failure that may pass by itself: the offer's page says "Waiting for Shopify", and the job is tried again. */
export function isTemporary(error: unknown): boolean {
  return error instanceof NoShopifyStoreError || (isAdminApiError(error) && error.retryLater);
}

/** What a failed sync with Shopify is about, in the words its message uses. */
export interface SyncWords {
  /** What Cadence syncs: "the discount". */
  syncing: string;
  /** What it cannot create without a store: "the code". */
  creating: string;
  /** The permissions it needs: "discount and customer". */
  permissions: string;
  /** What Shopify rejected, when no better name comes from the operation. */
  rejected?: string;
}

/** A failed sync's message for the merchant, for any thing Cadence keeps in line with Shopify. */
export function shopifySyncErrorMessage(error: unknown, words: SyncWords): string {
  if (error instanceof ShopifySetupError) return error.message;
  if (error instanceof NoShopifyStoreError)
    return `This shop is not connected to a Shopify store (it is the local demo's), so Cadence cannot create ${words.creating} there.`;
  if (!isAdminApiError(error))
    return `Cadence could not sync ${words.syncing}: ${error instanceof Error ? error.message : String(error)}`;
  switch (error.kind) {
    case "user-errors":
      return refusedMessage(error);
    case "network":
    case "server":
    case "throttled":
      return "Shopify could not be reached or was busy. Cadence tries again on its own for a while; Retry tries again now.";
    case "unauthorized":
      return `Shopify refused Cadence's access: the app was uninstalled or lacks the ${words.permissions} permissions.`;
    default:
      return `Shopify rejected the request for ${words.rejected ?? subject(error.operationName)}: ${error.message}`;
  }
}

export function syncErrorMessage(error: unknown): string {
  return shopifySyncErrorMessage(error, {
    syncing: "the discount",
    creating: "the code",
    permissions: "discount and customer",
  });
}
