import type { NormalizedCustomer } from "../normalized";
import { isoOrNull, jsonParam, NOW_UTC } from "~/database/sql-conventions";
import type { SqlExecutor } from "~/database/sql-conventions";

// Customers by Shopify ID only: dates, never a name, email, phone, address or marketing consent.

export function customerRow(customer: NormalizedCustomer) {
  return {
    shopifyId: customer.shopifyId,
    shopifyCreatedAt: isoOrNull(customer.shopifyCreatedAt),
    sourceUpdatedAt: isoOrNull(customer.sourceUpdatedAt),
  };
}

/**
 * Creates or updates customers through cadence_write_customers: an older updated_at never overwrites a newer one and
 * a deleted customer stays deleted. Returns how many were written.
 */
export async function writeCustomers(
  sql: SqlExecutor,
  shopId: string,
  customers: NormalizedCustomer[],
): Promise<number> {
  if (customers.length === 0) return 0;
  const { rows } = await sql.query<{ written: number }>(`SELECT cadence_write_customers($1, $2::jsonb) AS written`, [
    shopId,
    jsonParam(customers.map(customerRow)),
  ]);
  return rows[0]?.written ?? 0;
}

// customers/delete: the shopper is gone from Shopify. Their orders stay in the shop's totals; the row stays as a
// tombstone (so a late customers/update does not bring it back) and is marked dirty so the profile is dropped.
const MARK_DELETED = `
INSERT INTO "Customer" ("shopId", "shopifyId", "deletedAt", "metricsDirtyAt", "createdAt", "updatedAt")
VALUES ($1, $2, ${NOW_UTC}, ${NOW_UTC}, ${NOW_UTC}, ${NOW_UTC})
ON CONFLICT ("shopId", "shopifyId") DO UPDATE SET
  "deletedAt" = COALESCE("Customer"."deletedAt", EXCLUDED."deletedAt"),
  "metricsDirtyAt" = EXCLUDED."metricsDirtyAt", "updatedAt" = EXCLUDED."updatedAt"`;

export async function markCustomerDeleted(tx: SqlExecutor, shopId: string, customerShopifyId: string): Promise<void> {
  await tx.query(MARK_DELETED, [shopId, customerShopifyId]);
}
