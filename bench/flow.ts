// Flow triggers per second through the one Admin client's cost budget: the real dispatcher (app/publish/flow/) on
// PostgreSQL sends N tier-change triggers, recorded by the real database triggers, to Shopify's Admin API as the test
// mock plays it (test/support/shopify-admin-mock.ts: the leaky bucket per plan, in real time, 10 points per
// flowTriggerReceive), through the real client's pacing. Prints the overall rate (the bucket's first burst included)
// and the sustained rate (the second half of the triggers), per plan, then one JSON line.
//   npm run bench:flow                      Standard (100 points/s) and Plus (1,000 points/s)
//   npm run bench:flow -- --triggers 2000   more triggers per plan
import { declareProcessRole } from "../app/config.server.ts";
import { closeDatabase, database, migrateDatabase } from "../app/db.server.ts";
import { createLogger } from "../app/logging/logger.ts";
import { dispatchFlowTriggers } from "../app/publish/flow/dispatch.server.ts";
import { createAdminClient } from "../app/shopify-admin/client.ts";
import { createCostBuckets } from "../app/shopify-admin/cost-bucket.ts";
import { AdminApiMock } from "../test/support/shopify-admin-mock.ts";
import { benchServer } from "./postgres.ts";

declareProcessRole("cli");
process.env.CADENCE_LOG_LEVEL = "silent";

const option = (name: string) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : undefined;
};

// Shopify's buckets (REFERENCE: 100 / 1,000 points a second for Standard / Plus), holding ten seconds' worth.
const PLANS = [
  { plan: "Standard", restoreRate: 100, maximumAvailable: 1_000, triggers: option("--triggers") ?? 600 },
  { plan: "Plus", restoreRate: 1_000, maximumAvailable: 10_000, triggers: option("--triggers") ?? 3_000 },
];

const server = await benchServer();
const name = "cadence_bench_flow";
process.env.DATABASE_URL = await server.freshDatabase(name);
await migrateDatabase();
const db = database();
const results: Array<Record<string, unknown>> = [];

try {
  for (const { plan, restoreRate, maximumAvailable, triggers } of PLANS) {
    const shopId = `bench-flow-${plan.toLowerCase()}`;
    const shop = `${shopId}.myshopify.com`;
    await db.sql.query(`INSERT INTO "Shop" (id, domain, "currencyCode", "updatedAt") VALUES ($1, $2, 'GBP', now())`, [
      shopId,
      shop,
    ]);
    await db.sql.query(`INSERT INTO "FlowState" ("shopId", "liveSince", "holdAbove") VALUES ($1, now(), 1000000)`, [
      shopId,
    ]);
    await db.sql.query(
      `INSERT INTO "Customer" ("shopId", "shopifyId", "updatedAt") SELECT $1, (7000000000 + n)::text, now() FROM generate_series(1, $2::int) AS n`,
      [shopId, triggers],
    );
    // One statement, as a full pass writes a batch: the database trigger records one Flow trigger per tier change.
    await db.sql.query(
      `INSERT INTO "TierChange" ("shopId", "customerShopifyId", "on", "fromTierId", "fromTierName", "toTierId", "toTierName", reason)
       SELECT $1, (7000000000 + n)::text, current_date, 'silver', 'Silver', 'gold', 'Gold', 'up' FROM generate_series(1, $2::int) AS n`,
      [shopId, triggers],
    );

    const accessToken = `shpat_bench_${shopId}`;
    const arrivals: number[] = [];
    const mock = new AdminApiMock({
      shop,
      accessToken,
      bucket: { maximumAvailable, restoreRate },
      resolvers: {
        CadenceFlowTriggers: (variables) => {
          const data: Record<string, { userErrors: never[] }> = {};
          for (let index = 0; `h${index}` in variables; index += 1) {
            data[`t${index}`] = { userErrors: [] };
            arrivals.push(performance.now());
          }
          return data;
        },
      },
    }).start();
    const client = createAdminClient({
      shop,
      accessToken,
      buckets: createCostBuckets(),
      logger: createLogger("silent"),
    });

    const started = performance.now();
    let sent = 0;
    for (let round = 0; round < 100; round += 1) {
      const result = await dispatchFlowTriggers(db, shopId, async () => client, { maxTriggers: 1_000_000 });
      sent += result.sent;
      if (result.remaining === 0) break;
    }
    const seconds = (performance.now() - started) / 1000;
    mock.stop();
    const half = arrivals[Math.floor(arrivals.length / 2)]!;
    const sustained = (arrivals.length - Math.floor(arrivals.length / 2)) / ((arrivals.at(-1)! - half) / 1000);
    const requests = mock.callsOf("CadenceFlowTriggers");
    const figures = {
      plan,
      restoreRate,
      maximumAvailable,
      triggers,
      sent,
      seconds: Number(seconds.toFixed(1)),
      overallPerSecond: Number((sent / seconds).toFixed(1)),
      sustainedPerSecond: Number(sustained.toFixed(1)),
      requests: requests.length,
      throttled: requests.filter((call) => call.answer === "throttled").length,
    };
    results.push(figures);
    console.log(
      `${plan} (${restoreRate} points/s, bucket ${maximumAvailable}): ${sent} of ${triggers} triggers in ${figures.seconds} s: ` +
        `${figures.overallPerSecond}/s overall, ${figures.sustainedPerSecond}/s sustained; ${figures.requests} requests, ${figures.throttled} throttled`,
    );
  }
} finally {
  await closeDatabase();
  await server.dropDatabase(name);
  await server.release();
}
console.log(JSON.stringify({ bench: "flow", postgres: server.label, results }));
process.exit(0);
