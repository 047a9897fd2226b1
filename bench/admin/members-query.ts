// bench/admin, first half: the segment page's members-table query (app/admin-data/members.server.ts) on a
// 200,000-customer shop on PostgreSQL. The profiles, and their listing rows, are written straight into a fresh
// database with SQL (the full pass that would write them is bench/segment's subject), with label shares like a real shop's (a quarter active,
// a quarter lost, tiers 60/25/10 %, a built-in segment on one customer in five) and explanations of a real length. Each query shape runs 60 times after
// a warm-up; p50 and p95 per shape. Prints one JSON line.
//   tsx bench/admin/members-query.ts POSTGRES_URL [CUSTOMERS]
import { closeDatabase, database, migrateDatabase } from "../../app/db.server.ts";
import { memberPage } from "../../app/admin-data/members.server.ts";
import type { MemberQuery } from "../../app/admin-data/members.server.ts";
import { parseSegmentKey } from "../../app/segments/segment-key.ts";
import { segmentDetail } from "../../app/admin-data/segments.server.ts";

const [url, customersArg] = process.argv.slice(2);
const customers = Number(customersArg ?? 200_000);
process.env.DATABASE_URL = url;
process.env.CADENCE_LOG_LEVEL = "silent";

await migrateDatabase();
const db = database();
const shopId = "bench-admin-shop";
await db.sql.query(
  `INSERT INTO "Shop" (id, domain, "currencyCode", "updatedAt") VALUES ($1, 'bench-admin.myshopify.com', 'GBP', now())`,
  [shopId],
);
await db.sql.query(
  `INSERT INTO "CustomerProfile" ("shopId", "customerShopifyId", "asOf", orders, "ordersPlaced", "netSpendMinor", "averageOrderValueMinor",
     "firstOrderOn", "lastOrderOn", "daysSinceLastOrder", "purchaseDays", "netSpend365Minor", orders365, "refundedMinor", "lastOrderRefunded",
     "discountMinor", "topProductTypes", "purchaseMonths", "purchaseYears", "peakSeasonYears", "tierId", "tierName", "rfmGroup", lifecycle,
     "clv12mMinor", confidence, segments, explanations, "computedAt")
   SELECT $1, (7000000000000 + g)::text, DATE '2026-03-01', o, o, spend, spend / o, DATE '2026-03-01' - (400 + g % 300), DATE '2026-03-01' - (g % 700),
     g % 700, o, spend / 2, o / 2, 0, false, 0, '{}', '{0,0,0,0,0,0,0,0,0,0,0,0}', 1, 0,
     CASE WHEN g % 20 < 12 THEN 'bronze' WHEN g % 20 < 17 THEN 'silver' WHEN g % 20 < 19 THEN 'gold' END,
     CASE WHEN g % 20 < 12 THEN 'Bronze' WHEN g % 20 < 17 THEN 'Silver' WHEN g % 20 < 19 THEN 'Gold' END,
     (ARRAY['champions','loyal','active','new','promising','needs_attention','at_risk','almost_lost','previously_loyal','dormant'])[1 + g % 10],
     (ARRAY['active','active','new','returning','at_risk','lapsed','lost','lost'])[1 + g % 8],
     spend * 3 / 10, 'medium', CASE WHEN g % 10 = 0 THEN ARRAY['at_risk'] WHEN g % 10 = 1 THEN ARRAY['lapsed','unhappy'] ELSE '{}'::text[] END,
     jsonb_build_object('tier', 'Bronze: £' || (spend / 100) || ' in the last 12 months, retains at £40', 'tierProgress', '£' || (spend / 90) || ' more in the last 12 months reaches Silver',
       'rfm', 'Champions: R5 F5 M4 (last order ' || (g % 700) || ' days ago, ' || o || ' orders, £' || (spend / 100) || ' spent)',
       'lifecycle', 'Returning: ordered ' || (g % 700) || ' days ago after 196 days away, usually every 68',
       'prediction', 'Predicted: 73% likely active, 1.6 orders in the next 12 months at £24.65, 12-month value £36.71 (confidence: high)'), now()
   FROM (SELECT g, 1 + (g::bigint * 7919) % 12 AS o, 500 + (g::bigint * 104729) % 90000 AS spend FROM generate_series(1, $2::int) AS g) s`,
  [shopId, customers],
);
// As the profiles' writer keeps it (app/recompute/write-results.server.ts): the admin's narrow copy of each profile.
await db.sql.query(
  `INSERT INTO "CustomerListing" ("shopId", "customerShopifyId", "tierId", "tierName", "rfmGroup", lifecycle, confidence, segments, orders,
     "netSpendMinor", "lastOrderKey", "clvKey")
   SELECT "shopId", "customerShopifyId", "tierId", "tierName", "rfmGroup", lifecycle, confidence, segments, orders, "netSpendMinor",
     COALESCE("lastOrderOn", DATE '0001-01-01'), COALESCE("clv12mMinor", -1) FROM "CustomerProfile" WHERE "shopId" = $1`,
  [shopId],
);
await db.sql.query(
  `INSERT INTO "LoyaltyProgram" ("shopId", version, definition, source, "effectiveOn", "updatedAt") VALUES ($1, 1, $2::jsonb, 'default', DATE '2026-01-01', now())`,
  [
    shopId,
    JSON.stringify({
      window: { kind: "rolling", days: 365 },
      combine: "any",
      graceDays: 0,
      tiers: [
        { id: "bronze", name: "Bronze", enter: { spendMinor: null, orders: 1 } },
        { id: "silver", name: "Silver", enter: { spendMinor: 20000, orders: null } },
        { id: "gold", name: "Gold", enter: { spendMinor: 60000, orders: null } },
      ],
    }),
  ],
);
await db.sql.query(`ANALYZE "CustomerProfile"`);
await db.sql.query(`ANALYZE "CustomerListing"`);

const shapes: [name: string, key: string, query: MemberQuery, deepPages?: number][] = [
  ["big segment, first page, by net spend", "lifecycle:active", { sort: "netSpend", direction: "desc" }],
  ["big segment, page 40, by net spend", "lifecycle:active", { sort: "netSpend", direction: "desc" }, 40],
  ["tier, first page, by last order", "tier:bronze", { sort: "lastOrder", direction: "desc" }],
  ["tier, first page, by customer ID", "tier:silver", { sort: "customer", direction: "asc" }],
  ["membership segment, by 12-month value", "at_risk", { sort: "clv", direction: "desc" }],
  ["RFM group, by orders", "rfm:champions", { sort: "orders", direction: "asc" }],
  ["search by customer ID prefix", "lifecycle:lost", { sort: "netSpend", direction: "desc", search: "70000000012" }],
];

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
// The page counts its segment once per view (segmentDetail), timed as its own shape below; the members query
// then needs no count of its own except for a search.
const sizes = new Map<string, number>();
for (const [, key] of shapes) sizes.set(key, (await segmentDetail(db.prisma, shopId, key))?.customers ?? 0);
const results = [];
const all: number[] = [];
for (const [name, key, query, deepPages] of shapes) {
  const ref = parseSegmentKey(key)!;
  let start = query;
  if (deepPages) {
    for (let page = 0; page < deepPages; page += 1)
      start = {
        ...query,
        after: (await memberPage(db.prisma, shopId, ref, start, undefined, sizes.get(key))).next ?? undefined,
      };
  }
  for (let i = 0; i < 5; i += 1) await memberPage(db.prisma, shopId, ref, start, undefined, sizes.get(key));
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < 60; i += 1) {
    const began = performance.now();
    const page = await memberPage(db.prisma, shopId, ref, start, undefined, sizes.get(key));
    times.push(performance.now() - began);
    rows = page.members.length;
  }
  all.push(...times);
  results.push({
    shape: name,
    rows,
    p50Ms: Number(quantile(times, 0.5).toFixed(1)),
    p95Ms: Number(quantile(times, 0.95).toFixed(1)),
  });
  console.error(
    `${name.padEnd(42)} p50 ${quantile(times, 0.5).toFixed(1)} ms, p95 ${quantile(times, 0.95).toFixed(
      1,
    )} ms (${rows} rows)`,
  );
}
const detailTimes: number[] = [];
for (let i = 0; i < 30; i += 1) {
  const began = performance.now();
  await segmentDetail(db.prisma, shopId, "lifecycle:active");
  detailTimes.push(performance.now() - began);
}
console.error(
  `${"segment header (size and spend)".padEnd(42)} p50 ${quantile(detailTimes, 0.5).toFixed(1)} ms, p95 ${quantile(
    detailTimes,
    0.95,
  ).toFixed(1)} ms`,
);
await closeDatabase();
console.log(
  JSON.stringify({
    customers,
    shapes: results,
    segmentHeaderP95Ms: Number(quantile(detailTimes, 0.95).toFixed(1)),
    p95Ms: Number(quantile(all, 0.95).toFixed(1)),
    worstShapeP95Ms: Math.max(...results.map((r) => r.p95Ms)),
  }),
);
