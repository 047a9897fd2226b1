import type { Day } from "./days";
import { dayOfInstant } from "./days";
import type { Db } from "./database.server";
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
export async function customerPage(db: Db, shopId: string, after: string | null, limit: number): Promise<string[]> {
  const rows = await db.customer.findMany({
    where: { shopId, deletedAt: null, ...(after === null ? {} : { shopifyId: { gt: after } }) },
    select: { shopifyId: true },
    orderBy: { shopifyId: "asc" },
    take: limit,
  });
  return rows.map((row) => row.shopifyId);
}

const LOCAL_DAY = (column: string) => `((${column} AT TIME ZONE 'UTC') AT TIME ZONE $3)::date - DATE '1970-01-01'`;

interface OrderRow {
  id: bigint;
  customer: string;
  day: number;
  net: number;
  refunded: number;
  discount: number;
  cancelled_day: number | null;
  refund_day: number | null;
}

interface LineRow {
  order_id: bigint;
  product_type: string;
  amount: number;
}

/** Each customer's orders (customers without orders map to an empty list). Lines only when asked for. */
export async function readOrders(db: Db, shop: ShopFacts, customerIds: readonly string[], withLines: boolean): Promise<Map<string, ProfileOrder[]>> {
  const result = new Map<string, ProfileOrder[]>(customerIds.map((id) => [id, []]));
  if (customerIds.length === 0) return result;
  const ids = JSON.stringify(customerIds);
  const orders = await db.$queryRawUnsafe<OrderRow[]>(
    `SELECT o.id, o."customerShopifyId" AS customer, ${LOCAL_DAY(`o."processedAt"`)} AS day,
            o."netMinor"::float8 AS net, o."refundedMinor"::float8 AS refunded, o."discountMinor"::float8 AS discount,
            CASE WHEN o."cancelledAt" IS NULL THEN NULL ELSE ${LOCAL_DAY(`o."cancelledAt"`)} END AS cancelled_day,
            (SELECT ${LOCAL_DAY(`max(r."processedAt")`)} FROM "Refund" r WHERE r."orderId" = o.id) AS refund_day
       FROM "Order" o
      WHERE o."shopId" = $1 AND o.test = false
        AND o."customerShopifyId" IN (SELECT jsonb_array_elements_text($2::jsonb))
      ORDER BY o."customerShopifyId", o."processedAt", o.id`,
    shop.id,
    ids,
    shop.timeZone,
  );
  const byOrder = new Map<bigint, ProfileOrder>();
  for (const row of orders) {
    const order: ProfileOrder = {
      day: Number(row.day),
      netMinor: row.net,
      refundedMinor: row.refunded,
      refundDay: row.refund_day === null ? null : Number(row.refund_day),
      discountMinor: row.discount,
      cancelledDay: row.cancelled_day === null ? null : Number(row.cancelled_day),
      lines: [],
    };
    result.get(row.customer)?.push(order);
    if (withLines) byOrder.set(BigInt(row.id), order);
  }
  if (withLines && byOrder.size > 0) {
    const lines = await db.$queryRawUnsafe<LineRow[]>(
      `SELECT l."orderId" AS order_id, l."productType" AS product_type, sum(l."amountMinor")::float8 AS amount
         FROM "OrderLine" l JOIN "Order" o ON o.id = l."orderId"
        WHERE l."shopId" = $1 AND o."shopId" = $1 AND o.test = false AND l."productType" IS NOT NULL AND l."productType" <> ''
          AND o."customerShopifyId" IN (SELECT jsonb_array_elements_text($2::jsonb))
        GROUP BY l."orderId", l."productType"`,
      shop.id,
      ids,
    );
    for (const line of lines) byOrder.get(BigInt(line.order_id))?.lines.push({ productType: line.product_type, amountMinor: line.amount });
  }
  return result;
}
