import { z } from "zod";
import type { Arm } from "./holdout";
import type { Offer } from "./model";

// An exposure or click beacon as assets/cadence-offers.js sends it (docs/storefront.md "JavaScript"): the offer's
// ID, the arm the shopper was shown, and where. The shopper is never a parameter: Shopify's app proxy adds
// logged_in_customer_id itself. The offer and arm are claims: the server decides both for the shopper
// (verifyBeacon) and stores only a beacon that matches its decision.

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
export function parseBeacon(
  params: ReadonlyMap<string, string>,
): { ok: true; beacon: Beacon } | { ok: false; message: string } {
  const own = Object.fromEntries([...params].filter(([key]) => !PROXY_PARAMS.has(key)));
  const parsed = beaconSchema.safeParse(own);
  if (!parsed.success)
    return {
      ok: false,
      message: parsed.error.issues.map((issue) => `${issue.path.join(".") || "query"}: ${issue.message}`).join("; "),
    };
  return { ok: true, beacon: parsed.data };
}

/** What the server decided for the shopper (app/offers/personalise.ts: decideForCustomer, decideForGuest). */
export interface ServerDecision {
  offer: Pick<Offer, "id">;
  arm: Arm;
}

/** An event whose offer and arm are the server's: the only kind app/offers/events.server.ts stores. */
export interface VerifiedEvent {
  type: Beacon["type"];
  surface: Beacon["surface"];
  offerId: string;
  arm: Arm;
}

/**
 * The beacon as an event, when its offer and arm are the ones the server chose for this shopper now; otherwise why
 * not. A shopper who was shown an offer by a page published before a change (a new tier, a paused offer) is refused
 * too: the report counts only exposures the server can vouch for.
 */
export function verifyBeacon(
  beacon: Beacon,
  decision: ServerDecision | null,
): { ok: true; event: VerifiedEvent } | { ok: false; message: string } {
  if (!decision || decision.offer.id !== beacon.offer)
    return { ok: false, message: `offer "${beacon.offer}" is not the offer this shopper is shown` };
  if (decision.arm !== beacon.arm)
    return { ok: false, message: `arm "${beacon.arm}" is not this shopper's arm for offer "${beacon.offer}"` };
  return {
    ok: true,
    event: { type: beacon.type, surface: beacon.surface, offerId: decision.offer.id, arm: decision.arm },
  };
}
