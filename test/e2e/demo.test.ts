import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchBrowser, newPage, pageErrors } from "../support/browser";
import { startDemo } from "../support/demo-process";

// The README's main command, end to end: `npm run demo` on a fresh embedded database seeds a small shop through
// the signed-webhook endpoint, serves the Polaris admin through the local shell, and keeps its data on restart.

const dataDir = mkdtempSync(path.join(tmpdir(), "cadence-e2e-demo-"));
const env: Record<string, string> = { CADENCE_DATA_DIR: dataDir, CADENCE_LOG_LEVEL: "warn" };
const SHOP = "e2e-demo.myshopify.com";
const SCREENSHOTS = path.resolve("test-results", "e2e");
let browser: Browser;

/** A port nothing listens on now, so parallel runs on one machine do not collide. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  env.PORT = String(await freePort());
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm run demo", () => {
  test("seeds the demo shop through webhooks and serves the admin and the storefront preview", async () => {
    const demo = startDemo(["--shop", SHOP, "--customers", "40"], env);
    try {
      const [, adminUrl] = await demo.waitFor(/Admin \(embedded pages, local shell\):\s+(\S+)/);
      const [, storefrontUrl] = await demo.waitFor(/Storefront preview:\s+(\S+)/);
      const [, orders, customers] = await demo.waitFor(/: (\d+) orders, (\d+) customers \(pglite\)/);
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

  test("keeps the data on restart without seeding again", async () => {
    const demo = startDemo(["--shop", SHOP, "--customers", "40"], env);
    try {
      await demo.waitFor(/already holds its demo history/);
      await demo.waitFor(/: \d+ orders, \d+ customers/);
      expect(demo.output()).not.toMatch(/Replaying/);
    } finally {
      await demo.stop();
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
    await demo.waitFor(/CADENCE_DEV_SHELL: the local dev shell bypasses Shopify's admin and cannot be enabled in production/);
    expect(await demo.exited()).toBe(1);
    expect(demo.output()).not.toMatch(/Cadence is running/);
  });
});
