import { createHash } from "node:crypto";
import type { Shopper } from "./choose";

// Holdout assignment (docs/decisions/0301-holdout-by-stable-hash.md). A customer's arm for an offer is a pure
// function of (shop, offer, customer): SHA-256 of the three, read as a number in [0, 10 000) basis points, held
// out when below the offer's holdout percentage × 100. No state is stored, every process (publisher, app proxy,
// report) computes the same arm, and raising the percentage only moves treatment customers into the holdout,
// never the reverse. Guests have no stable identity, so they are never held out.

export type Arm = "treatment" | "holdout";

export const BUCKETS = 10_000;

/**
 * The customer's bucket for an offer, uniform over 0–9 999. `shop` should be the permanent myshopify domain and
 * `customerId` Shopify's numeric customer ID, so the bucket survives reinstalls and database moves.
 */
export function holdoutBucket(shop: string, offerId: string, customerId: string): number {
  // JSON encoding keeps ("ab","c") and ("a","bc") apart. 48 bits mod 10 000 is uniform to within 4e-11.
  const digest = createHash("sha256")
    .update(JSON.stringify([shop, offerId, customerId]))
    .digest();
  return digest.readUIntBE(0, 6) % BUCKETS;
}

export function assignArm(input: { shop: string; offerId: string; shopper: Shopper; holdoutPercent: number }): Arm {
  if (input.shopper.kind === "guest") return "treatment";
  const threshold = Math.round(input.holdoutPercent * (BUCKETS / 100));
  return holdoutBucket(input.shop, input.offerId, input.shopper.customerId) < threshold ? "holdout" : "treatment";
}
