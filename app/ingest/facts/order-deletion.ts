import { NOW_UTC } from "~/database/sql-conventions";
import type { SqlExecutor } from "~/database/sql-conventions";

// orders/delete: the order no longer exists in Shopify, so it no longer counts. A tombstone keeps a late or retried
// orders/* or refunds/create for it from bringing it back. Lines and linked refunds cascade with the order row;
// refunds that were still waiting for it, and bulk lines staged for it, go explicitly.
const DELETE_ORDER = `
WITH removed AS (
  DELETE FROM "Order" WHERE "shopId" = $1 AND "shopifyId" = $2 RETURNING "customerShopifyId"
),
waiting_refunds AS (
  DELETE FROM "Refund" WHERE "shopId" = $1 AND "orderShopifyId" = $2 AND "orderId" IS NULL
),
staged_lines AS (
  DELETE FROM "BackfillPendingLine" WHERE "shopId" = $1 AND "orderShopifyId" = $2
),
tombstone AS (
  INSERT INTO "DeletedOrder" ("shopId", "shopifyId", "deletedAt") VALUES ($1, $2, ${NOW_UTC})
  ON CONFLICT ("shopId", "shopifyId") DO NOTHING
),
dirty AS (
  UPDATE "Customer" SET "metricsDirtyAt" = ${NOW_UTC}, "updatedAt" = ${NOW_UTC}
  WHERE "shopId" = $1 AND "shopifyId" = (SELECT "customerShopifyId" FROM removed)
)
SELECT EXISTS (SELECT 1 FROM removed) AS existed, (SELECT "customerShopifyId" FROM removed) AS customer`;

export async function deleteOrder(
  tx: SqlExecutor,
  shopId: string,
  orderShopifyId: string,
): Promise<{ existed: boolean; customer: string | null }> {
  const { rows } = await tx.query<{ existed: boolean; customer: string | null }>(DELETE_ORDER, [
    shopId,
    orderShopifyId,
  ]);
  return rows[0] as { existed: boolean; customer: string | null };
}
