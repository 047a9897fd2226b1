import type { Database } from "~/db.server";
import type { AdminClient } from "~/shopify-admin/client";
import { refundsOfOrders } from "~/shopify-admin/operations/orders";
import { writeRefund } from "../facts/refunds";
import { NOW_UTC } from "~/database/sql-conventions";
import type { SqlExecutor } from "~/database/sql-conventions";
import { lockOrder } from "../facts/orders";
import { normalizeGraphqlRefund } from "../order-graphql";
import { toGid } from "../shopify-ids";
import { loadSyncShop } from "./sync-shop";

// Refunds a bulk file (or a reconciliation page) could only name: their refunded lines come from a regular query, a
// page of orders at a time, paced by the Admin client's cost bucket. Each page is written in one transaction with its
// queue rows removed and the progress advanced, so an interrupted run resumes where it stopped.

export const REFUND_DETAIL_PAGE = 40;

/** Queues orders whose refund IDs Cadence does not hold yet. */
export async function queueRefundDetails(
  sql: SqlExecutor,
  shopId: string,
  orders: Array<{ orderShopifyId: string; refundIds: string[] }>,
): Promise<number> {
  const wanted = orders.filter((order) => order.refundIds.length > 0);
  if (wanted.length === 0) return 0;
  const { rows } = await sql.query<{ queued: number }>(
    `WITH named AS (
       SELECT n."orderShopifyId", refund_id FROM jsonb_to_recordset($2::jsonb) AS n("orderShopifyId" text, "refundIds" text[]),
         unnest(n."refundIds") AS refund_id),
     queued AS (
       INSERT INTO "BackfillRefundDetail" ("shopId", "orderShopifyId", "createdAt")
       SELECT DISTINCT $1, n."orderShopifyId", ${NOW_UTC} FROM named n
       WHERE NOT EXISTS (SELECT 1 FROM "Refund" r WHERE r."shopId" = $1 AND r."shopifyId" = n.refund_id)
       ON CONFLICT ("shopId", "orderShopifyId") DO NOTHING RETURNING 1)
     SELECT count(*)::int AS queued FROM queued`,
    [shopId, JSON.stringify(wanted)],
  );
  return rows[0]?.queued ?? 0;
}

export async function pendingRefundDetails(sql: SqlExecutor, shopId: string): Promise<number> {
  const { rows } = await sql.query<{ pending: number }>(
    `SELECT count(*)::int AS pending FROM "BackfillRefundDetail" WHERE "shopId" = $1`,
    [shopId],
  );
  return rows[0]?.pending ?? 0;
}

export interface RefundDetailsResult {
  ordersDone: number;
  refundsWritten: number;
  stopped: boolean;
}

export async function fetchRefundDetails(
  db: Database,
  client: AdminClient,
  shopId: string,
  pageSize = REFUND_DETAIL_PAGE,
): Promise<RefundDetailsResult> {
  const result: RefundDetailsResult = { ordersDone: 0, refundsWritten: 0, stopped: false };
  for (;;) {
    const shop = await loadSyncShop(db.sql, shopId);
    if (!shop?.usable) return { ...result, stopped: true };
    const { rows } = await db.sql.query<{ orderShopifyId: string }>(
      `SELECT "orderShopifyId" FROM "BackfillRefundDetail" WHERE "shopId" = $1 ORDER BY "createdAt", "orderShopifyId" LIMIT $2`,
      [shopId, pageSize],
    );
    if (rows.length === 0) return result;
    const ids = rows.map((row) => row.orderShopifyId);
    const orders = await refundsOfOrders(
      client,
      ids.map((id) => toGid("Order", id)),
    );
    await db.transaction(async (tx) => {
      for (const order of orders) {
        const orderShopifyId = order.id.replace(/^gid:\/\/shopify\/Order\//, "");
        await lockOrder(tx, shopId, orderShopifyId);
        for (const refund of order.refunds) {
          const written = await writeRefund(
            tx,
            shopId,
            orderShopifyId,
            normalizeGraphqlRefund(refund),
            shop.netRevenueBasis,
          );
          if (written.inserted) result.refundsWritten += 1;
        }
      }
      // Orders Shopify no longer has (deleted meanwhile) leave the queue too.
      await tx.query(`DELETE FROM "BackfillRefundDetail" WHERE "shopId" = $1 AND "orderShopifyId" = ANY($2::text[])`, [
        shopId,
        ids,
      ]);
      await tx.query(
        `UPDATE "SyncState" SET "refundDetailsDone" = "refundDetailsDone" + $2,
           "refundDetailsTotal" = GREATEST("refundDetailsTotal", "refundDetailsDone" + $2), "updatedAt" = ${NOW_UTC}
         WHERE "shopId" = $1`,
        [shopId, ids.length],
      );
    });
    result.ordersDone += ids.length;
  }
}
