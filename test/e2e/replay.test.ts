import { spawn, spawnSync } from "node:child_process";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generateHistory } from "../../scripts/demo/history";
import { orderNetMinor } from "../../scripts/demo/transactions-csv";
import { historyDeliveries } from "../../scripts/demo-runner/seed-history";
import { sendDelivery } from "../../scripts/replay/send-webhooks";
import type { Delivery, SendResult } from "../../scripts/replay/send-webhooks";
import { freePort } from "../support/demo-env";
import { databaseUrl, recreateDatabase, withAdminClient } from "../support/postgres";
import { childProcesses, isRunning, until } from "../support/processes";

// Shopify delivers at least once, out of order, and retries what was not acknowledged. This sends a generated
// shop's history as signed webhooks to the real server (a child process on PostgreSQL) with 10% duplicate
// deliveries, shuffled; kills the server with SIGKILL in the middle of the burst; restarts it; re-sends every
// delivery that did not get a 200 (what Shopify would retry); and checks `export customers` against the totals
// computed directly from the generator.

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const SHOP = "replay-test.myshopify.com";
const CUSTOMERS = 550;
const END = new Date("2026-03-01T00:00:00Z");
const DATABASE = "cadence_test_replay";
const SECRET = "replay-test-secret";
let env: Record<string, string>;

/** `npm run demo -- --no-seed` as a plain node process (no npm or tsx parent), so SIGKILL hits the server itself. */
function startServer(): { child: ChildProcessWithoutNullStreams; ready: Promise<void>; output: () => string } {
  const child = spawn(
    path.join(ROOT, "node_modules", ".bin", "node"),
    ["--import", "tsx", "scripts/demo.ts", "--no-seed", "--shop", SHOP],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
    },
  );
  let text = "";
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString("utf8");
      if (text.includes("Press Ctrl+C to stop")) resolve();
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`the server exited (${code}) before it was ready:\n${text}`)));
  });
  return { child, ready, output: () => text };
}

function exited(child: ChildProcessWithoutNullStreams): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Deterministic shuffle (a fixed LCG), so a failure can be replayed exactly. */
function shuffled<T>(items: T[], seed: number): T[] {
  const result = [...items];
  let state = seed;
  for (let i = result.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}

async function sendAll(
  baseUrl: string,
  deliveries: Delivery[],
  options: { concurrency: number; stopAfter?: number; onStop?: () => void },
): Promise<SendResult[]> {
  const results: SendResult[] = [];
  let next = 0;
  let answered = 0;
  const lane = async () => {
    while (next < deliveries.length) {
      const delivery = deliveries[next++]!;
      const result = await sendDelivery(baseUrl, SECRET, delivery);
      results.push(result);
      if (result.status === 200) answered += 1;
      if (options.stopAfter !== undefined && answered === options.stopAfter) options.onStop?.();
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  return results;
}

beforeAll(async () => {
  await withAdminClient((client) => recreateDatabase(client, DATABASE));
  env = {
    DATABASE_URL: databaseUrl(DATABASE),
    PORT: String(await freePort()),
    SHOPIFY_API_SECRET: SECRET,
    CADENCE_LOG_LEVEL: "error",
  };
});
afterAll(async () => {
  await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`));
});

describe("replaying a shop's history through a crash", () => {
  test(
    "duplicates, shuffling and a SIGKILL mid-burst end with exactly the generator's per-customer totals",
    { timeout: 600_000 },
    async () => {
      const history = [...historyDeliveries(SHOP, CUSTOMERS, END)];
      const duplicates = history.filter((_, index) => index % 10 === 3); // 10% delivered twice, same webhook ID
      const deliveries = shuffled([...history, ...duplicates], 20261123);
      expect(history.length).toBeGreaterThan(2000);

      const baseUrl = `http://127.0.0.1:${env.PORT}`;
      const first = startServer();
      await first.ready;
      // On PostgreSQL the server's job workers run in a child process (server/worker-process.ts)…
      const workers = childProcesses(first.child.pid!).filter((child) =>
        child.commandLine.includes("server/worker.ts"),
      );
      expect(workers).toHaveLength(1);
      const killAt = Math.floor(deliveries.length * 0.4);
      const burst = await sendAll(baseUrl, deliveries, {
        concurrency: 8,
        stopAfter: killAt,
        onStop: () => first.child.kill("SIGKILL"),
      });
      await exited(first.child);
      expect(first.child.signalCode).toBe("SIGKILL");
      // …which does not outlive it, however it died.
      await until(() => !isRunning(workers[0]!.pid), "the killed server's worker process to exit");
      // Everything the server answered before it died was a 200; the rest got no answer at all.
      expect(new Set(burst.filter((r) => r.status !== 0).map((r) => r.status))).toEqual(new Set([200]));
      const acknowledged = new Set(burst.filter((r) => r.status === 200).map((r) => r.delivery));
      expect(burst.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(killAt);
      expect(acknowledged.size).toBeLessThan(deliveries.length);

      const second = startServer();
      await second.ready;
      try {
        // Shopify retries every delivery it has no 200 for, including the ones it never got to send.
        const retries = deliveries.filter((delivery) => !acknowledged.has(delivery));
        const retried = await sendAll(baseUrl, retries, { concurrency: 8 });
        expect(
          retried.filter((r) => r.status !== 200).map((r) => `${r.delivery.topic} ${r.status} ${r.error ?? ""}`),
        ).toEqual([]);
      } finally {
        second.child.kill("SIGINT");
        await exited(second.child);
      }

      const exported = spawnSync(
        path.join(ROOT, "node_modules", ".bin", "tsx"),
        ["scripts/cadence.ts", "export", "customers", "--shop", SHOP, "--format", "json"],
        {
          cwd: ROOT,
          env: { ...process.env, ...env },
          encoding: "utf8",
          maxBuffer: 1 << 26,
        },
      );
      expect(exported.status, exported.stderr).toBe(0);
      const rows = JSON.parse(exported.stdout) as Array<{
        customer_id: string;
        orders_count: number;
        net_spend: string;
      }>;

      // The truth, straight from the generator: purchases are orders of a customer that are not test orders and
      // not cancelled; net is merchandise after discounts less refunded merchandise (docs/data.md).
      const expected = new Map<string, { orders: number; netMinor: number }>();
      const generated = generateHistory({ customers: CUSTOMERS, end: END });
      for (const customer of generated.customers) expected.set(customer.id, { orders: 0, netMinor: 0 });
      for (const order of generated.orders) {
        if (!order.customer || order.test || order.cancellation) continue;
        const totals = expected.get(order.customer.id)!;
        totals.orders += 1;
        totals.netMinor += orderNetMinor(order, "merchandise");
      }
      const actual = new Map(
        rows.map((row) => [
          row.customer_id,
          { orders: row.orders_count, netMinor: Math.round(Number(row.net_spend) * 100) },
        ]),
      );
      expect(actual.size).toBe(expected.size);
      const mismatches = [...expected].filter(
        ([id, totals]) => JSON.stringify(actual.get(id)) !== JSON.stringify(totals),
      );
      expect(mismatches.slice(0, 5)).toEqual([]);
      expect([...actual.values()].reduce((sum, t) => sum + t.orders, 0)).toBeGreaterThan(2000);
    },
  );
});
