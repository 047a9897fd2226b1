import { deleteCustomerRows } from "~/database/sql-conventions";
import type { SqlExecutor } from "~/database/sql-executor";

// Segmentation's part of Shopify's privacy requests, carried out by app/privacy. customers/redact: the customer's
// one-row records go in the webhook's own transaction (the admin's lists and the customer page stop showing them at
// once), their histories in bounded batches in the privacy job, which ends by sweeping everything here again.
// shop/redact: the privacy job deletes every table with a shopId column, these included.

/** At most one row per customer: deleted as soon as a customers/redact arrives. */
export const CUSTOMER_RECORD_TABLES = ["CustomerProfile", "CustomerListing", "LoyaltyStatus"] as const;
/** Any number of rows per customer: deleted by the privacy job in batches. */
export const CUSTOMER_HISTORY_TABLES = [
  "TierChange",
  "TierOverride",
  "SegmentMembership",
  "SegmentTransition",
] as const;
type CustomerTable = (typeof CUSTOMER_RECORD_TABLES)[number] | (typeof CUSTOMER_HISTORY_TABLES)[number];

export function redactCustomerSegmentRecords(
  tx: SqlExecutor,
  shopId: string,
  customerShopifyId: string,
): Promise<void> {
  return deleteCustomerRows(tx, CUSTOMER_RECORD_TABLES, shopId, customerShopifyId);
}

/**
 * The rows segmentation writes only under the shop's segment lock (write-results.server.ts): safe to delete while
 * holding it. Profiles and listings are not among them: writers take those rows before the lock, so deleting them
 * under it could deadlock with a writer; a writer that holds the lock after a redaction takes them back itself.
 */
export function redactCustomerSegmentHistory(
  tx: SqlExecutor,
  shopId: string,
  customerShopifyId: string,
): Promise<void> {
  return deleteCustomerRows(tx, ["LoyaltyStatus", ...CUSTOMER_HISTORY_TABLES], shopId, customerShopifyId);
}

/** customers/data_request: what segmentation holds about the customer, for the merchant to hand over. */
export async function customerSegmentationData(
  tx: SqlExecutor,
  shopId: string,
  customerShopifyId: string,
): Promise<Record<string, unknown>> {
  const rowsOf = async (table: CustomerTable, order: string) => {
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
