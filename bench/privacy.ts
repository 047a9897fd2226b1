// bench/privacy: privacy and lifecycle webhooks on the largest shops (issue 21). Loads the generated 200,000-customer
// shop (bench/segment-data.ts: about 1.05 million orders, with their lines and refunds) plus one customer with
// thousands of orders, runs a full pass (profiles, listings, statuses, memberships, transitions, tier history), then
// starts the production server (server/serve.ts: its own process, with its worker process) on PostgreSQL and sends
// it signed deliveries, as Shopify would:
//   customers/data_request and customers/redact for regular customers and for the heavy one, app/uninstalled, then
//   shop/redact.
// For each it prints the answer time (Shopify allows 5 s; the goal is < 500 ms) and the completion time: until the
// privacy job has finished (the export stored, every row gone). Target (issue 21): answers < 500 ms at 200k customers.
//   npm run bench:privacy [-- --customers 200000 --heavy-orders 5000 --samples 5 --skip-pass]
// PostgreSQL: bench/postgres.ts (CADENCE_BENCH_POSTGRES_URL, or the embedded PostgreSQL from npm); the bench creates
// and drops its own database. Last line: one JSON object.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import { createServer } from "node:net";
import path from "node:path";
import pg from "pg";
import { benchServer } from "./postgres.ts";
import { BENCH_SHOP, loadBenchShop } from "./segment-data.ts";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 1) {
  const name = process.argv[i]!.replace(/^--/, "");
  if (name === "skip-pass") args.set(name, "1");
  else args.set(name, process.argv[++i] ?? "");
}
const customers = Number(args.get("customers") ?? 200_000);
const heavyOrders = Number(args.get("heavy-orders") ?? 5000);
const samples = Number(args.get("samples") ?? 5);
const fullPass = !args.has("skip-pass");

const ROOT = path.resolve(import.meta.dirname, "..");
const DATABASE = "cadence_bench_privacy";
const postgres = await benchServer();
const DATABASE_URL = await postgres.freshDatabase(DATABASE);
const SECRET = "cadence-bench-privacy-secret";
/** The customer with thousands of orders (outside the generator's ID range). */
const HEAVY = "7999999999999";
/** A small installed shop that warms the server up (code, connections) before anything is measured. */
const WARM_SHOP = "bench-warm.myshopify.com";

const seconds = (since: number) => (performance.now() - since) / 1000;

/** The generated shop, the heavy customer's orders, a full pass, installed (offline session), and the warm-up shop. */
async function prepare(): Promise<{ loadSeconds: number; passSeconds: number | null }> {
  // The loading is this script's own work, as the demo would do it (development: no production secrets needed here).
  Object.assign(process.env, { NODE_ENV: "development", DATABASE_URL: DATABASE_URL, CADENCE_LOG_LEVEL: "warn" });
  const { database, closeDatabase, migrateDatabase } = await import("../app/db.server.ts");
  const { runFullPass } = await import("../app/recompute/full-pass.server.ts");
  const { dayFromIsoDate } = await import("../app/profiles/days.ts");
  const { BENCH_AS_OF } = await import("./segment-data.ts");
  await migrateDatabase();
  const sql = database().sql;
  const loadStarted = performance.now();
  await loadBenchShop(sql, customers);
  // One customer with thousands of orders over three years, each with a line and every tenth partly refunded.
  await sql.query(`INSERT INTO "Customer" ("shopId", "shopifyId", "updatedAt") VALUES ($1, $2, now())`, [
    BENCH_SHOP.id,
    HEAVY,
  ]);
  await sql.query(
    `INSERT INTO "Order" ("shopId", "shopifyId", "customerShopifyId", "processedAt", "shopifyCreatedAt", "sourceUpdatedAt", currency,
                          "subtotalMinor", "shippingMinor", "taxMinor", "discountMinor", "totalMinor", "refundedMinor", "netMinor", "updatedAt")
     SELECT $1, (8999000000000 + g)::text, $2, at, at, at, 'GBP', 2500, 0, 0, 0, 2500, CASE WHEN g % 10 = 0 THEN 500 ELSE 0 END,
            CASE WHEN g % 10 = 0 THEN 2000 ELSE 2500 END, now()
       FROM generate_series(1, $3::int) g, LATERAL (SELECT timestamp '2023-03-01' + (g * interval '1095 days') / $3::int AS at) t`,
    [BENCH_SHOP.id, HEAVY, heavyOrders],
  );
  await sql.query(
    `INSERT INTO "OrderLine" ("shopId", "orderId", "shopifyId", "productType", quantity, "amountMinor")
     SELECT "shopId", id, 'l' || "shopifyId", 'Coffee Beans', 1, "subtotalMinor" FROM "Order" WHERE "shopId" = $1 AND "customerShopifyId" = $2`,
    [BENCH_SHOP.id, HEAVY],
  );
  await sql.query(
    `INSERT INTO "Refund" ("shopId", "orderId", "orderShopifyId", "shopifyId", "processedAt", "merchandiseMinor", "totalMinor")
     SELECT "shopId", id, "shopifyId", 'r' || "shopifyId", "processedAt" + interval '7 days', "refundedMinor", "refundedMinor"
       FROM "Order" WHERE "shopId" = $1 AND "customerShopifyId" = $2 AND "refundedMinor" > 0`,
    [BENCH_SHOP.id, HEAVY],
  );
  await sql.query(
    `UPDATE "Order" SET "lineAmountsByType" = jsonb_build_object('Coffee Beans', "subtotalMinor") WHERE "shopId" = $1 AND "customerShopifyId" = $2`,
    [BENCH_SHOP.id, HEAVY],
  );
  const loadSeconds = seconds(loadStarted);
  let passSeconds: number | null = null;
  if (fullPass) {
    const passStarted = performance.now();
    const result = await runFullPass(database(), BENCH_SHOP.id, { asOf: dayFromIsoDate(BENCH_AS_OF) });
    if (result.status !== "done") throw new Error(`the full pass did not run: ${result.reason}`);
    passSeconds = seconds(passStarted);
  }
  const prisma = database().prisma;
  for (const domain of [BENCH_SHOP.domain, WARM_SHOP]) {
    if (domain === WARM_SHOP) await prisma.shop.create({ data: { domain, currencyCode: "GBP" } });
    await prisma.session.create({
      data: { id: `offline_${domain}`, shop: domain, state: "bench", isOnline: false, accessToken: "bench" },
    });
  }
  // Data that has sat in the database a while (see loadBenchShop): the pass's writes vacuumed and checkpointed.
  await sql.query(`VACUUM ANALYZE`);
  await sql.query(`CHECKPOINT`);
  await closeDatabase();
  return { loadSeconds, passSeconds };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `npm start`, as deployed: production settings, PostgreSQL, its own worker process. */
async function startServer(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/serve.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: DATABASE_URL,
      SHOPIFY_API_KEY: "cadence-bench-privacy",
      SHOPIFY_API_SECRET: SECRET,
      SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
      CADENCE_TOKEN_KEY: randomBytes(32).toString("base64"),
      CADENCE_LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("Cadence listening")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the server exited with ${code}`)));
  });
  return child;
}

interface Answer {
  status: number;
  ms: number;
}

function deliver(port: number, shop: string, topic: string, payload: unknown): Promise<Answer> {
  const body = JSON.stringify(payload);
  const headers = {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
    "X-Shopify-Topic": topic,
    "X-Shopify-Shop-Domain": shop,
    "X-Shopify-API-Version": "2026-04",
    "X-Shopify-Webhook-Id": randomUUID(),
    "X-Shopify-Event-Id": randomUUID(),
    "X-Shopify-Triggered-At": new Date().toISOString(),
    "X-Shopify-Hmac-Sha256": createHmac("sha256", SECRET).update(body, "utf8").digest("base64"),
  };
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = httpRequest({ host: "127.0.0.1", port, path: "/webhooks", method: "POST", headers }, (response) => {
      response.resume();
      response.once("end", () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - started }));
    });
    request.once("error", reject);
    request.end(body);
  });
}

async function until(client: pg.Client, query: string, params: unknown[], timeoutSeconds = 1800): Promise<number> {
  const started = performance.now();
  for (;;) {
    const { rows } = await client.query<{ done: boolean }>(query, params);
    if (rows[0]?.done) return seconds(started);
    if (seconds(started) > timeoutSeconds) throw new Error(`not done within ${timeoutSeconds} s: ${query}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Rows of every table with a shopId column that belong to the shop. */
async function shopRows(client: pg.Client, shopId: string): Promise<number> {
  const { rows: tables } = await client.query<{ name: string }>(
    `SELECT c.table_name AS name FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
      WHERE c.table_schema = 'public' AND c.column_name = 'shopId' AND t.table_type = 'BASE TABLE'`,
  );
  let total = 0;
  for (const { name } of tables)
    total += Number(
      (await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${name}" WHERE "shopId" = $1`, [shopId])).rows[0]
        ?.n,
    );
  return total;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2
    ? sorted[(sorted.length - 1) / 2]!
    : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
};
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

interface Measured {
  what: string;
  answerMs: number;
  status: number;
  completionSeconds: number | null;
}

const prepared = await prepare();
console.log(
  `loaded ${customers.toLocaleString("en")} customers and one with ${heavyOrders.toLocaleString(
    "en",
  )} orders in ${round(prepared.loadSeconds)} s` +
    (prepared.passSeconds === null ? "" : `; full pass ${round(prepared.passSeconds)} s`),
);
const client = new pg.Client({ connectionString: DATABASE_URL });
await client.connect();
const port = await freePort();
const server = await startServer(port);
const measured: Measured[] = [];
const requestDone = (kind: string) =>
  `SELECT NOT EXISTS (SELECT 1 FROM "PrivacyRequest" WHERE "shopId" = $1 AND kind = '${kind}' AND "finishedAt" IS NULL) AS done`;
try {
  const shop = BENCH_SHOP.domain;
  const rowsBefore = await shopRows(client, BENCH_SHOP.id);
  const ordersBefore = Number(
    (await client.query<{ n: string }>(`SELECT count(*) AS n FROM "Order" WHERE "shopId" = $1`, [BENCH_SHOP.id]))
      .rows[0]?.n,
  );

  // Warm-up, not measured: each topic once on the small shop (code loaded, connections open, plans cached).
  for (const topic of ["customers/data_request", "customers/redact"]) {
    await deliver(port, WARM_SHOP, topic, {
      shop_domain: WARM_SHOP,
      customer: { id: 1 },
      orders_requested: [],
      orders_to_redact: [],
      data_request: { id: 1 },
    });
  }
  await deliver(port, WARM_SHOP, "app/uninstalled", { id: 1, myshopify_domain: WARM_SHOP });
  await deliver(port, WARM_SHOP, "shop/redact", { shop_domain: WARM_SHOP });

  const measure = async (
    what: string,
    topic: string,
    payload: unknown,
    done: { query: string; params: unknown[] } | null,
  ) => {
    const answer = await deliver(port, shop, topic, payload);
    if (answer.status !== 200) throw new Error(`${what}: answered ${answer.status}`);
    // Completion counts from the request's arrival: the answer's time is part of it.
    const completionSeconds = done ? answer.ms / 1000 + (await until(client, done.query, done.params)) : null;
    measured.push({
      what,
      answerMs: round(answer.ms, 2),
      status: answer.status,
      completionSeconds: completionSeconds === null ? null : round(completionSeconds, 2),
    });
    console.log(
      `${what.padEnd(44)} answered ${answer.status} in ${answer.ms.toFixed(1)} ms${
        completionSeconds === null ? "" : `, done after ${completionSeconds.toFixed(2)} s`
      }`,
    );
  };

  const regular = (i: number) => String(7000000000000 + 1 + i * Math.floor(customers / (samples + 1)));
  for (let i = 0; i < samples; i += 1) {
    const customer = regular(i);
    await measure(
      `customers/data_request (customer ${i + 1})`,
      "customers/data_request",
      { shop_domain: shop, customer: { id: Number(customer) }, orders_requested: [], data_request: { id: 100 + i } },
      {
        query: requestDone("data-request"),
        params: [BENCH_SHOP.id],
      },
    );
    await measure(
      `customers/redact (customer ${i + 1})`,
      "customers/redact",
      { shop_domain: shop, customer: { id: Number(customer) }, orders_to_redact: [] },
      {
        query: requestDone("customer-redact"),
        params: [BENCH_SHOP.id],
      },
    );
  }
  await measure(
    `customers/data_request (${heavyOrders.toLocaleString("en")} orders)`,
    "customers/data_request",
    { shop_domain: shop, customer: { id: Number(HEAVY) }, data_request: { id: 1 } },
    {
      query: requestDone("data-request"),
      params: [BENCH_SHOP.id],
    },
  );
  const exported = (
    await client.query<{ n: number }>(
      `SELECT jsonb_array_length(data->'orders') AS n FROM "DataRequestExport" WHERE "shopId" = $1 AND "requestId" = '1'`,
      [BENCH_SHOP.id],
    )
  ).rows[0]?.n;
  if (exported !== heavyOrders)
    throw new Error(`the heavy customer's export holds ${exported} orders, not ${heavyOrders}`);
  await measure(
    `customers/redact (${heavyOrders.toLocaleString("en")} orders)`,
    "customers/redact",
    { shop_domain: shop, customer: { id: Number(HEAVY) }, orders_to_redact: [] },
    {
      query: requestDone("customer-redact"),
      params: [BENCH_SHOP.id],
    },
  );
  const heavyLeft = Number(
    (
      await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM "Order" WHERE "shopId" = $1 AND "customerShopifyId" = $2`,
        [BENCH_SHOP.id, HEAVY],
      )
    ).rows[0]?.n,
  );
  if (heavyLeft !== 0) throw new Error(`${heavyLeft} orders of the heavy customer left`);

  await measure("app/uninstalled", "app/uninstalled", { id: 1, myshopify_domain: shop }, null);
  const rowsAtRedact = await shopRows(client, BENCH_SHOP.id);
  await measure(
    `shop/redact (${rowsAtRedact.toLocaleString("en")} rows)`,
    "shop/redact",
    { shop_id: 1, shop_domain: shop },
    {
      query: `SELECT NOT EXISTS (SELECT 1 FROM "Shop" WHERE id = $1) AS done`,
      params: [BENCH_SHOP.id],
    },
  );
  const left = await shopRows(client, BENCH_SHOP.id);
  console.log(
    `after shop/redact: ${left} rows of the shop left in any table (${rowsAtRedact.toLocaleString("en")} before)`,
  );

  const answers = (prefix: string) => measured.filter((m) => m.what.startsWith(prefix) && m.what.includes("(customer"));
  const shopRedact = measured.find((m) => m.what.startsWith("shop/redact"))!;
  const slowest = Math.max(...measured.map((m) => m.answerMs));
  console.log(
    JSON.stringify({
      bench: "privacy",
      database: postgres.label,
      node: process.version,
      customers,
      orders: ordersBefore,
      shopRowsBefore: rowsBefore,
      heavyCustomerOrders: heavyOrders,
      fullPass,
      loadSeconds: round(prepared.loadSeconds),
      passSeconds: prepared.passSeconds === null ? null : round(prepared.passSeconds),
      target: { answerMs: 500 },
      measured,
      medians: {
        dataRequestAnswerMs: round(median(answers("customers/data_request").map((m) => m.answerMs)), 2),
        dataRequestSeconds: round(median(answers("customers/data_request").map((m) => m.completionSeconds ?? 0)), 2),
        customerRedactAnswerMs: round(median(answers("customers/redact").map((m) => m.answerMs)), 2),
        customerRedactSeconds: round(median(answers("customers/redact").map((m) => m.completionSeconds ?? 0)), 2),
      },
      shopRedact: {
        rows: rowsAtRedact,
        answerMs: shopRedact.answerMs,
        seconds: shopRedact.completionSeconds,
        rowsLeft: left,
      },
      slowestAnswerMs: slowest,
      meetsTarget: slowest < 500 && left === 0,
    }),
  );
} finally {
  await new Promise<void>((resolve) => {
    server.once("exit", () => resolve());
    server.kill("SIGTERM");
  });
  await client.end();
  await postgres.dropDatabase(DATABASE);
  await postgres.release();
}
