// Generated shops for bench/segment: customers with ~5 orders each over three years, drawn from the BG/NBD and
// Gamma-Gamma processes themselves (app/segments/predictive/simulate.ts): heterogeneous purchase rates, dropout and
// spend, as real shops have. (Hash-based data with identical cadence and spend for everyone makes the models'
// parameters run to their bounds, and the pass then measures the fallback ladder instead of a shop.) Seeded, so
// every engine and the CLI see the same shop. About 5% of orders are partly refunded and 2% cancelled; every order
// has one line with a product type.
import { simulatePurchases } from "../app/segments/predictive/index.ts";
import type { CustomerPurchase } from "../app/segments/predictive/index.ts";

export const BENCH_SHOP = { id: "bench-shop", domain: "bench.myshopify.com" };
export const BENCH_AS_OF = "2026-03-01";

export interface BenchOrder {
  customerId: string;
  orderId: string;
  processedAt: string;
  amountMinor: number;
  refundedMinor: number;
  cancelled: boolean;
}

const h = (x: number, salt: number) => ((x * 2654435761 + salt) % 4294967296) / 4294967296;

/** The shop's orders, in customer order. Customer IDs are 13-digit, like Shopify's. */
export function* benchOrders(customers: number): Generator<BenchOrder> {
  const purchases: CustomerPurchase[] = simulatePurchases({
    customers,
    asOf: "2026-02-28",
    historyDays: 1095,
    bgnbd: { r: 0.9, alpha: 75, a: 0.5, b: 4 },
    gammaGamma: { p: 6.25, q: 3.74, gamma: 15.44 * 1.2 },
    seed: 20260301,
  });
  let n = 0;
  for (const purchase of purchases) {
    n++;
    const amountMinor = Math.max(100, Math.round(purchase.amount * 100));
    yield {
      customerId: String(7000000000000 + Number(purchase.customerId)),
      orderId: String(9000000000000 + n),
      processedAt: `${purchase.date}T10:00:00Z`,
      amountMinor,
      refundedMinor: h(n, 4) < 0.05 ? Math.min(300, amountMinor) : 0,
      cancelled: h(n, 5) < 0.02,
    };
  }
}

interface SqlClient {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** Loads the shop in chunks of array-parameter inserts (one statement per table and chunk). */
export async function loadBenchShop(sql: SqlClient, customers: number): Promise<void> {
  await sql.query(`INSERT INTO "Shop" (id, domain, "currencyCode", "updatedAt") VALUES ($1, $2, 'GBP', now())`, [
    BENCH_SHOP.id,
    BENCH_SHOP.domain,
  ]);
  await sql.query(
    `INSERT INTO "Customer" ("shopId", "shopifyId", "updatedAt") SELECT $1, (7000000000000 + c)::text, now() FROM generate_series(1, $2::int) c`,
    [BENCH_SHOP.id, customers],
  );
  const columns = {
    customer: [] as string[],
    order: [] as string[],
    at: [] as string[],
    amount: [] as number[],
    refunded: [] as number[],
    cancelled: [] as boolean[],
  };
  const flush = async () => {
    if (columns.order.length === 0) return;
    await sql.query(
      `INSERT INTO "Order" ("shopId", "shopifyId", "customerShopifyId", "processedAt", "shopifyCreatedAt", "sourceUpdatedAt", currency,
                            "subtotalMinor", "shippingMinor", "taxMinor", "discountMinor", "totalMinor", "refundedMinor", "netMinor", "cancelledAt", "updatedAt")
       SELECT $1, o, c, at, at, at, 'GBP', amount, 0, 0, 0, amount, refunded, CASE WHEN cancelled THEN 0 ELSE amount - refunded END,
              CASE WHEN cancelled THEN at + interval '1 day' END, now()
         FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::bigint[], $6::bigint[], $7::boolean[]) AS t(c, o, at, amount, refunded, cancelled)`,
      [BENCH_SHOP.id, columns.customer, columns.order, columns.at, columns.amount, columns.refunded, columns.cancelled],
    );
    for (const list of Object.values(columns)) list.length = 0;
  };
  for (const order of benchOrders(customers)) {
    columns.customer.push(order.customerId);
    columns.order.push(order.orderId);
    columns.at.push(order.processedAt);
    columns.amount.push(order.amountMinor);
    columns.refunded.push(order.refundedMinor);
    columns.cancelled.push(order.cancelled);
    if (columns.order.length >= 20_000) await flush();
  }
  await flush();
  await sql.query(
    `INSERT INTO "Refund" ("shopId", "orderId", "orderShopifyId", "shopifyId", "processedAt", "merchandiseMinor", "totalMinor")
       SELECT "shopId", id, "shopifyId", 'r' || "shopifyId", "processedAt" + interval '7 days', "refundedMinor", "refundedMinor"
         FROM "Order" WHERE "shopId" = $1 AND "refundedMinor" > 0`,
    [BENCH_SHOP.id],
  );
  await sql.query(
    `INSERT INTO "OrderLine" ("shopId", "orderId", "shopifyId", "productType", quantity, "amountMinor")
       SELECT "shopId", id, 'l' || "shopifyId",
              (ARRAY['Coffee Beans', 'Tea', 'Brewing Equipment', 'Mugs & Cups', 'Accessories', 'Gift Sets'])[1 + (id % 6)], 1, "subtotalMinor"
         FROM "Order" WHERE "shopId" = $1`,
    [BENCH_SHOP.id],
  );
  // As the app's writers keep it (migration order_line_amounts_by_type): each order's line amounts by product type.
  await sql.query(
    `UPDATE "Order" o SET "lineAmountsByType" = jsonb_build_object(l."productType", l."amountMinor")
       FROM "OrderLine" l WHERE l."orderId" = o.id AND o."shopId" = $1`,
    [BENCH_SHOP.id],
  );
  // A shop's data has been sitting in the database for a while when its nightly pass runs: vacuumed, analysed and
  // checkpointed. Without this the pass would share the machine with autovacuum's first visit to a million fresh
  // rows and a checkpoint of the load's writes, which are the loader's cost, not the pass's.
  await sql.query(`VACUUM ANALYZE`);
  await sql.query(`CHECKPOINT`);
}
