import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { database } from "~/db.server";
import { enqueue, JOBS } from "~/queue/queue.server";
import { dayFromIsoDate } from "~/profiles/days";
import { runFullPass } from "~/recompute/full-pass.server";
import { BENCH_AS_OF, BENCH_SHOP, loadBenchShop } from "../../bench/segment-data";
import { API_KEY, API_SECRET, appUnderTest } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { until } from "../support/processes";
import { send } from "../support/webhook-payloads";

// Issue 21: a shop/redact whose worker dies half-way leaves nothing behind once work resumes. The shop is the
// benchmark's generated one (bench/segment-data.ts), smaller: 3,000 customers, about 15,000 orders with their lines
// and refunds, and a full pass's profiles, listings, statuses, memberships and transitions. The job runs in a real
// worker process (`npm run worker`), killed with SIGKILL once batches have committed; a second worker picks the
// request up when pg-boss notices the first one's heartbeats stopped.

const CUSTOMERS = 3000;
const BATCH_ROWS = 100;
const ROOT = path.resolve(import.meta.dirname, "..", "..");
let app: AppUnderTest;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  app = await appUnderTest();
  await loadBenchShop(database().sql, CUSTOMERS);
  expect((await runFullPass(database(), BENCH_SHOP.id, { asOf: dayFromIsoDate(BENCH_AS_OF) })).status).toBe("done");
  await app.prisma.session.create({
    data: {
      id: `offline_${BENCH_SHOP.domain}`,
      shop: BENCH_SHOP.domain,
      state: "installed",
      accessToken: "shpat_test",
    },
  });
}, 240_000);

afterAll(async () => {
  for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill("SIGKILL");
});

function startWorker(batchRows: number): { child: ChildProcess; output: () => string; ready: Promise<void> } {
  const child = spawn(process.execPath, ["--import", "tsx", "server/worker.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "test",
      SHOPIFY_API_KEY: API_KEY,
      SHOPIFY_API_SECRET: API_SECRET,
      DATABASE_URL: process.env.DATABASE_URL,
      CADENCE_PRIVACY_BATCH_ROWS: String(batchRows),
      CADENCE_LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  workers.push(child);
  let text = "";
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString("utf8");
      if (text.includes("Cadence worker running")) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code, signal) =>
      reject(new Error(`the worker exited (${signal ?? code}) before it was ready:\n${text}`)),
    );
  });
  return { child, output: () => text, ready };
}

const request = () => app.prisma.privacyRequest.findFirst({ where: { shopId: BENCH_SHOP.id, kind: "shop-redact" } });

/** Rows of every application table that mention the shop, and pg-boss jobs that do (its ID is in a shop job's data). */
async function leftOfShop(): Promise<string[]> {
  const sql = database().sql;
  const { rows: tables } = await sql.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`,
  );
  const found: string[] = [];
  for (const { name } of tables) {
    const { rows } = await sql.query<{ row: string }>(
      `SELECT t::text AS row FROM "${name}" t WHERE t::text LIKE '%' || $1 || '%' OR t::text LIKE '%' || $2 || '%' LIMIT 5`,
      [BENCH_SHOP.id, BENCH_SHOP.domain],
    );
    found.push(...rows.map((row) => `${name}: ${row.row}`));
  }
  const { rows: jobs } = await sql.query<{ name: string }>(
    `SELECT name FROM pgboss.job WHERE data::text LIKE '%' || $1 || '%'`,
    [BENCH_SHOP.id],
  );
  return [...found, ...jobs.map((job) => `pgboss.job: ${job.name}`)];
}

describe("a shop/redact whose worker dies half-way", () => {
  test("leaves nothing of the shop once work resumes", { timeout: 300_000 }, async () => {
    const before = await app.prisma.order.count({ where: { shopId: BENCH_SHOP.id } });
    expect(before).toBeGreaterThan(CUSTOMERS * 4);
    expect(await app.prisma.segmentMembership.count({ where: { shopId: BENCH_SHOP.id } })).toBeGreaterThan(
      CUSTOMERS / 2,
    );
    // A job of the shop still queued: it goes with the shop.
    await enqueue(JOBS.fullPass, { shopId: BENCH_SHOP.id }, { singletonKey: BENCH_SHOP.id, startAfterSeconds: 3600 });

    expect(
      (
        await send(
          app,
          BENCH_SHOP.domain,
          "app/uninstalled",
          JSON.stringify({ id: 1, myshopify_domain: BENCH_SHOP.domain }),
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await send(
          app,
          BENCH_SHOP.domain,
          "shop/redact",
          JSON.stringify({ shop_id: 1, shop_domain: BENCH_SHOP.domain }),
        )
      ).status,
    ).toBe(200);
    const pending = await request();
    expect(pending?.finishedAt).toBeNull();

    const first = startWorker(BATCH_ROWS);
    await first.ready;
    await until(
      async () => Number((await request())?.rowsDeleted ?? 0) >= 20 * BATCH_ROWS,
      "the first worker's batches",
      120_000,
    );
    first.child.kill("SIGKILL");
    await new Promise((resolve) => first.child.once("exit", resolve));

    // Cut short: part of the shop deleted, the rest still there, the request still pending.
    const cut = await request();
    expect(cut?.finishedAt).toBeNull();
    expect(Number(cut?.rowsDeleted)).toBeGreaterThanOrEqual(20 * BATCH_ROWS);
    expect(await app.prisma.shop.count({ where: { id: BENCH_SHOP.id } })).toBe(1);
    expect((await leftOfShop()).length).toBeGreaterThan(0);

    // Small batches only where the kill must land part-way; the rest goes at the default size.
    const second = startWorker(5000);
    await second.ready;
    await until(
      async () => (await app.prisma.shop.count({ where: { id: BENCH_SHOP.id } })) === 0,
      `the second worker to finish the redaction:\n${second.output()}`,
      240_000,
    );
    second.child.kill("SIGTERM");
    await new Promise((resolve) => second.child.once("exit", resolve));

    expect(await leftOfShop()).toEqual([]);
    expect(await app.prisma.session.count({ where: { shop: BENCH_SHOP.domain } })).toBe(0);
    // Nothing else in the database was the shop's: every remaining table is empty.
    expect(await app.prisma.order.count()).toBe(0);
    expect(await app.prisma.customerProfile.count()).toBe(0);
  });
});
