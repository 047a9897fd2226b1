import type { SqlExecutor } from "~/database/sql-executor";
import { CUSTOMER_HISTORY_TABLES as OFFER_HISTORY_TABLES, redactCustomerOffers } from "~/privacy/offer-records";
import { lockShopSegments } from "~/recompute/database.server";
import {
  CUSTOMER_HISTORY_TABLES as SEGMENT_HISTORY_TABLES,
  redactCustomerSegmentHistory,
} from "~/recompute/redact.server";
import { deleteStep, finishRequest, runSteps, withRequest } from "./batches";
import type { PendingRequest, PrivacyDatabase, Step } from "./batches";
import { redactCustomerRecords } from "./customer-records";

// customers/redact, as the privacy job carries it out: every row that identifies the customer goes. A customer is
// identified only by Shopify IDs, theirs and their orders' (Cadence stores no names, emails, phones or addresses).
// Tables added later that hold a customer's data must be reached from here (docs/sync.md, "Uninstall and privacy").
// Shop figures are computed from what remains, so they are corrected by the deletion itself.

const CUSTOMER_ORDERS = `"shopId" = $1 AND ("customerShopifyId" = $2 OR "shopifyId" = ANY($3::text[]))`;

/** A batch of the customer's orders (and those the request names), with everything keyed by their IDs. */
const orders: Step = {
  name: "orders",
  async batch(tx, request, limit) {
    const { rows } = await tx.query<{ id: string; shopifyId: string }>(
      `SELECT "id"::text AS id, "shopifyId" FROM "Order" WHERE ${CUSTOMER_ORDERS} LIMIT $4::int`,
      [request.shopId, request.customerShopifyId, request.orderShopifyIds, limit],
    );
    if (rows.length === 0) return { matched: 0, deleted: 0 };
    const shopifyIds = rows.map((row) => row.shopifyId);
    let deleted = await deleteKeyedByOrder(tx, request.shopId, shopifyIds);
    deleted += await count(tx, `DELETE FROM "OrderLine" WHERE "orderId" = ANY($1::bigint[])`, [
      rows.map((row) => row.id),
    ]);
    deleted += await count(tx, `DELETE FROM "Order" WHERE "id" = ANY($1::bigint[])`, [rows.map((row) => row.id)]);
    return { matched: rows.length, deleted };
  },
};

// Refunds (linked, or waiting for an order that never arrived), staged bulk lines, refund details still to fetch and
// tombstones: kept by the order's Shopify ID, so an order the request names is found here even without its row.
const ORDER_KEYED: Array<[table: string, column: string]> = [
  ["Refund", "orderShopifyId"],
  ["BackfillPendingLine", "orderShopifyId"],
  ["BackfillRefundDetail", "orderShopifyId"],
  ["DeletedOrder", "shopifyId"],
];

async function count(tx: SqlExecutor, statement: string, params: unknown[]): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    `WITH gone AS (${statement} RETURNING 1) SELECT count(*)::int AS n FROM gone`,
    params,
  );
  return rows[0]?.n ?? 0;
}

async function deleteKeyedByOrder(tx: SqlExecutor, shopId: string, orderShopifyIds: string[]): Promise<number> {
  let deleted = 0;
  for (const [table, column] of ORDER_KEYED) {
    deleted += await count(tx, `DELETE FROM "${table}" WHERE "shopId" = $1 AND "${column}" = ANY($2::text[])`, [
      shopId,
      orderShopifyIds,
    ]);
  }
  return deleted;
}

const byCustomer = (request: PendingRequest) => [request.shopId, request.customerShopifyId];

/**
 * The Flow trigger outbox (app/publish/flow/): a row per trigger, with what was sent about the customer. Its rows go
 * with their tier change or segment transition (a foreign key cascades), but are deleted first, by customer, so the
 * history's batches cascade to nothing. Until then the dispatcher sends none of them (app/privacy/gone.ts).
 */
const FLOW_HISTORY_TABLES = ["FlowTrigger"] as const;
const CUSTOMER_HISTORY_TABLES = [...FLOW_HISTORY_TABLES, ...SEGMENT_HISTORY_TABLES, ...OFFER_HISTORY_TABLES];

const STEPS: readonly Step[] = [
  orders,
  ...ORDER_KEYED.map(([table, column]) =>
    deleteStep(table, `"shopId" = $1 AND "${column}" = ANY($2::text[])`, (request) => [
      request.shopId,
      request.orderShopifyIds,
    ]),
  ),
  ...CUSTOMER_HISTORY_TABLES.map((table) =>
    deleteStep(table, `"shopId" = $1 AND "customerShopifyId" = $2`, byCustomer),
  ),
];

/**
 * The last step, in one transaction: whatever a writer added meanwhile is swept, the customer's data-request exports
 * go, a data request of theirs still pending is superseded, and the request is finished, its IDs cleared. The
 * one-row records go first, then, under the shop's segment lock (held by every segmentation write), the histories:
 * a segmentation batch that read the customer before the request arrived and writes after this finds no Customer
 * row and takes its rows back (recompute/write-results.server.ts).
 */
async function finish(tx: SqlExecutor, request: PendingRequest): Promise<void> {
  const customer = request.customerShopifyId as string;
  await redactCustomerRecords(tx, request.shopId, customer);
  await lockShopSegments(tx, request.shopId);
  for (const table of FLOW_HISTORY_TABLES)
    await tx.query(`DELETE FROM "${table}" WHERE "shopId" = $1 AND "customerShopifyId" = $2`, [
      request.shopId,
      customer,
    ]);
  await redactCustomerSegmentHistory(tx, request.shopId, customer);
  await redactCustomerOffers(tx, request.shopId, customer);
  await tx.query(`DELETE FROM "DataRequestExport" WHERE "shopId" = $1 AND "customerShopifyId" = $2`, [
    request.shopId,
    customer,
  ]);
  const { rows } = await tx.query<{ id: string }>(
    `SELECT "id"::text AS id FROM "PrivacyRequest" WHERE "shopId" = $1 AND "kind" = 'data-request' AND "customerShopifyId" = $2 AND "finishedAt" IS NULL`,
    [request.shopId, customer],
  );
  for (const { id } of rows) await finishRequest(tx, id, "superseded");
  await finishRequest(tx, request.id, "done");
}

export async function redactCustomer(
  db: PrivacyDatabase,
  request: PendingRequest,
  limit: number,
  onBatch?: () => Promise<void>,
): Promise<boolean> {
  if (!(await runSteps(db, request.id, STEPS, limit, onBatch))) return false;
  return (await withRequest(db, request.id, async (tx, current) => void (await finish(tx, current)))) !== null;
}
