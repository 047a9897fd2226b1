import type { SqlExecutor } from "~/database/sql-executor";

// customers/redact: every segmentation row about the customer goes, history included. shop/redact: every row of the
// shop in the tables that have no foreign key to cascade from (schema.prisma says why). Called from the compliance
// handler inside the webhook's transaction.

const CUSTOMER_TABLES = ["CustomerProfile", "CustomerListing", "LoyaltyStatus", "TierChange", "TierOverride", "SegmentMembership", "SegmentTransition"] as const;
/** The tables a full pass writes a row per customer to, which carry no foreign key to Shop. */
const TABLES_WITHOUT_SHOP_KEY = ["CustomerProfile", "CustomerListing", "LoyaltyStatus", "TierChange", "SegmentMembership", "SegmentTransition"] as const;

/** Every segmentation row of the shop that deleting its Shop row would not cascade to. */
export async function redactShopSegmentation(tx: SqlExecutor, shopId: string): Promise<void> {
  for (const table of TABLES_WITHOUT_SHOP_KEY) await tx.query(`DELETE FROM "${table}" WHERE "shopId" = $1`, [shopId]);
}

export async function redactCustomerSegmentation(tx: SqlExecutor, shopId: string, customerShopifyId: string): Promise<void> {
  for (const table of CUSTOMER_TABLES) {
    await tx.query(`DELETE FROM "${table}" WHERE "shopId" = $1 AND "customerShopifyId" = $2`, [shopId, customerShopifyId]);
  }
}

/** customers/data_request: what segmentation holds about the customer, for the merchant to hand over. */
export async function customerSegmentationData(tx: SqlExecutor, shopId: string, customerShopifyId: string): Promise<Record<string, unknown>> {
  const rowsOf = async (table: (typeof CUSTOMER_TABLES)[number], order: string) => {
    // One query at a time: a transaction is one connection. to_jsonb keeps bigint amounts exact (as JSON numbers).
    const { rows } = await tx.query<{ row: Record<string, unknown> }>(
      `SELECT to_jsonb(t) - 'shopId' AS row FROM "${table}" t WHERE "shopId" = $1 AND "customerShopifyId" = $2 ORDER BY ${order}`,
      [shopId, customerShopifyId],
    );
    return rows.map((r) => r.row);
  };
  return {
    profile: (await rowsOf("CustomerProfile", `"customerShopifyId"`))[0] ?? null,
    loyaltyStatus: (await rowsOf("LoyaltyStatus", `"customerShopifyId"`))[0] ?? null,
    tierHistory: await rowsOf("TierChange", "id"),
    tierOverrides: await rowsOf("TierOverride", "id"),
    segmentMemberships: await rowsOf("SegmentMembership", "id"),
    segmentTransitions: await rowsOf("SegmentTransition", "id"),
  };
}
