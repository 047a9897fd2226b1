import type { NormalizedRefund } from "../normalized";
import type { NetRevenueBasis } from "./net-revenue";
import type { SqlExecutor } from "~/database/sql-conventions";

// refunds/create, through cadence_write_refund. A refund is kept even when its order has not arrived yet (Shopify
// does not promise order of delivery): it waits under the order's Shopify ID and counts as soon as the order is
// written. Its own ID makes it count once, whichever of refunds/create, orders/updated, the backfill or
// reconciliation brings it first.

export interface RefundWriteResult {
  inserted: boolean;
  orderKnown: boolean;
  deleted: boolean;
  /** The order's customer, marked dirty, when the refund changed a stored order. */
  customer: string | null;
}

export async function writeRefund(
  tx: SqlExecutor,
  shopId: string,
  orderShopifyId: string,
  refund: NormalizedRefund,
  basis: NetRevenueBasis,
): Promise<RefundWriteResult> {
  const { rows } = await tx.query<{
    inserted: boolean;
    order_known: boolean;
    deleted: boolean;
    customer: string | null;
  }>(`SELECT * FROM cadence_write_refund($1, $2, $3, $4::timestamp(3), $5::bigint, $6::bigint, $7)`, [
    shopId,
    orderShopifyId,
    refund.shopifyId,
    refund.processedAt.toISOString(),
    refund.merchandiseMinor,
    refund.totalMinor,
    basis,
  ]);
  const row = rows[0]!;
  return { inserted: row.inserted, orderKnown: row.order_known, deleted: row.deleted, customer: row.customer };
}
