import type { NetRevenueBasis } from "./order-payload";

export interface ShopContext {
  id: string;
  domain: string;
  currencyCode: string;
  netRevenueBasis: NetRevenueBasis;
}

export interface TopicOutcome {
  /** applied: state changed; stale: an older update than Cadence holds; deferred: left for reconciliation. */
  outcome: "applied" | "stale" | "deferred" | "ignored";
  detail?: string;
  /** The customer whose metrics may have changed, for the profile refresh. */
  customerShopifyId?: string | null;
}
