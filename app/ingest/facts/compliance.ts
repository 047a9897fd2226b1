import { customerOffersData, redactCustomerOffers } from "~/offers/redact.server";
import { customerSegmentationData, redactCustomerSegmentation, redactShopSegmentation } from "~/profiles/redact.server";
import { isoSql, jsonParam, NOW_UTC, type SqlExecutor } from "./sql";

// Shopify's mandatory privacy webhooks. Cadence stores no names, emails, phones or addresses, so a customer is
// identified only by Shopify IDs: the customer's and their orders'. Tables added later that hold a customer's data
// must cascade from Customer or be listed here (docs/sync.md, "Privacy").

export interface CustomerRequest {
  customerShopifyId: string;
  /** orders_to_redact / orders_requested: may name orders whose customer link Cadence never saw. */
  orderShopifyIds: string[];
}

function ordersOf(alias?: string): string {
  const column = (name: string) => (alias ? `${alias}."${name}"` : `"${name}"`);
  return `${column("shopId")} = $1 AND (${column("customerShopifyId")} = $2 OR ${column("shopifyId")} = ANY($3::text[]))`;
}

/**
 * customers/redact: every row that identifies the customer goes, in this order so nothing is left pointing at a
 * deleted row. Shop-level figures are computed from what remains, so they are corrected by the deletion itself.
 */
export async function redactCustomer(tx: SqlExecutor, shopId: string, request: CustomerRequest): Promise<{ orders: number }> {
  const params = [shopId, request.customerShopifyId, request.orderShopifyIds];
  const { rows } = await tx.query<{ shopifyId: string }>(`SELECT "shopifyId" FROM "Order" WHERE ${ordersOf()}`, params);
  const orderIds = [...new Set([...rows.map((row) => row.shopifyId), ...request.orderShopifyIds])];
  // Refunds (linked or still waiting), staged bulk lines and tombstones are keyed by order ID.
  await tx.query(`DELETE FROM "Refund" WHERE "shopId" = $1 AND "orderShopifyId" = ANY($2::text[])`, [shopId, orderIds]);
  await tx.query(`DELETE FROM "BackfillPendingLine" WHERE "shopId" = $1 AND "orderShopifyId" = ANY($2::text[])`, [shopId, orderIds]);
  await tx.query(`DELETE FROM "BackfillRefundDetail" WHERE "shopId" = $1 AND "orderShopifyId" = ANY($2::text[])`, [shopId, orderIds]);
  await tx.query(`DELETE FROM "DeletedOrder" WHERE "shopId" = $1 AND "shopifyId" = ANY($2::text[])`, [shopId, orderIds]);
  await tx.query(`DELETE FROM "Order" WHERE ${ordersOf()}`, params); // lines cascade
  await tx.query(`DELETE FROM "Customer" WHERE "shopId" = $1 AND "shopifyId" = $2`, [shopId, request.customerShopifyId]);
  await tx.query(`DELETE FROM "DataRequestExport" WHERE "shopId" = $1 AND "customerShopifyId" = $2`, [shopId, request.customerShopifyId]);
  await redactCustomerSegmentation(tx, shopId, request.customerShopifyId);
  await redactCustomerOffers(tx, shopId, request.customerShopifyId);
  return { orders: rows.length };
}

interface OrderRow {
  shopifyId: string;
  name: string | null;
  processedAt: string;
  currency: string;
  test: boolean;
  cancelledAt: string | null;
  subtotalMinor: string;
  totalMinor: string;
  refundedMinor: string;
  netMinor: string;
  discountCodes: string[];
  lines: unknown;
  refunds: unknown;
}

/** customers/data_request: everything stored about the customer, as one JSON document kept for the merchant. */
export async function assembleCustomerData(tx: SqlExecutor, shopId: string, shopDomain: string, request: CustomerRequest): Promise<Record<string, unknown>> {
  const params = [shopId, request.customerShopifyId, request.orderShopifyIds];
  const customer = await tx.query(
    `SELECT "shopifyId", ${isoSql('"shopifyCreatedAt"')} AS "createdAt", "optedOut",
       ${isoSql('"optedOutAt"')} AS "optedOutAt", ${isoSql('"deletedAt"')} AS "deletedAt"
     FROM "Customer" WHERE "shopId" = $1 AND "shopifyId" = $2`,
    params.slice(0, 2),
  );
  const orders = await tx.query<OrderRow>(
    `SELECT o."shopifyId", o."name", ${isoSql('o."processedAt"')} AS "processedAt", o."currency", o."test",
       ${isoSql('o."cancelledAt"')} AS "cancelledAt", o."subtotalMinor"::text AS "subtotalMinor", o."totalMinor"::text AS "totalMinor",
       o."refundedMinor"::text AS "refundedMinor", o."netMinor"::text AS "netMinor",
       COALESCE(o."discountCodes", ARRAY[]::text[]) AS "discountCodes",
       COALESCE((SELECT jsonb_agg(jsonb_build_object('productId', l."productId", 'variantId', l."variantId",
         'productType', l."productType", 'quantity', l."quantity", 'amountMinor', l."amountMinor"::text) ORDER BY l."id")
         FROM "OrderLine" l WHERE l."orderId" = o."id"), '[]'::jsonb) AS lines,
       COALESCE((SELECT jsonb_agg(jsonb_build_object('refundId', r."shopifyId", 'processedAt', ${isoSql('r."processedAt"')},
         'merchandiseMinor', r."merchandiseMinor"::text, 'totalMinor', r."totalMinor"::text) ORDER BY r."processedAt")
         FROM "Refund" r WHERE r."shopId" = o."shopId" AND r."orderShopifyId" = o."shopifyId"), '[]'::jsonb) AS refunds
     FROM "Order" o WHERE ${ordersOf("o")}
     ORDER BY o."processedAt"`,
    params,
  );
  return {
    shop: shopDomain,
    generatedAt: new Date().toISOString(),
    note: "Cadence stores Shopify IDs, dates, amounts (minor units of the shop currency), products and the discount codes an order redeemed; never names, emails, phones or addresses.",
    customer: customer.rows[0] ?? null,
    orders: orders.rows,
    segmentation: await customerSegmentationData(tx, shopId, request.customerShopifyId),
    offers: await customerOffersData(tx, shopId, request.customerShopifyId),
  };
}

export async function storeDataRequest(tx: SqlExecutor, shopId: string, requestId: string, customerShopifyId: string, data: Record<string, unknown>): Promise<void> {
  await tx.query(
    `INSERT INTO "DataRequestExport" ("shopId", "requestId", "customerShopifyId", "data", "createdAt")
     VALUES ($1, $2, $3, $4::jsonb, ${NOW_UTC})
     ON CONFLICT ("shopId", "requestId") DO UPDATE SET "data" = EXCLUDED."data", "customerShopifyId" = EXCLUDED."customerShopifyId"`,
    [shopId, requestId, customerShopifyId, jsonParam(data)],
  );
}

/**
 * shop/redact (48 hours after uninstall): every row of the shop goes. Most cascade from the Shop row; segmentation's
 * per-customer tables are deleted first (they have no key to cascade from). The job queue's rows that name the shop
 * go too: pg-boss keeps jobs in its documented pgboss.job table, and this shop's jobs carry its ID in their data.
 */
export async function redactShop(tx: SqlExecutor, shopId: string, shopDomain: string): Promise<void> {
  await tx.query(`DELETE FROM "DataRequestExport" WHERE "shopId" = $1`, [shopId]);
  await tx.query(`DELETE FROM "Session" WHERE "shop" = $1`, [shopDomain]);
  await redactShopSegmentation(tx, shopId);
  await tx.query(`DELETE FROM "Shop" WHERE "id" = $1`, [shopId]);
  const { rows } = await tx.query<{ present: boolean }>(`SELECT to_regclass('pgboss.job') IS NOT NULL AS present`);
  if (rows[0]?.present) await tx.query(`DELETE FROM pgboss.job WHERE data->>'shopId' = $1`, [shopId]);
}
