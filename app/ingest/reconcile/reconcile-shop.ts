import type { Database } from "~/db.server";
import type { AdminClient } from "~/shopify-admin/client";
import { customersUpdatedSince } from "~/shopify-admin/operations/customers";
import { ordersUpdatedSince } from "~/shopify-admin/operations/orders";
import { fetchRefundDetails, queueRefundDetails } from "../backfill/refund-details";
import { loadSyncShop } from "../backfill/sync-shop";
import { writeCustomers } from "../facts/customers";
import { lockOrder, writeOrder } from "../facts/orders";
import { isoSql, NOW_UTC } from "~/database/sql-conventions";
import type { SqlExecutor } from "~/database/sql-conventions";
import { normalizeGraphqlCustomer, normalizeGraphqlOrder } from "../order-graphql";
import { idFromGid } from "../shopify-ids";
import type { NormalizedCustomer } from "../normalized";

// The scheduled pass that catches what webhooks missed (Shopify does not guarantee delivery): orders and customers
// updated since the last watermark, oldest change first, written through the same functions as webhooks, so an older
// state never overwrites a newer one. The watermark advances with each order written, so an interrupted pass resumes;
// each pass starts a few minutes before it, because Shopify's search index trails its writes.

export const OVERLAP_MINUTES = 10;
const CUSTOMER_PAGE = 250;

export interface ReconcileResult {
  status: "reconciled" | "stopped" | "not-ready";
  /** Orders whose state or refunds Cadence did not have: what webhooks missed. */
  ordersChanged: number;
  ordersSeen: number;
  customersWritten: number;
  refundsWritten: number;
}

interface Watermarks {
  backfillState: string;
  ordersReconciledTo: string | null;
  customersReconciledTo: string | null;
}

async function watermarks(sql: SqlExecutor, shopId: string): Promise<Watermarks | null> {
  const { rows } = await sql.query<Watermarks>(
    `SELECT "backfillState", ${isoSql('"ordersReconciledTo"')} AS "ordersReconciledTo",
       ${isoSql('"customersReconciledTo"')} AS "customersReconciledTo"
     FROM "SyncState" WHERE "shopId" = $1`,
    [shopId],
  );
  return rows[0] ?? null;
}

function since(watermark: string): string {
  return new Date(new Date(watermark).getTime() - OVERLAP_MINUTES * 60_000).toISOString();
}

export async function reconcileShop(db: Database, client: AdminClient, shopId: string): Promise<ReconcileResult> {
  const result: ReconcileResult = {
    status: "reconciled",
    ordersChanged: 0,
    ordersSeen: 0,
    customersWritten: 0,
    refundsWritten: 0,
  };
  const shop = await loadSyncShop(db.sql, shopId);
  if (!shop?.usable) return { ...result, status: "stopped" };
  const marks = await watermarks(db.sql, shopId);
  // Until the backfill has completed, there is no watermark: the backfill is what brings the history.
  if (!marks?.ordersReconciledTo || !marks.customersReconciledTo) return { ...result, status: "not-ready" };

  try {
    for await (const order of ordersUpdatedSince(client, since(marks.ordersReconciledTo))) {
      const normalized = normalizeGraphqlOrder(order);
      await db.transaction(async (tx) => {
        await lockOrder(tx, shopId, normalized.shopifyId);
        const written = await writeOrder(tx, shopId, normalized, shop.netRevenueBasis);
        if (written.changed) result.ordersChanged += 1;
        await queueRefundDetails(tx, shopId, [
          {
            orderShopifyId: normalized.shopifyId,
            refundIds: order.refunds.map((refund) => idFromGid(refund.id, "Refund")),
          },
        ]);
        await tx.query(
          `UPDATE "SyncState" SET "ordersReconciledTo" = GREATEST("ordersReconciledTo", $2::timestamp(3)), "updatedAt" = ${NOW_UTC} WHERE "shopId" = $1`,
          [shopId, normalized.sourceUpdatedAt.toISOString()],
        );
      });
      result.ordersSeen += 1;
    }
    let page: NormalizedCustomer[] = [];
    const flush = async () => {
      if (page.length === 0) return;
      const newest = page.reduce(
        (latest, customer) =>
          customer.sourceUpdatedAt && customer.sourceUpdatedAt > latest ? customer.sourceUpdatedAt : latest,
        new Date(0),
      );
      await db.transaction(async (tx) => {
        result.customersWritten += await writeCustomers(tx, shopId, page);
        await tx.query(
          `UPDATE "SyncState" SET "customersReconciledTo" = GREATEST("customersReconciledTo", $2::timestamp(3)), "updatedAt" = ${NOW_UTC} WHERE "shopId" = $1`,
          [shopId, newest.toISOString()],
        );
      });
      page = [];
    };
    for await (const customer of customersUpdatedSince(client, since(marks.customersReconciledTo))) {
      page.push(normalizeGraphqlCustomer(customer));
      if (page.length >= CUSTOMER_PAGE) await flush();
    }
    await flush();
    result.refundsWritten = (await fetchRefundDetails(db, client, shopId)).refundsWritten;
  } catch (error) {
    await recordPass(db.sql, shopId, result, (error as Error).message);
    throw error;
  }
  await recordPass(db.sql, shopId, result, null);
  return result;
}

async function recordPass(
  sql: SqlExecutor,
  shopId: string,
  result: ReconcileResult,
  error: string | null,
): Promise<void> {
  await sql.query(
    `UPDATE "SyncState" SET "lastReconcileAt" = ${NOW_UTC}, "lastReconcileError" = $2, "lastReconcileOrders" = $3,
       "lastReconcileCustomers" = $4, "updatedAt" = ${NOW_UTC} WHERE "shopId" = $1`,
    [shopId, error, result.ordersChanged, result.customersWritten],
  );
}
