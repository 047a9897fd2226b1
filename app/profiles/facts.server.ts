import type { Day } from "./days";
import { dayOfInstant } from "./days";
import { customerCondition, type CustomerSet, type Db, type SqlRunner } from "./database.server";
import type { ProfileOrder } from "./orders";

// Reads the facts tables into the profile calculation's input: one customer's orders as ProfileOrders, with
// days in the shop's time zone. Test orders are left out here (they are not sales). Queries are by shop, by a
// batch of customers, ordered so a batch is read in one round trip per table.

export interface ShopFacts {
  id: string;
  domain: string;
  currency: string;
  timeZone: string;
}

export class UnknownShopError extends Error {
  override name = "UnknownShopError";
}

export async function loadShop(db: Db, where: { id: string } | { domain: string }): Promise<ShopFacts> {
  const shop = await db.shop.findUnique({ where, select: { id: true, domain: true, currencyCode: true, ianaTimezone: true } });
  if (!shop) throw new UnknownShopError("domain" in where ? `No shop "${where.domain}" in this database.` : `No shop with id ${where.id}.`);
  return { id: shop.id, domain: shop.domain, currency: shop.currencyCode, timeZone: shop.ianaTimezone || "UTC" };
}

export function today(shop: ShopFacts, now = new Date()): Day {
  return dayOfInstant(now, shop.timeZone);
}

/** The next page of the shop's live customers (not deleted) by Shopify ID, after `after`. */
export async function customerPage(sql: SqlRunner, shopId: string, after: string | null, limit: number): Promise<string[]> {
  const rows = await sql.query<{ id: string }>(
    `SELECT "shopifyId" AS id FROM "Customer" WHERE "shopId" = $1 AND "deletedAt" IS NULL AND "shopifyId" > $2
      ORDER BY "shopifyId" LIMIT $3::int`,
    [shopId, after ?? "", limit],
  );
  return rows.map((row) => row.id);
}

const LOCAL_DAY = (column: string) => `((${column} AT TIME ZONE 'UTC') AT TIME ZONE $2)::date - DATE '1970-01-01'`;

interface OrderRow {
  id: string;
  customer: string;
  day: number;
  net: number;
  refunded: number;
  discount: number;
  cancelled_day: number | null;
  refund_day: number | null;
}

interface LineRow {
  order_id: string;
  product_type: string;
  amount: number;
}

/** Each customer's orders (customers without orders map to an empty list). Lines only when asked for. */
export async function readOrders(sql: SqlRunner, shop: ShopFacts, customers: CustomerSet, withLines: boolean): Promise<Map<string, ProfileOrder[]>> {
  const result = new Map<string, ProfileOrder[]>(customers.ids.map((id) => [id, []]));
  if (customers.ids.length === 0) return result;
  const which = customerCondition(`o."customerShopifyId"`, customers, 3);
  // Only refunded orders look up their refund day (one index probe each): most orders have none.
  const orders = await sql.query<OrderRow>(
    `SELECT o.id::text AS id, o."customerShopifyId" AS customer, ${LOCAL_DAY(`o."processedAt"`)} AS day,
            o."netMinor"::float8 AS net, o."refundedMinor"::float8 AS refunded, o."discountMinor"::float8 AS discount,
            CASE WHEN o."cancelledAt" IS NULL THEN NULL ELSE ${LOCAL_DAY(`o."cancelledAt"`)} END AS cancelled_day,
            CASE WHEN o."refundedMinor" > 0 THEN (SELECT ${LOCAL_DAY(`max(r."processedAt")`)} FROM "Refund" r WHERE r."orderId" = o.id) END AS refund_day
       FROM "Order" o
      WHERE o."shopId" = $1 AND o.test = false AND ${which.sql}
      ORDER BY o."customerShopifyId", o."processedAt", o.id`,
    [shop.id, shop.timeZone, ...which.params],
  );
  const byOrder = new Map<string, ProfileOrder>();
  for (const row of orders) {
    const order: ProfileOrder = {
      day: Number(row.day),
      netMinor: Number(row.net),
      refundedMinor: Number(row.refunded),
      refundDay: row.refund_day === null ? null : Number(row.refund_day),
      discountMinor: Number(row.discount),
      cancelledDay: row.cancelled_day === null ? null : Number(row.cancelled_day),
      lines: [],
    };
    result.get(row.customer)?.push(order);
    if (withLines) byOrder.set(row.id, order);
  }
  if (withLines && byOrder.size > 0) {
    // By order ID, on OrderLine's (orderId, shopifyId) index: no join back to the orders just read.
    const lines = await sql.query<LineRow>(
      `SELECT l."orderId"::text AS order_id, l."productType" AS product_type, sum(l."amountMinor")::float8 AS amount
         FROM "OrderLine" l
        WHERE l."orderId" = ANY($2::text[]::bigint[]) AND l."shopId" = $1 AND l."productType" IS NOT NULL AND l."productType" <> ''
        GROUP BY l."orderId", l."productType"`,
      [shop.id, [...byOrder.keys()]],
    );
    for (const line of lines) byOrder.get(line.order_id)?.lines.push({ productType: line.product_type, amountMinor: Number(line.amount) });
  }
  return result;
}
