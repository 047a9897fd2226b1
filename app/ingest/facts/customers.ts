import type { NormalizedCustomer } from "../normalized";
import { isoOrNull, NOW_UTC, type SqlExecutor } from "./sql";

// Customers by Shopify ID only: dates and email marketing consent, never a name, email, phone or address.

// A customer Shopify deleted stays deleted (IDs are never reused), and an older updated_at never overwrites a newer
// one. A new row is marked dirty so its (empty) profile is created.
const WRITE_CUSTOMER = `
INSERT INTO "Customer" ("shopId", "shopifyId", "shopifyCreatedAt", "sourceUpdatedAt", "emailMarketingConsent",
  "metricsDirtyAt", "createdAt", "updatedAt")
VALUES ($1, $2, $3::timestamp(3), $4::timestamp(3), $5, ${NOW_UTC}, ${NOW_UTC}, ${NOW_UTC})
ON CONFLICT ("shopId", "shopifyId") DO UPDATE SET
  "shopifyCreatedAt" = COALESCE(EXCLUDED."shopifyCreatedAt", "Customer"."shopifyCreatedAt"),
  "sourceUpdatedAt" = COALESCE(EXCLUDED."sourceUpdatedAt", "Customer"."sourceUpdatedAt"),
  "emailMarketingConsent" = EXCLUDED."emailMarketingConsent",
  "updatedAt" = EXCLUDED."updatedAt"
WHERE "Customer"."deletedAt" IS NULL
  AND ("Customer"."sourceUpdatedAt" IS NULL OR EXCLUDED."sourceUpdatedAt" IS NULL
       OR "Customer"."sourceUpdatedAt" <= EXCLUDED."sourceUpdatedAt")
RETURNING 1`;

/** Returns false when the stored customer is newer or deleted. */
export async function writeCustomer(tx: SqlExecutor, shopId: string, customer: NormalizedCustomer): Promise<boolean> {
  const { rows } = await tx.query(WRITE_CUSTOMER, [
    shopId,
    customer.shopifyId,
    isoOrNull(customer.shopifyCreatedAt),
    isoOrNull(customer.sourceUpdatedAt),
    customer.emailMarketingConsent,
  ]);
  return rows.length > 0;
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
