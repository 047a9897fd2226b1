import { z } from "zod";

// An exposure or click beacon as assets/cadence-offers.js sends it (docs/storefront.md "JavaScript"): the offer's
// ID, the arm the shopper was shown, and where. The shopper is never a parameter: Shopify's app proxy adds
// logged_in_customer_id itself.

export const beaconSchema = z
  .object({
    type: z.enum(["exposure", "click"]),
    offer: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be an offer ID"),
    arm: z.enum(["treatment", "holdout"]),
    surface: z.enum(["block", "banner"]),
  })
  .strict();

export type Beacon = z.infer<typeof beaconSchema>;

const PROXY_PARAMS = new Set(["shop", "logged_in_customer_id", "path_prefix", "timestamp", "signature"]);

/** The beacon's own parameters (Shopify's are dropped), or a message naming what is wrong. */
export function parseBeacon(params: ReadonlyMap<string, string>, customerId: string | null): { ok: true; beacon: Beacon } | { ok: false; message: string } {
  const own = Object.fromEntries([...params].filter(([key]) => !PROXY_PARAMS.has(key)));
  const parsed = beaconSchema.safeParse(own);
  if (!parsed.success) return { ok: false, message: parsed.error.issues.map((issue) => `${issue.path.join(".") || "query"}: ${issue.message}`).join("; ") };
  // Guests are never held out (docs/decisions/0301): a holdout beacon without a customer is not one Cadence sent.
  if (!customerId && parsed.data.arm === "holdout") return { ok: false, message: "arm: guests are never held out" };
  return { ok: true, beacon: parsed.data };
}
