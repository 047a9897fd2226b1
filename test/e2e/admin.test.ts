import { openAdminPage } from "../support/admin-pages";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { seriousAccessibilityViolations } from "../support/axe";
import { launchBrowser, newPage, pageErrors } from "../support/browser";
import { freePort, scratchDataDir } from "../support/demo-env";
import { startDemo } from "../support/demo-process";
import type { DemoProcess } from "../support/demo-process";

// Every admin page of the demo shop in Chromium, through the local shell that plays App Bridge: each renders its
// title without errors, passes axe with no serious or critical violation, and is saved as a screenshot. The
// forms are used as a merchant would: a bad value shows its error, a preview updates, a save shows a toast.
// The offer pages have their own walk, test/e2e/admin-offers.test.ts.

const dataDir = scratchDataDir("admin");
const SHOP = "e2e-admin.myshopify.com";
const SCREENSHOTS = path.resolve("test-results", "e2e", "admin");
let browser: Browser;
let demo: DemoProcess;
let shellUrl: string;

beforeAll(async () => {
  const env = { CADENCE_DATA_DIR: dataDir.path, CADENCE_LOG_LEVEL: "warn", PORT: String(await freePort()) };
  browser = await launchBrowser();
  demo = startDemo(["--shop", SHOP, "--customers", "40"], env);
  [, shellUrl] = (await demo.waitFor(/Admin \(embedded pages, local shell\):\s+(\S+)/)) as [string, string];
  await demo.waitFor(/: \d+ orders, \d+ customers/);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (demo) expect(await demo.stop()).toBe(0);
  await dataDir.remove();
});

const open = (page: Page, adminPath: string, title: string | RegExp) => openAdminPage(page, shellUrl, adminPath, title);

async function check(page: Page, name: string, errors: string[]): Promise<void> {
  expect(await seriousAccessibilityViolations(page), name).toEqual([]);
  // caret "initial": Playwright's caret-hiding style would otherwise land on inputs React may still be hydrating.
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true, caret: "initial" });
  expect(errors, name).toEqual([]);
}

describe("admin pages in Chromium", () => {
  test("dashboard, segments, a segment's members, a customer, sync and the offers list render accessibly", async () => {
    const page = await newPage(browser);
    const errors = pageErrors(page);
    await open(page, "/app", "Dashboard");
    await page.getByText("Repeat-purchase rate").waitFor();
    // The demo's full pass ran a backtest on its three-year history: the track record in words.
    await page.getByRole("heading", { name: "How right were the predictions?" }).waitFor();
    await page.getByText(/Over the last 90 days Cadence expected [\d,]+ repeat orders?; [\d,]+ came\./).waitFor();
    await page.locator('[aria-hidden="true"] svg').first().waitFor();
    await check(page, "dashboard", errors);

    await open(page, "/app/segments", "Segments");
    await check(page, "segments", errors);
    await page.getByRole("link", { name: "Active (lifecycle stage)", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Active (lifecycle stage)" }).waitFor();
    await page.getByRole("link", { name: /Sort by Net spend/ }).waitFor();
    await check(page, "segment-members", errors);

    // Keyboard: the search field is reachable with Tab and submits with Enter.
    const first = await page.locator("tbody tr a").first().textContent();
    await page.getByLabel("Search by customer ID").focus();
    await page.keyboard.type(first ?? "");
    await page.keyboard.press("Enter");
    await page.waitForURL(/search=/);
    await expect.poll(() => page.locator("tbody tr").count()).toBeGreaterThan(0);

    await page.locator("tbody tr a").first().click();
    await page.getByRole("heading", { level: 1, name: /Customer \d+/ }).waitFor();
    await page.getByText("Labels and why").waitFor();
    await page.getByText(/Over the last 90 days Cadence expected [\d,]+ repeat orders?; [\d,]+ came\./).waitFor();
    await check(page, "customer", errors);

    await open(page, "/app/sync", "Sync status");
    await check(page, "sync", errors);
    // The offer pages' own walk (create, edit, results) is test/e2e/admin-offers.test.ts.
    await open(page, "/app/offers", "Offers");
    await check(page, "offers", errors);
    await page.close();
  });

  test("the tiers editor previews a change and saves it with a toast", async () => {
    const page = await newPage(browser);
    const errors = pageErrors(page);
    await open(page, "/app/loyalty", "Loyalty tiers");
    await check(page, "loyalty", errors);
    const spend = page.getByLabel(/Enter at spend/).last();
    await spend.fill("999999");
    await page.getByText(/^On \d+ \w+ \d{4}, .* keeps? their tier \(of \d+\)\.$/).waitFor();
    await page.getByRole("region", { name: "Unsaved changes" }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, "loyalty-preview.png"), fullPage: true, caret: "initial" });
    await page.getByRole("button", { name: "Save program" }).click();
    await page.getByRole("status").filter({ hasText: "Loyalty program saved" }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  test("the segment builder counts as it is edited and warns about tiny segments", async () => {
    const page = await newPage(browser);
    const errors = pageErrors(page);
    await open(page, "/app/segments/new", "New segment");
    await page.getByText(/of \d+ customers/).waitFor();
    await page.getByLabel("Value").first().fill("1000");
    await page.getByText(/^0 of \d+ customers/).waitFor();
    await page
      .getByText(/no customer|matches no/i)
      .first()
      .waitFor();
    await check(page, "segment-builder", errors);
    await page.close();
  });

  test("settings refuse a bad value with its error and save nothing", async () => {
    const page = await newPage(browser);
    const errors = pageErrors(page);
    await open(page, "/app/settings", "Settings");
    await check(page, "settings", errors);
    await page.getByLabel("Attribution window").fill("0");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Enter a whole number from 1 to 365").waitFor();
    await page.getByText("Nothing was saved").waitFor();
    // The refused save answers 400, which the page shows; it is not an error of the page.
    expect(errors.filter((error) => !/HTTP 400: .*\/app\/settings/.test(error))).toEqual([]);
    await page.close();
  });
});
