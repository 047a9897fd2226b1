import type { SqlExecutor } from "~/database/sql-executor";

// customers/redact: every offers row about the customer goes (events, assignments, opt-out, published values,
// queue entry). Guests' events carry no customer and are kept. Called from the compliance handler inside the
// webhook's transaction; shop/redact deletes the shop row, and these tables cascade.

const CUSTOMER_TABLES = ["OfferEvent", "OfferAssignment", "ShopperOptOut", "PublishQueueItem"] as const;

export async function redactCustomerOffers(tx: SqlExecutor, shopId: string, customerShopifyId: string): Promise<void> {
  for (const table of CUSTOMER_TABLES) {
    await tx.query(`DELETE FROM "${table}" WHERE "shopId" = $1 AND "customerShopifyId" = $2`, [shopId, customerShopifyId]);
  }
  await tx.query(`DELETE FROM "PublishedMetafields" WHERE "shopId" = $1 AND "owner" = $2`, [shopId, `customer:${customerShopifyId}`]);
}

/** customers/data_request: what the offers hold about the customer, for the merchant to hand over. */
export async function customerOffersData(tx: SqlExecutor, shopId: string, customerShopifyId: string): Promise<Record<string, unknown>> {
  const params = [shopId, customerShopifyId];
  // One query at a time: a transaction is one connection.
  const optOut = await tx.query(`SELECT "optedOut", "changedAt" FROM "ShopperOptOut" WHERE "shopId" = $1 AND "customerShopifyId" = $2`, params);
  const assignments = await tx.query(
    `SELECT "offerId", arm, "assignedAt" FROM "OfferAssignment" WHERE "shopId" = $1 AND "customerShopifyId" = $2 ORDER BY "assignedAt"`,
    params,
  );
  const events = await tx.query(
    `SELECT "offerId", type, arm, surface, "occurredAt" FROM "OfferEvent" WHERE "shopId" = $1 AND "customerShopifyId" = $2 ORDER BY id`,
    params,
  );
  const published = await tx.query(`SELECT "values", "publishedAt" FROM "PublishedMetafields" WHERE "shopId" = $1 AND "owner" = $2`, [
    shopId,
    `customer:${customerShopifyId}`,
  ]);
  return { optOut: optOut.rows[0] ?? null, assignments: assignments.rows, events: events.rows, published: published.rows[0] ?? null };
}
