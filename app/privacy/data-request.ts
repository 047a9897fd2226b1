import type { SqlExecutor } from "~/database/sql-executor";
import { customerOffersData } from "~/privacy/offer-records";
import { customerSegmentationData } from "~/recompute/redact.server";
import { finishRequest } from "./batches";
import type { PendingRequest, PrivacyDatabase } from "./batches";
import { customerRedactionPending } from "./gone";

// customers/data_request, as the privacy job carries it out: everything stored about the customer, assembled as one
// JSON document and kept in DataRequestExport for the merchant (Settings › Privacy, or `cadence sync data-request`),
// who hands it to the customer. One transaction at REPEATABLE READ, so the document is one consistent picture, with
// the orders read a page at a time. It writes only at the end, so a crash leaves nothing to undo and the retried job
// assembles it again; a repeat of the request replaces the export.

const ORDERS_PER_PAGE = 1000;
const iso = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const CUSTOMER_ORDERS = `o."shopId" = $1 AND (o."customerShopifyId" = $2 OR o."shopifyId" = ANY($3::text[]))`;

interface OrderRow {
  shopifyId: string;
  id: string;
  processedAt: string;
  [field: string]: unknown;
}

async function customerOrders(
  tx: SqlExecutor,
  shopId: string,
  customer: string,
  orderIds: string[],
): Promise<Array<Record<string, unknown>>> {
  const orders: Array<Record<string, unknown>> = [];
  let after = null as { processedAt: string; id: string } | null;
  for (;;) {
    const { rows } = await tx.query<OrderRow>(
      `SELECT o."shopifyId", o."id"::text AS id, o."name", ${iso(
        'o."processedAt"',
      )} AS "processedAt", o."currency", o."test",
         ${iso(
           'o."cancelledAt"',
         )} AS "cancelledAt", o."subtotalMinor"::text AS "subtotalMinor", o."totalMinor"::text AS "totalMinor",
         o."refundedMinor"::text AS "refundedMinor", o."netMinor"::text AS "netMinor",
         COALESCE(o."discountCodes", ARRAY[]::text[]) AS "discountCodes",
         COALESCE((SELECT jsonb_agg(jsonb_build_object('productId', l."productId", 'variantId', l."variantId",
           'productType', l."productType", 'quantity', l."quantity", 'amountMinor', l."amountMinor"::text) ORDER BY l."id")
           FROM "OrderLine" l WHERE l."orderId" = o."id"), '[]'::jsonb) AS lines,
         COALESCE((SELECT jsonb_agg(jsonb_build_object('refundId', r."shopifyId", 'processedAt', ${iso(
           'r."processedAt"',
         )},
           'merchandiseMinor', r."merchandiseMinor"::text, 'totalMinor', r."totalMinor"::text) ORDER BY r."processedAt")
           FROM "Refund" r WHERE r."shopId" = o."shopId" AND r."orderShopifyId" = o."shopifyId"), '[]'::jsonb) AS refunds
       FROM "Order" o WHERE ${CUSTOMER_ORDERS}
         AND ($4::timestamp IS NULL OR (o."processedAt", o."id") > ($4::timestamp, $5::bigint))
       ORDER BY o."processedAt", o."id" LIMIT ${ORDERS_PER_PAGE}`,
      [shopId, customer, orderIds, after ? after.processedAt.replace("Z", "") : null, after?.id ?? null],
    );
    for (const { id: _id, ...order } of rows) orders.push(order);
    const last = rows.at(-1);
    if (!last || rows.length < ORDERS_PER_PAGE) return orders;
    after = { processedAt: last.processedAt, id: last.id };
  }
}

/** What Cadence sent, or will send, to Shopify Flow about the customer (the trigger outbox, app/publish/flow/). */
async function customerFlowTriggers(tx: SqlExecutor, shopId: string, customer: string): Promise<unknown[]> {
  const { rows } = await tx.query(
    `SELECT kind, state, ${iso('"createdAt"')} AS "createdAt", ${iso('"settledAt"')} AS "settledAt", payload
       FROM "FlowTrigger" WHERE "shopId" = $1 AND "customerShopifyId" = $2 ORDER BY id`,
    [shopId, customer],
  );
  return rows;
}

/** Everything stored about the customer, as one JSON document for the merchant (no personal data: Cadence has none). */
export async function assembleCustomerData(
  tx: SqlExecutor,
  shopId: string,
  shopDomain: string,
  customer: string,
  orderIds: string[],
): Promise<Record<string, unknown>> {
  const record = await tx.query(
    `SELECT "shopifyId", ${iso('"shopifyCreatedAt"')} AS "createdAt", "optedOut",
       ${iso('"optedOutAt"')} AS "optedOutAt", ${iso('"deletedAt"')} AS "deletedAt"
     FROM "Customer" WHERE "shopId" = $1 AND "shopifyId" = $2`,
    [shopId, customer],
  );
  return {
    shop: shopDomain,
    generatedAt: new Date().toISOString(),
    note: "Cadence stores Shopify IDs, dates, amounts (minor units of the shop currency), products and the discount codes an order redeemed; never names, emails, phones or addresses.",
    customer: record.rows[0] ?? null,
    orders: await customerOrders(tx, shopId, customer, orderIds),
    segmentation: await customerSegmentationData(tx, shopId, customer),
    offers: await customerOffersData(tx, shopId, customer),
    shopifyFlow: await customerFlowTriggers(tx, shopId, customer),
  };
}

/** Assembles and stores the export; a customer whose redaction is pending gets none (the request is superseded). */
export async function answerDataRequest(
  db: PrivacyDatabase,
  request: PendingRequest,
): Promise<"done" | "superseded" | null> {
  return db.transaction(async (tx) => {
    await tx.query(`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`);
    const { rows } = await tx.query<{ id: string; domain: string; gone: boolean }>(
      `SELECT r."id"::text AS id, s."domain", ${customerRedactionPending('r."shopId"', 'r."customerShopifyId"')} AS gone
         FROM "PrivacyRequest" r JOIN "Shop" s ON s."id" = r."shopId"
        WHERE r."id" = $1::bigint AND r."finishedAt" IS NULL FOR UPDATE OF r`,
      [request.id],
    );
    const current = rows[0];
    if (!current) return null;
    if (current.gone) {
      await finishRequest(tx, request.id, "superseded");
      return "superseded";
    }
    const customer = request.customerShopifyId as string;
    const data = await assembleCustomerData(tx, request.shopId, current.domain, customer, request.orderShopifyIds);
    await tx.query(
      `INSERT INTO "DataRequestExport" ("shopId", "requestId", "customerShopifyId", "data", "createdAt")
       VALUES ($1, $2, $3, $4::jsonb, now() AT TIME ZONE 'UTC')
       ON CONFLICT ("shopId", "requestId") DO UPDATE SET "data" = EXCLUDED."data", "customerShopifyId" = EXCLUDED."customerShopifyId",
         "createdAt" = EXCLUDED."createdAt", "handedOverAt" = NULL`,
      [request.shopId, request.dataRequestId ?? `customer-${customer}`, customer, JSON.stringify(data)],
    );
    await finishRequest(tx, request.id, "done");
    return "done";
  });
}
