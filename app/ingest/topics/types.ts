import type { NetRevenueBasis } from "../facts/net-revenue";
import type { SqlExecutor } from "~/database/sql-conventions";

/** The shop a delivery is for, as the delivery's claim read it. */
export interface ShopContext {
  id: string;
  domain: string;
  currencyCode: string;
  netRevenueBasis: NetRevenueBasis;
}

export interface TopicOutcome {
  /** applied: state changed (or was already this state); stale: Cadence holds a newer state; ignored: nothing to do. */
  outcome: "applied" | "stale" | "ignored";
  /**
   * Kept in the ledger row. Never a customer's or an order's ID: ledger rows outlive a customers/redact, which must
   * leave nothing that identifies the customer (test/integration/privacy.test.ts searches for them).
   */
  detail?: string;
  /** Customers whose facts changed (their metricsDirtyAt was set in the same transaction). */
  customers?: string[];
  /** Work to start once the transaction has committed (e.g. nudging the job queue); best effort. */
  afterCommit?: () => Promise<void>;
  /** Logged as a warning: a delivery Shopify should not have sent (ignored by design, but worth an operator's look). */
  warn?: boolean;
}

export interface DeliveryMeta {
  webhookId: string;
  eventId: string | undefined;
  triggeredAt: Date | null;
}

/** What a delivery's claim needs, besides the handler's own settings. */
export interface DeliveryClaimInput {
  shopDomain: string;
  webhookId: string;
  eventId: string | undefined;
  topic: string;
  triggeredAt: Date | null;
}

/** A delivery applied in one statement: its claim, its effect and its ledger outcome (see ingestInOneStatement). */
export interface OneStatementResult {
  shopFound: boolean;
  uninstalled: boolean;
  /** null: already recorded (a duplicate), or the shop is uninstalled. */
  deliveryId: string | null;
  sameEvent: boolean;
  outcome: TopicOutcome;
}

export interface TopicHandler<Parsed> {
  /** Validates the payload before anything is written; throws PayloadError (400). */
  parse(payload: unknown): Parsed;
  /**
   * The shop the payload itself names (a privacy topic's shop_domain), when it names one: it must be the shop of the
   * X-Shopify-Shop-Domain header, or the delivery is refused (400) before anything is written.
   */
  shopDomainOf?(parsed: Parsed): string | null;
  /** The resource whose writers must be serialised (an order's ID), taken with the delivery's claim. */
  lockKey?(parsed: Parsed): string;
  apply?(tx: SqlExecutor, shop: ShopContext, parsed: Parsed, delivery: DeliveryMeta): Promise<TopicOutcome>;
  /**
   * The frequent topics (orders) skip the transaction round trips: one SQL function call claims the delivery,
   * applies it and records its outcome, in that statement's own transaction. Handlers have apply or this.
   */
  ingestInOneStatement?(sql: SqlExecutor, claim: DeliveryClaimInput, parsed: Parsed): Promise<OneStatementResult>;
  /** Honoured even after the shop uninstalled the app (compliance topics, the uninstall itself). */
  afterUninstall?: boolean;
}

/** Keeps each handler's parse and apply types together in a registry of mixed handlers. */
export function topicHandler<Parsed>(handler: TopicHandler<Parsed>): TopicHandler<unknown> {
  return handler as unknown as TopicHandler<unknown>;
}
