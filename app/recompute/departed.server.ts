import type { Database } from "~/db.server";
import { lockShopSegments } from "./database.server";

// Customers deleted in Shopify (customers/delete) or gone from the facts: their profile and loyalty status go,
// and their open memberships end with an "exited" transition, so later work sees them leave every segment.
// (customers/redact removes everything, history included: redact.server.ts.)

const DEPARTED = `NOT EXISTS (SELECT 1 FROM "Customer" c WHERE c."shopId" = p."shopId" AND c."shopifyId" = p."customerShopifyId" AND c."deletedAt" IS NULL)`;

/** Removes the derived rows of departed customers (all of the shop's, or only among `only`); returns how many. */
export async function removeDepartedCustomers(
  database: Database,
  shopId: string,
  only: readonly string[] | null = null,
): Promise<number> {
  return database.transaction(async (sql) => {
    await lockShopSegments(sql, shopId);
    const filter = only ? `AND p."customerShopifyId" = ANY($2::text[])` : "";
    const { rows: departed } = await sql.query<{ id: string }>(
      `SELECT p."customerShopifyId" AS id FROM "CustomerProfile" p WHERE p."shopId" = $1 AND ${DEPARTED} ${filter}
       UNION
       SELECT p."customerShopifyId" FROM "SegmentMembership" p WHERE p."shopId" = $1 AND p."exitedAt" IS NULL AND ${DEPARTED} ${filter}`,
      only ? [shopId, [...only]] : [shopId],
    );
    const ids = departed.map((row) => row.id);
    if (ids.length === 0) return 0;
    const inList = `"customerShopifyId" = ANY($2::text[])`;
    await sql.query(
      `INSERT INTO "SegmentTransition" ("shopId", "customerShopifyId", "segmentKey", kind, at, explanation)
       SELECT "shopId", "customerShopifyId", "segmentKey", 'exited', now(), 'customer deleted'
         FROM "SegmentMembership" WHERE "shopId" = $1 AND "exitedAt" IS NULL AND ${inList}`,
      [shopId, ids],
    );
    await sql.query(
      `UPDATE "SegmentMembership" SET "exitedAt" = now() WHERE "shopId" = $1 AND "exitedAt" IS NULL AND ${inList}`,
      [shopId, ids],
    );
    await sql.query(`DELETE FROM "CustomerProfile" WHERE "shopId" = $1 AND ${inList}`, [shopId, ids]);
    await sql.query(`DELETE FROM "CustomerListing" WHERE "shopId" = $1 AND ${inList}`, [shopId, ids]);
    await sql.query(`DELETE FROM "LoyaltyStatus" WHERE "shopId" = $1 AND ${inList}`, [shopId, ids]);
    return ids.length;
  });
}
