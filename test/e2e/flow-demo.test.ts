import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { seriousAccessibilityViolations } from "../support/axe";
import { launchBrowser, newPage, pageErrors } from "../support/browser";
import { startDemo } from "../support/demo-process";
import { freePort, scratchDataDir } from "../support/demo-env";
import { until } from "../support/processes";
import { demoCli } from "../support/cadence-cli";

// Shopify Flow in the demo, with no Shopify: the "Set loyalty tier" action invoked from the CLI with a locally signed
// request (as Flow would send it) sets the customer's tier; the background worker records the "Customer tier
// changed" trigger it would send in the Flow activity, which the admin's Shopify Flow page and the CLI both show.

const dataDir = scratchDataDir("flow");
const SHOP = "e2e-flow.myshopify.com";
const SCREENSHOTS = path.resolve("test-results", "e2e");
const env: Record<string, string> = { CADENCE_DATA_DIR: dataDir.path, CADENCE_LOG_LEVEL: "warn" };
let browser: Browser;

const cadence = (...args: string[]) => demoCli({ CADENCE_DATA_DIR: dataDir.path }, ...args);

beforeAll(async () => {
  env.PORT = String(await freePort());
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await dataDir.remove();
});

test(
  "the Set loyalty tier action from the CLI, and the trigger it causes in the Flow activity",
  { timeout: 600_000 },
  async () => {
    const demo = startDemo(["--shop", SHOP, "--customers", "40"], env);
    try {
      const [, adminUrl] = await demo.waitFor(/Admin \(embedded pages, local shell\):\s+(\S+)/);
      await demo.waitFor(/: \d+ orders, \d+ customers \(PostgreSQL\)/, 300_000);
      const base = new URL(adminUrl!).origin;

      const exported = cadence("export", "customers", "--shop", SHOP, "--format", "json");
      expect(exported.status, exported.stderr).toBe(0);
      const customers = JSON.parse(exported.stdout) as Array<Record<string, unknown>>;
      const customer = customers.find((row) => row.tier !== "Gold" && row.tier) ?? customers[0]!;
      const customerId = String(customer.customerId ?? customer.customer_id ?? customer.id);
      expect(customerId).toMatch(/^\d+$/);

      const refused = cadence(
        "flow",
        "invoke-set-tier",
        "--shop",
        SHOP,
        "--customer",
        customerId,
        "--tier",
        "Platinum",
        "--url",
        base,
      );
      expect(refused.status).toBe(1);
      expect(refused.stdout).toMatch(/^422 \{"error1":"There is no tier \\"Platinum\\"/);

      const lastDay = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
      const applied = cadence(
        "flow",
        "invoke-set-tier",
        "--shop",
        SHOP,
        "--customer",
        customerId,
        "--tier",
        "Gold",
        "--until",
        lastDay,
        "--reason",
        "Demo VIP",
        "--url",
        base,
      );
      expect(applied.stdout.trim()).toBe("200 {}");
      expect(applied.status).toBe(0);

      // The worker's minute job records the trigger (the demo shop has no Shopify to send it to).
      let activity: {
        recent: Array<{ trigger: string; customerId: string; stateLabel: string; description: string }>;
      } = { recent: [] };
      await until(
        async () => {
          const listed = cadence("flow", "activity", "--shop", SHOP, "--format", "json");
          activity = JSON.parse(listed.stdout || '{"recent":[]}');
          return activity.recent.some(
            (row) => row.customerId === customerId && row.stateLabel === "Recorded (no Shopify store)",
          );
        },
        "the worker to record the trigger",
        180_000,
      );
      const recorded = activity.recent.find((row) => row.customerId === customerId)!;
      expect(recorded).toMatchObject({
        trigger: "Customer tier changed",
        description: expect.stringMatching(/→ Gold \(set by Shopify Flow\)$/),
      });

      const page = await newPage(browser);
      const errors = pageErrors(page);
      await page.goto(`${base}/dev/shell?shop=${encodeURIComponent(SHOP)}&path=/app/flow`);
      await page.getByText("This demo shop has no Shopify store").waitFor();
      await page
        .getByText(/→ Gold \(set by Shopify Flow\)/)
        .first()
        .waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, "demo-flow-activity.png"), fullPage: true });
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.goto(`${base}/dev/shell?shop=${encodeURIComponent(SHOP)}&path=/app/customers/${customerId}`);
      await page.getByText("set by Shopify Flow: Demo VIP").waitFor();
      expect(errors).toEqual([]);
      await page.close();

      const text = cadence("flow", "activity", "--shop", SHOP);
      expect(text.stdout).toMatch(/Sending since /);
      expect(text.stdout).toMatch(/Customer tier changed\s+\d+\s+Recorded \(no Shopify store\)/);
    } finally {
      expect(await demo.stop()).toBe(0);
    }
  },
);
