import type { Prisma } from "@prisma/client";
import type { Day } from "~/profiles/days";
import { dayOfInstant } from "~/profiles/days";
import { customerCondition } from "./database.server";
import type { CustomerSet } from "./database.server";
import type { SqlExecutor } from "~/database/sql-executor";
import type { ProfileOrder } from "~/profiles/orders";

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

export async function loadShop(
  db: Prisma.TransactionClient,
  where: { id: string } | { domain: string },
): Promise<ShopFacts> {
  const shop = await db.shop.findUnique({
    where,
    select: { id: true, domain: true, currencyCode: true, ianaTimezone: true },
  });
  if (!shop)
    throw new UnknownShopError(
      "domain" in where ? `No shop "${where.domain}" in this database.` : `No shop with id ${where.id}.`,
    );
  return { id: shop.id, domain: shop.domain, currency: shop.currencyCode, timeZone: shop.ianaTimezone || "UTC" };
}

export function today(shop: ShopFacts, now = new Date()): Day {
  return dayOfInstant(now, shop.timeZone);
}

/** The next page of the shop's live customers (not deleted) by Shopify ID, after `after`. */
export async function customerPage(
  sql: SqlExecutor,
  shopId: string,
  after: string | null,
  limit: number,
): Promise<string[]> {
  const { rows } = await sql.query<{ id: string }>(
    `SELECT "shopifyId" AS id FROM "Customer" WHERE "shopId" = $1 AND "deletedAt" IS NULL AND "shopifyId" > $2
      ORDER BY "shopifyId" LIMIT $3::int`,
    [shopId, after ?? "", limit],
  );
  return rows.map((row) => row.id);
}

const LOCAL_DAY = (column: string) => `((${column} AT TIME ZONE 'UTC') AT TIME ZONE $2)::date - DATE '1970-01-01'`;

// One order as the read below encodes it: [customer, day, net, refunded, discount, cancelled day, refund day,
// line amounts by product type]. The batch comes back as one JSON document, which JSON.parse reads far faster than
// the driver turns ten thousand rows of typed columns into objects.
type OrderTuple = [string, number, number, number, number, number | null, number | null, Record<string, number> | null];

/**
 * A batch of customers' orders as one JSON document of order tuples (see decodeOrders), in customer order. Kept as
 * text so the full pass can hold a batch it has read once and decode it again later.
 */
export async function readOrdersJson(
  sql: SqlExecutor,
  shop: ShopFacts,
  customers: CustomerSet,
  withLines: boolean,
): Promise<string> {
  if (customers.ids.length === 0) return "[]";
  const which = customerCondition(`o."customerShopifyId"`, customers, 3);
  // Only refunded orders look up their refund day (one index probe each): most orders have none.
  const { rows } = await sql.query<{ orders: string }>(
    `SELECT COALESCE(json_agg(json_build_array(
              o."customerShopifyId", ${LOCAL_DAY(
                `o."processedAt"`,
              )}, o."netMinor", o."refundedMinor", o."discountMinor",
              CASE WHEN o."cancelledAt" IS NULL THEN NULL ELSE ${LOCAL_DAY(`o."cancelledAt"`)} END,
              CASE WHEN o."refundedMinor" > 0 THEN (SELECT ${LOCAL_DAY(
                `max(r."processedAt")`,
              )} FROM "Refund" r WHERE r."orderId" = o.id) END,
              ${withLines ? `o."lineAmountsByType"` : "NULL"}
            ) ORDER BY o."customerShopifyId", o."processedAt", o.id), '[]')::text AS orders
       FROM "Order" o
      WHERE o."shopId" = $1 AND o.test = false AND ${which.sql}`,
    [shop.id, shop.timeZone, ...which.params],
  );
  return rows[0]?.orders ?? "[]";
}

/** The customers' orders from readOrdersJson's document (customers without orders map to an empty list). */
export function decodeOrders(ids: readonly string[], json: string): Map<string, ProfileOrder[]> {
  const result = new Map<string, ProfileOrder[]>(ids.map((id) => [id, []]));
  for (const [customer, day, net, refunded, discount, cancelledDay, refundDay, lines] of JSON.parse(
    json,
  ) as OrderTuple[]) {
    result.get(customer)?.push({
      day,
      netMinor: net,
      refundedMinor: refunded,
      refundDay,
      discountMinor: discount,
      cancelledDay,
      lines: lines ? Object.entries(lines).map(([productType, amountMinor]) => ({ productType, amountMinor })) : [],
    });
  }
  return result;
}

/** Each customer's orders (customers without orders map to an empty list). Lines only when asked for. */
export async function readOrders(
  sql: SqlExecutor,
  shop: ShopFacts,
  customers: CustomerSet,
  withLines: boolean,
): Promise<Map<string, ProfileOrder[]>> {
  return decodeOrders(customers.ids, await readOrdersJson(sql, shop, customers, withLines));
}
