import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchBrowser, newPage, pageErrors } from "../support/browser";
import { startDemo } from "../support/demo-process";
import { childEnv, isRunning } from "../support/processes";
import { freePort, scratchDataDir } from "../support/demo-env";

// The README's main command, end to end: `npm run demo` on a fresh embedded database seeds a small shop through
// the signed-webhook endpoint, serves the Polaris admin through the local shell, and keeps its data on restart.

const dataDir = scratchDataDir("demo");
const env: Record<string, string> = { CADENCE_DATA_DIR: dataDir.path, CADENCE_LOG_LEVEL: "warn" };
const SHOP = "e2e-demo.myshopify.com";
const SCREENSHOTS = path.resolve("test-results", "e2e");
let browser: Browser;

/** The PostgreSQL server running on a data folder's cluster, as the pid its postmaster.pid names, if alive. */
function embeddedServers(folder: string): number[] {
  const pidFile = path.join(folder, "postgres", "postmaster.pid");
  if (!existsSync(pidFile)) return [];
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  return isRunning(pid) ? [pid] : [];
}

beforeAll(async () => {
  env.PORT = String(await freePort());
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await dataDir.remove();
});

describe("npm run demo", () => {
  test("seeds the demo shop through webhooks and serves the admin and the storefront preview", async () => {
    const demo = startDemo(["--shop", SHOP, "--customers", "40"], env);
    try {
      const [, adminUrl] = await demo.waitFor(/Admin \(embedded pages, local shell\):\s+(\S+)/);
      const [, storefrontUrl] = await demo.waitFor(/Storefront preview:\s+(\S+)/);
      const [, orders, customers] = await demo.waitFor(/: (\d+) orders, (\d+) customers \(PostgreSQL\)/);
      expect(demo.output()).toMatch(/webhooks delivered in [\d.]+ s \(\d+\/s\); 0 not accepted/);
      expect(Number(orders)).toBeGreaterThan(40);
      expect(Number(customers)).toBeGreaterThan(20);

      const page = await newPage(browser);
      const errors = pageErrors(page);
      await page.goto(adminUrl!);
      // The terminal and the dashboard give the same order count: the one every figure counts.
      await page.getByText(/^Every figure here counts these/).waitFor();
      const figures = await page.locator("p").allTextContents();
      expect(figures).toContain(Number(orders).toLocaleString("en"));
      expect(figures).toContain(Number(customers).toLocaleString("en"));
      expect(new URL(page.url()).pathname).toBe("/app");
      await page.screenshot({ path: path.join(SCREENSHOTS, "demo-admin-overview.png"), fullPage: true });

      await page.goto(storefrontUrl!);
      await page.getByLabel("Shopper", { exact: true }).selectOption({ index: 1 });
      await page.getByRole("button", { name: "View as this shopper" }).click();
      await page.getByText(/net spend, last order/).waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, "demo-storefront-preview.png"), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      expect(await demo.stop()).toBe(0);
    }
  });

  test("keeps the data on restart without seeding again; the CLI works beside it, and stopping leaves no server", async () => {
    const demo = startDemo(["--shop", SHOP, "--customers", "40"], env);
    try {
      await demo.waitFor(/already holds its demo history/);
      const [, orders] = await demo.waitFor(/: (\d+) orders, \d+ customers/);
      expect(demo.output()).not.toMatch(/Replaying/);
      expect(embeddedServers(dataDir.path)).toHaveLength(1);

      // The README's CLI against the running demo's data, as an operator runs it (no NODE_ENV: production rules).
      const cliEnv: Record<string, string | undefined> = {
        ...process.env,
        CADENCE_DATA_DIR: dataDir.path,
        DATABASE_URL: "",
        CADENCE_LOG_LEVEL: "silent",
      };
      delete cliEnv.NODE_ENV;
      const exported = spawnSync(
        path.resolve("node_modules", ".bin", "tsx"),
        ["scripts/cadence.ts", "export", "customers", "--shop", SHOP, "--format", "json"],
        {
          encoding: "utf8",
          env: childEnv(cliEnv),
        },
      );
      expect(exported.stderr).toBe("");
      expect(exported.status).toBe(0);
      const rows = JSON.parse(exported.stdout) as Array<{ orders_count: number }>;
      expect(rows.reduce((sum, row) => sum + row.orders_count, 0)).toBeGreaterThan(0);
      expect(rows.reduce((sum, row) => sum + row.orders_count, 0)).toBeLessThanOrEqual(Number(orders));

      // The CLI detached without stopping the server the demo still uses.
      expect(embeddedServers(dataDir.path)).toHaveLength(1);
      const page = await newPage(browser);
      const [, adminUrl] = demo.output().match(/Admin \(embedded pages, local shell\):\s+(\S+)/)!;
      expect((await page.goto(adminUrl!))?.status()).toBe(200);
      await page.close();
    } finally {
      expect(await demo.stop()).toBe(0);
    }
    // The last process to detach stopped PostgreSQL.
    expect(embeddedServers(dataDir.path)).toEqual([]);
  });

  test("a data folder from the earlier PGlite engine is refused with what to do, and --reset clears it", async () => {
    const earlier = scratchDataDir("pglite");
    try {
      mkdirSync(path.join(earlier.path, "pglite", "base"), { recursive: true });
      const refused = startDemo(["--no-seed"], { ...env, CADENCE_DATA_DIR: earlier.path });
      expect(await refused.exited()).not.toBe(0);
      expect(refused.output()).toMatch(/holds a database from an earlier Cadence \(PGlite/);
      expect(refused.output()).toMatch(/npm run demo -- --reset/);

      const reset = startDemo(["--no-seed", "--reset"], { ...env, CADENCE_DATA_DIR: earlier.path });
      try {
        await reset.waitFor(/Removed the earlier PGlite database/);
        await reset.waitFor(/: 0 orders, 0 customers/);
      } finally {
        expect(await reset.stop()).toBe(0);
      }
      expect(existsSync(path.join(earlier.path, "pglite"))).toBe(false);
    } finally {
      await earlier.remove();
    }
  });

  test("--reset starts over and --no-seed leaves the shop empty", async () => {
    const demo = startDemo(["--shop", SHOP, "--reset", "--no-seed"], env);
    try {
      await demo.waitFor(/Reset: e2e-demo\.myshopify\.com starts over\./);
      await demo.waitFor(/: 0 orders, 0 customers/);
    } finally {
      await demo.stop();
    }
  });

  test("a bad option is refused with the usage and exit code 2", async () => {
    const demo = startDemo(["--customers", "lots"], env);
    await demo.waitFor(/--customers must be a whole number/);
    expect(demo.output()).toContain("Usage: npm run demo");
    expect(await demo.exited()).toBe(2);
  });

  test("refuses to start in production, where the local shell must never run", async () => {
    const demo = startDemo(["--no-seed"], { ...env, NODE_ENV: "production" });
    await demo.waitFor(
      /CADENCE_DEV_SHELL: the local dev shell bypasses Shopify's admin and cannot be enabled in production/,
    );
    expect(await demo.exited()).toBe(1);
    expect(demo.output()).not.toMatch(/Cadence is running/);
  });
});
