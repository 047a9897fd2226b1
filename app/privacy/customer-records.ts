import type { SqlExecutor } from "~/database/sql-executor";
import { redactCustomerOfferRecords } from "~/privacy/offer-records";
import { redactCustomerSegmentRecords } from "~/recompute/redact.server";

/**
 * The customer's one-row records: their Customer row (so the full pass, the profile refresh and the customer page no
 * longer find them), profile, listing and loyalty status, opt-out, publish queue entry and published values. A
 * handful of primary-key deletes, cheap enough for the webhook's own transaction; the privacy job's last step runs
 * them again in case something wrote one meanwhile.
 */
export async function redactCustomerRecords(tx: SqlExecutor, shopId: string, customerShopifyId: string): Promise<void> {
  await tx.query(`DELETE FROM "Customer" WHERE "shopId" = $1 AND "shopifyId" = $2`, [shopId, customerShopifyId]);
  await redactCustomerSegmentRecords(tx, shopId, customerShopifyId);
  await redactCustomerOfferRecords(tx, shopId, customerShopifyId);
}
