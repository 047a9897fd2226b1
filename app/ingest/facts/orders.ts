import type { NormalizedOrder } from "../normalized";
import type { DeliveryClaimInput, OneStatementResult } from "../topics/types";
import type { NetRevenueBasis } from "./net-revenue";
import { OrderDeliveryBatcher } from "./order-batches";
import { isoOrNull, jsonParam } from "~/database/sql-conventions";
import type { SqlExecutor } from "~/database/sql-conventions";

// Orders with their line items and refunds, written by cadence_write_order (one call per order; see its comment in
// prisma/functions/cadence_apply_order.sql). The caller holds the order's lock (orderLockKey) for its
// transaction, so two writers of one order (a refund and its order arriving at once) run one after the other.

export interface OrderWriteResult {
  /** false when Cadence already holds a newer state (older updated_at), or the order was deleted. */
  applied: boolean;
  /** Cadence learned something: a newer state or a new refund (not the same state again). */
  changed: boolean;
  deleted: boolean;
  /** Refunds this write added (a stale payload can still bring a refund Cadence had not seen). */
  newRefunds: number;
  /** Customers whose facts changed, now marked dirty: the order's, and the previous one if it moved. */
  customers: string[];
}

export function orderLockKey(orderShopifyId: string): string {
  return `order:${orderShopifyId}`;
}

/** Takes the order's lock for the rest of the transaction (webhook deliveries take it with their claim). */
export async function lockOrder(tx: SqlExecutor, shopId: string, orderShopifyId: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1 || ':' || $2, 0))`, [
    shopId,
    orderLockKey(orderShopifyId),
  ]);
}

export function orderFields(order: NormalizedOrder) {
  return {
    name: order.name,
    customerShopifyId: order.customerShopifyId,
    processedAt: order.processedAt.toISOString(),
    shopifyCreatedAt: order.shopifyCreatedAt.toISOString(),
    sourceUpdatedAt: order.sourceUpdatedAt.toISOString(),
    currency: order.currency,
    financialStatus: order.financialStatus,
    test: order.test,
    cancelledAt: isoOrNull(order.cancelledAt),
    subtotalMinor: order.subtotalMinor,
    shippingMinor: order.shippingMinor,
    taxMinor: order.taxMinor,
    discountMinor: order.discountMinor,
    totalMinor: order.totalMinor,
    discountCodes: order.discountCodes,
  };
}

export function refundRows(order: Pick<NormalizedOrder, "refunds">) {
  return order.refunds.map((refund) => ({ ...refund, processedAt: refund.processedAt.toISOString() }));
}

export async function writeOrder(
  tx: SqlExecutor,
  shopId: string,
  order: NormalizedOrder,
  basis: NetRevenueBasis,
  backfillOperation: string | null = null,
): Promise<OrderWriteResult> {
  const { rows } = await tx.query<{
    applied: boolean;
    changed: boolean;
    deleted: boolean;
    new_refunds: number;
    customers: string[];
  }>(`SELECT * FROM cadence_write_order($1, $2, $3::jsonb, $4::jsonb, $5::jsonb, $6, $7)`, [
    shopId,
    order.shopifyId,
    jsonParam(orderFields(order)),
    jsonParam(order.lines),
    jsonParam(refundRows(order)),
    basis,
    backfillOperation,
  ]);
  const row = rows[0]!;
  return {
    applied: row.applied,
    changed: row.changed,
    deleted: row.deleted,
    newRefunds: row.new_refunds,
    customers: row.customers,
  };
}

const batchers = new WeakMap<SqlExecutor, OrderDeliveryBatcher>();

/**
 * An orders/* delivery: claim, write and ledger outcome, in one statement with whatever other deliveries are waiting
 * for the database (cadence_ingest_orders; order-batches.ts). Resolves once its batch has committed.
 */
export function ingestOrderDelivery(
  sql: SqlExecutor,
  claim: DeliveryClaimInput,
  order: NormalizedOrder,
): Promise<OneStatementResult> {
  let batcher = batchers.get(sql);
  if (!batcher) {
    batcher = new OrderDeliveryBatcher(sql, (item) => ({
      order: orderFields(item),
      lines: item.lines,
      refunds: refundRows(item),
    }));
    batchers.set(sql, batcher);
  }
  return batcher.ingest(claim, order);
}
