import { deleteCustomerRows } from "~/database/sql-conventions";
import type { SqlExecutor } from "~/database/sql-executor";

// The offers' part of Shopify's privacy requests (the privacy jobs of this folder). customers/redact: the customer's one-row
// records (opt-out, publish queue entry, published values) go in the webhook's own transaction, so neither the
// storefront nor publishing uses them from then on; their events and assignments follow in bounded batches in the
// privacy job, which ends by sweeping everything here again. Guests' events carry no customer and are kept.

/** At most one row per customer: deleted as soon as a customers/redact arrives (with the published values). */
const CUSTOMER_RECORD_TABLES = ["ShopperOptOut", "PublishQueueItem"] as const;
/** Any number of rows per customer: deleted by the privacy job in batches. */
export const CUSTOMER_HISTORY_TABLES = ["OfferEvent", "OfferAssignment"] as const;

export async function redactCustomerOfferRecords(
  tx: SqlExecutor,
  shopId: string,
  customerShopifyId: string,
): Promise<void> {
  await deleteCustomerRows(tx, CUSTOMER_RECORD_TABLES, shopId, customerShopifyId);
  await tx.query(`DELETE FROM "PublishedMetafields" WHERE "shopId" = $1 AND "owner" = $2`, [
    shopId,
    `customer:${customerShopifyId}`,
  ]);
}

/** Every offers row about the customer (the privacy job's last sweep). */
export async function redactCustomerOffers(tx: SqlExecutor, shopId: string, customerShopifyId: string): Promise<void> {
  await deleteCustomerRows(tx, CUSTOMER_HISTORY_TABLES, shopId, customerShopifyId);
  await redactCustomerOfferRecords(tx, shopId, customerShopifyId);
}

/** customers/data_request: what the offers hold about the customer, for the merchant to hand over. */
export async function customerOffersData(
  tx: SqlExecutor,
  shopId: string,
  customerShopifyId: string,
): Promise<Record<string, unknown>> {
  const params = [shopId, customerShopifyId];
  // One query at a time: a transaction is one connection.
  const optOut = await tx.query(
    `SELECT "optedOut", "changedAt" FROM "ShopperOptOut" WHERE "shopId" = $1 AND "customerShopifyId" = $2`,
    params,
  );
  const assignments = await tx.query(
    `SELECT "offerId", arm, "assignedAt" FROM "OfferAssignment" WHERE "shopId" = $1 AND "customerShopifyId" = $2 ORDER BY "assignedAt"`,
    params,
  );
  const events = await tx.query(
    `SELECT "offerId", type, arm, surface, "occurredAt" FROM "OfferEvent" WHERE "shopId" = $1 AND "customerShopifyId" = $2 ORDER BY id`,
    params,
  );
  const published = await tx.query(
    `SELECT "values", "publishedAt" FROM "PublishedMetafields" WHERE "shopId" = $1 AND "owner" = $2`,
    [shopId, `customer:${customerShopifyId}`],
  );
  return {
    optOut: optOut.rows[0] ?? null,
    assignments: assignments.rows,
    events: events.rows,
    published: published.rows[0] ?? null,
  };
}
