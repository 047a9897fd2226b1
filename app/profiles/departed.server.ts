import type { Prisma } from "@prisma/client";
import { inTransaction, lockShopSegments, type Db } from "./database.server";

// Customers deleted in Shopify (customers/delete) or gone from the facts: their profile and loyalty status go,
// and their open memberships end with an "exited" transition, so later work sees them leave every segment.
// (customers/redact removes everything, history included: redact.server.ts.)

const DEPARTED = `NOT EXISTS (SELECT 1 FROM "Customer" c WHERE c."shopId" = p."shopId" AND c."shopifyId" = p."customerShopifyId" AND c."deletedAt" IS NULL)`;

async function departed(tx: Prisma.TransactionClient, shopId: string, only: readonly string[] | null): Promise<string[]> {
  const filter = only ? `AND p."customerShopifyId" IN (SELECT jsonb_array_elements_text($2::jsonb))` : "";
  const rows = await tx.$queryRawUnsafe<Array<{ id: string }>>(
    `SELECT p."customerShopifyId" AS id FROM "CustomerProfile" p WHERE p."shopId" = $1 AND ${DEPARTED} ${filter}
     UNION
     SELECT p."customerShopifyId" FROM "SegmentMembership" p WHERE p."shopId" = $1 AND p."exitedAt" IS NULL AND ${DEPARTED} ${filter}`,
    ...(only ? [shopId, JSON.stringify(only)] : [shopId]),
  );
  return rows.map((row) => row.id);
}

/** Removes the derived rows of departed customers (all of the shop's, or only among `only`); returns how many. */
export async function removeDepartedCustomers(db: Db, shopId: string, only: readonly string[] | null = null): Promise<number> {
  return inTransaction(db, async (tx) => {
    await lockShopSegments(tx, shopId);
    const ids = await departed(tx, shopId, only);
    if (ids.length === 0) return 0;
    const list = JSON.stringify(ids);
    const inList = `"customerShopifyId" IN (SELECT jsonb_array_elements_text($2::jsonb))`;
    await tx.$executeRawUnsafe(
      `INSERT INTO "SegmentTransition" ("shopId", "customerShopifyId", "segmentKey", kind, at, explanation)
       SELECT "shopId", "customerShopifyId", "segmentKey", 'exited', now(), 'customer deleted'
         FROM "SegmentMembership" WHERE "shopId" = $1 AND "exitedAt" IS NULL AND ${inList}`,
      shopId,
      list,
    );
    await tx.$executeRawUnsafe(`UPDATE "SegmentMembership" SET "exitedAt" = now() WHERE "shopId" = $1 AND "exitedAt" IS NULL AND ${inList}`, shopId, list);
    await tx.$executeRawUnsafe(`DELETE FROM "CustomerProfile" WHERE "shopId" = $1 AND ${inList}`, shopId, list);
    await tx.$executeRawUnsafe(`DELETE FROM "LoyaltyStatus" WHERE "shopId" = $1 AND ${inList}`, shopId, list);
    return ids.length;
  });
}
