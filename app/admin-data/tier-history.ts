// The customer page's tier history in the merchant's words: one row per move of the customer's tier
// (tiers/advance.ts), "No tier" rather than a blank, and why it moved rather than the stored reason key.

export interface TierHistoryRow {
  /** The day (YYYY-MM-DD, UTC); the page writes it as its other dates ("7 Dec 2026"). */
  on: string;
  from: string;
  to: string;
  why: string;
}

const WHY: Record<string, string> = {
  up: "Reached the tier's threshold",
  down: "Fell below the tier's keep threshold",
  "program-change": "The loyalty program changed",
  "override-set": "Set by staff",
  "override-removed": "Staff removed the tier they had set",
  "override-ended": "The tier set by staff ran out",
};

export function tierHistoryRow(change: {
  on: Date;
  fromTierName: string | null;
  fromTierId: string | null;
  toTierName: string | null;
  toTierId: string | null;
  reason: string;
  detail: string | null;
}): TierHistoryRow {
  const why = WHY[change.reason] ?? "Tier changed";
  // An override set by someone other than staff (Shopify Flow) records who at the head of its detail.
  const setBy = change.reason === "override-set" ? /^set by (.+?): (.*)$/s.exec(change.detail ?? "") : null;
  return {
    on: change.on.toISOString().slice(0, 10),
    from: change.fromTierName ?? change.fromTierId ?? "No tier",
    to: change.toTierName ?? change.toTierId ?? "No tier",
    why: setBy ? `Set by ${setBy[1]}: ${setBy[2]}` : change.detail ? `${why}: ${change.detail}` : why,
  };
}
