import type { SqlExecutor } from "~/database/sql-executor";
import { redactCustomerRecords } from "./customer-records";

// What a privacy webhook does before it is answered: it records the request (PrivacyRequest) in the delivery's own
// transaction, next to its ledger row, so an acknowledged request is never lost, and makes the shop or customer gone
// from every reader at once with a handful of one-row statements. Everything whose size grows with the shop or the
// customer (orders, their lines and refunds, histories, a data request's assembly) is left to the privacy-request
// job (run-request.ts), in bounded batches. See docs/sync.md, "Uninstall and privacy".

export type PrivacyRequestKind = "customer-redact" | "data-request" | "shop-redact";

export interface CustomerRequest {
  customerShopifyId: string;
  /** orders_to_redact / orders_requested: may name orders whose customer link Cadence never saw. */
  orderShopifyIds: string[];
}

async function insertRequest(
  tx: SqlExecutor,
  shopId: string,
  kind: PrivacyRequestKind,
  fields: {
    customerShopifyId?: string;
    orderShopifyIds?: string[];
    dataRequestId?: string;
    shopDomain?: string;
    triggeredAt: Date | null;
  },
): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO "PrivacyRequest" ("shopId", "kind", "customerShopifyId", "orderShopifyIds", "dataRequestId", "shopDomain", "triggeredAt")
     VALUES ($1, $2, $3, $4::text[], $5, $6, $7::timestamptz) RETURNING "id"::text AS id`,
    [
      shopId,
      kind,
      fields.customerShopifyId ?? null,
      fields.orderShopifyIds ?? [],
      fields.dataRequestId ?? null,
      fields.shopDomain ?? null,
      fields.triggeredAt?.toISOString() ?? null,
    ],
  );
  return rows[0]!.id;
}

/**
 * customers/redact: the request, and the customer's one-row records gone now (they are what lists, the customer page,
 * the storefront and publishing read by customer). The customer's orders and histories follow in the job.
 */
export async function recordCustomerRedaction(
  tx: SqlExecutor,
  shopId: string,
  request: CustomerRequest,
  triggeredAt: Date | null,
): Promise<string> {
  const id = await insertRequest(tx, shopId, "customer-redact", { ...request, triggeredAt });
  await redactCustomerRecords(tx, shopId, request.customerShopifyId);
  return id;
}

/** customers/data_request: the request; the job assembles the export. A repeat of a pending request adds nothing. */
export async function recordDataRequest(
  tx: SqlExecutor,
  shopId: string,
  request: CustomerRequest & { dataRequestId: string },
  triggeredAt: Date | null,
): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    `SELECT "id"::text AS id FROM "PrivacyRequest" WHERE "shopId" = $1 AND "kind" = 'data-request' AND "dataRequestId" = $2 AND "finishedAt" IS NULL`,
    [shopId, request.dataRequestId],
  );
  return rows[0]?.id ?? insertRequest(tx, shopId, "data-request", { ...request, triggeredAt });
}

/** Where a shop's row goes while its data is deleted: no real domain looks like this, so nothing finds it by domain. */
export function redactingDomain(shopId: string): string {
  return `redacting:${shopId}`;
}

/**
 * shop/redact: the request; the shop's sessions gone; and its row gives up its domain at once, so admin pages, the
 * app proxy and webhooks find no shop by that domain, and a reinstall meanwhile starts a new row while the job
 * deletes the old one.
 */
export async function recordShopRedaction(
  tx: SqlExecutor,
  shop: { id: string; domain: string },
  triggeredAt: Date | null,
): Promise<string> {
  const id = await insertRequest(tx, shop.id, "shop-redact", { shopDomain: shop.domain, triggeredAt });
  await tx.query(`DELETE FROM "Session" WHERE "shop" = $1`, [shop.domain]);
  await tx.query(`UPDATE "Shop" SET "domain" = $2 WHERE "id" = $1`, [shop.id, redactingDomain(shop.id)]);
  return id;
}
