// Generated shops for bench/segment: customers with ~5 orders each over three years, written straight into the
// facts tables with set-based SQL (generate_series), so a million orders load in seconds on PostgreSQL. About 5%
// of orders are partly refunded and 2% cancelled; every order has one line with a product type. Deterministic
// (hash-based, no random()), so PGlite and PostgreSQL hold identical shops.

export const BENCH_SHOP = { id: "bench-shop", domain: "bench.myshopify.com" };
export const BENCH_AS_OF = "2026-03-01";

export function generateShopSql(customers: number): string[] {
  // h(x) ∈ [0, 1): a cheap integer hash, the same on every PostgreSQL build.
  const h = (expression: string, salt: number) => `((((${expression}) * 2654435761::bigint + ${salt}) % 4294967296) / 4294967296.0)`;
  return [
    `INSERT INTO "Shop" (id, domain, "currencyCode", "updatedAt") VALUES ('${BENCH_SHOP.id}', '${BENCH_SHOP.domain}', 'GBP', now())`,
    `INSERT INTO "Customer" ("shopId", "shopifyId", "updatedAt")
       SELECT '${BENCH_SHOP.id}', (7000000000000 + c)::text, now() FROM generate_series(1, ${customers}) c`,
    // Each customer: 1–9 orders (mean 5); a personal start day and cadence; amounts £5–£155.
    `INSERT INTO "Order" ("shopId", "shopifyId", "customerShopifyId", "processedAt", "shopifyCreatedAt", "sourceUpdatedAt", currency,
                          "subtotalMinor", "shippingMinor", "taxMinor", "discountMinor", "totalMinor", "refundedMinor", "netMinor", "cancelledAt", "updatedAt")
       SELECT '${BENCH_SHOP.id}', (9000000000000 + c * 16 + k)::text, (7000000000000 + c)::text, at, at, at, 'GBP',
              amount, 0, 0, 0, amount, refunded, CASE WHEN cancelled THEN 0 ELSE amount - refunded END,
              CASE WHEN cancelled THEN at + interval '1 day' END, now()
         FROM (SELECT c, k,
                      timestamp '2023-03-01 10:00' + ((${h("c", 1)} * 700 + k * (10 + ${h("c", 2)} * 80)) * interval '1 day') AS at,
                      (500 + floor(${h("c * 16 + k", 3)} * 15000))::bigint AS amount,
                      CASE WHEN ${h("c * 16 + k", 4)} < 0.05 THEN 300::bigint ELSE 0::bigint END AS refunded,
                      ${h("c * 16 + k", 5)} < 0.02 AS cancelled
                 FROM generate_series(1, ${customers}) c, LATERAL generate_series(1, 1 + floor(${h("c", 6)} * 9)::int) k) o
        WHERE at < timestamp '${BENCH_AS_OF}'`,
    `INSERT INTO "Refund" ("shopId", "orderId", "orderShopifyId", "shopifyId", "processedAt", "merchandiseMinor", "totalMinor")
       SELECT "shopId", id, "shopifyId", 'r' || "shopifyId", "processedAt" + interval '7 days', "refundedMinor", "refundedMinor"
         FROM "Order" WHERE "shopId" = '${BENCH_SHOP.id}' AND "refundedMinor" > 0`,
    `INSERT INTO "OrderLine" ("shopId", "orderId", "shopifyId", "productType", quantity, "amountMinor")
       SELECT "shopId", id, 'l' || "shopifyId",
              (ARRAY['Coffee Beans', 'Tea', 'Brewing Equipment', 'Mugs & Cups', 'Accessories', 'Gift Sets'])[1 + (id % 6)], 1, "subtotalMinor"
         FROM "Order" WHERE "shopId" = '${BENCH_SHOP.id}'`,
    `ANALYZE`,
  ];
}
