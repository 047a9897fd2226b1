import type { PrismaClient } from "@prisma/client";
import type { SqlExecutor } from "~/database/sql-executor";

// The one answer to "may Cadence use this shop's or this customer's data?". A privacy request is acknowledged at
// once and carried out afterwards by a job (docs/sync.md, "Uninstall and privacy"); until that job has finished, the
// shop or customer counts as already gone. Anything that reads a shop's or a customer's data to show it, answer a
// shopper, publish it or send it elsewhere (admin pages, the app proxy, the customer account block, publishing,
// Flow triggers and the Flow action) asks here.
//
// What the delivery itself already did makes most of this automatic: a shop/redact takes the shop's domain off its
// row (no admin page, proxy request or webhook finds it by domain) and deletes its sessions; a customers/redact
// deletes the customer's one-row records (customer, profile, listing, loyalty status, opt-out, published values,
// publish queue entry), so lists and the customer page no longer show them. What is left until the job ends are
// rows read by shop ID or counted in aggregates: orders, offer events, segment and tier history. Those readers use
// the checks below.

/** Plain SQL (ingest, jobs) or a Prisma client (admin data, the app proxy, publishing). */
export type GoneSource = SqlExecutor | Pick<PrismaClient, "$queryRawUnsafe">;

async function rowsOf<Row>(source: GoneSource, text: string, params: unknown[]): Promise<Row[]> {
  return "$queryRawUnsafe" in source
    ? source.$queryRawUnsafe<Row[]>(text, ...params)
    : (await source.query<Row>(text, params)).rows;
}

/** A pending customers/redact names the customer; finished requests name nobody (their IDs are cleared). */
const PENDING_CUSTOMER_REDACTION = `"kind" = 'customer-redact' AND "finishedAt" IS NULL`;

/**
 * SQL that is true when the customer in `customerColumn` (of the shop in `shopColumn`) has a redaction pending:
 * for set-based readers, as `AND NOT ${customerRedactionPending(...)}`. PrivacyRequest's (shopId, customerShopifyId)
 * index answers it.
 */
export function customerRedactionPending(shopColumn: string, customerColumn: string): string {
  return `EXISTS (SELECT 1 FROM "PrivacyRequest" pr WHERE pr."shopId" = ${shopColumn} AND pr."customerShopifyId" = ${customerColumn} AND pr.${PENDING_CUSTOMER_REDACTION})`;
}

/** The customers of the shop whose redaction is pending (a short list: requests finish within seconds or minutes). */
export async function customersBeingRedacted(source: GoneSource, shopId: string): Promise<Set<string>> {
  const rows = await rowsOf<{ id: string }>(
    source,
    `SELECT DISTINCT "customerShopifyId" AS id FROM "PrivacyRequest" WHERE "shopId" = $1 AND ${PENDING_CUSTOMER_REDACTION}`,
    [shopId],
  );
  return new Set(rows.map((row) => row.id));
}

/** Whether the customer's data may no longer be used: a customers/redact for them is pending. */
export async function customerGone(source: GoneSource, shopId: string, customerShopifyId: string): Promise<boolean> {
  const rows = await rowsOf<{ gone: boolean }>(source, `SELECT ${customerRedactionPending("$1", "$2")} AS gone`, [
    shopId,
    customerShopifyId,
  ]);
  return rows[0]?.gone === true;
}

/**
 * SQL that is true when the "Shop" row `shop` (an alias) may be used: installed, and no shop/redact pending (one is
 * only honoured after an uninstall, so this is "installed" today; written out in full so it stays the one rule).
 * Jobs that list shops, the job steps, publishing, the app proxy and the Flow action all ask this.
 */
export function shopUsable(shop: string): string {
  return `(${shop}."uninstalledAt" IS NULL AND NOT EXISTS (SELECT 1 FROM "PrivacyRequest" pr WHERE pr."shopId" = ${shop}."id" AND pr."kind" = 'shop-redact' AND pr."finishedAt" IS NULL))`;
}

/** Whether the shop's data may no longer be used: no such shop, or not usable (above). */
export async function shopGone(source: GoneSource, shopId: string): Promise<boolean> {
  const rows = await rowsOf<{ usable: boolean }>(
    source,
    `SELECT ${shopUsable("s")} AS usable FROM "Shop" s WHERE s."id" = $1`,
    [shopId],
  );
  return rows[0]?.usable !== true;
}
