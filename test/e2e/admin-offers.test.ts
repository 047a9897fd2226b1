import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { launchBrowser, newPage, pageErrors } from "../support/browser";
import { freePort, scratchDataDir } from "../support/demo-env";
import { startDemo } from "../support/demo-process";
import type { DemoProcess } from "../support/demo-process";

// The Offers pages in Chromium on the demo shop: the list, creating an offer (a bad submit first), editing it
// through the save bar, pausing it, and a seeded offer's results; axe-core on every page.

const dataDir = scratchDataDir("offers");
const env: Record<string, string> = { CADENCE_DATA_DIR: dataDir.path, CADENCE_LOG_LEVEL: "warn" };
const SHOP = "e2e-offers.myshopify.com";
const SCREENSHOTS = path.resolve("test-results", "e2e");
const AXE = path.join(path.dirname(createRequire(import.meta.url).resolve("axe-core")), "axe.min.js");
let browser: Browser;
let demo: DemoProcess;
let shellUrl: URL;

/** Serious and critical axe-core violations on the page as it is now, one line each. */
async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: () => Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }>;
        };
      }
    ).axe;
    return (await axe.run()).violations;
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

async function open(page: Page, adminPath: string, shop = SHOP) {
  const url = new URL(shellUrl);
  url.searchParams.set("path", adminPath);
  url.searchParams.set("shop", shop);
  await page.goto(url.toString());
  // Hydrated: React has taken over the server's HTML (screenshots and clicks before that race it).
  await page.waitForLoadState("networkidle");
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  env.PORT = String(await freePort());
  browser = await launchBrowser();
  // A second shop with an offer whose outcome is known (test/e2e/fixtures/seed-offer-report.ts), in the same data.
  const seeded = spawnSync(path.resolve("node_modules", ".bin", "tsx"), ["test/e2e/fixtures/seed-offer-report.ts"], {
    encoding: "utf8",
    env: { ...process.env, CADENCE_DATA_DIR: dataDir.path, CADENCE_LOG_LEVEL: "silent", DATABASE_URL: "" },
  });
  expect(seeded.stderr).toBe("");
  demo = startDemo(["--shop", SHOP, "--customers", "40"], env);
  const [, adminUrl] = await demo.waitFor(/Admin \(embedded pages, local shell\):\s+(\S+)/);
  await demo.waitFor(/: (\d+) orders, (\d+) customers \(PostgreSQL\)/);
  shellUrl = new URL(adminUrl!);
}, 150_000);

afterAll(async () => {
  await browser?.close();
  if (demo) expect(await demo.stop()).toBe(0);
  await dataDir.remove();
});

test("list, create (bad input first), edit with the save bar, pause, and results; no accessibility problems", async () => {
  const page = await newPage(browser);
  const errors = pageErrors(page);

  await open(page, "/app/offers");
  await page.getByRole("link", { name: "Win back at-risk customers" }).waitFor();
  await expect(page.getByRole("cell", { name: "At risk (win-back)", exact: true }).count()).resolves.toBeGreaterThan(0);
  await page.screenshot({ path: path.join(SCREENSHOTS, "admin-offers-list.png"), fullPage: true, caret: "initial" });
  expect(await accessibilityProblems(page)).toEqual([]);

  await page.getByRole("link", { name: "Create offer" }).click();
  await page.getByRole("heading", { name: "New offer" }).waitFor();
  await page.getByLabel("Offer name (only you see it)").fill("Holiday thanks");
  await page.getByLabel("Who sees it").selectOption({ label: "Lapsed (win-back)" });
  await page.getByLabel("Button label").fill("Shop gifts");
  await page.getByLabel("Button link").fill("ftp://example.com");
  await page.getByRole("button", { name: "Save as draft" }).click();
  // The action answers 400 with field errors; the page shows them on their inputs.
  await page.getByText("The offer was not saved").waitFor();
  await expect(page.getByLabel("Headline").getAttribute("aria-invalid")).resolves.toBe("true");
  await expect(page.getByLabel("Button link").getAttribute("aria-invalid")).resolves.toBe("true");
  await page.screenshot({
    path: path.join(SCREENSHOTS, "admin-offers-new-errors.png"),
    fullPage: true,
    caret: "initial",
  });
  expect(await accessibilityProblems(page)).toEqual([]);

  await page.getByLabel("Headline").fill("Thanks for a great year");
  await page.getByLabel("Button link").fill("/collections/gifts");
  await page.getByLabel("Holdout (%)").fill("15");
  await page.getByRole("button", { name: "Save as draft" }).click();
  await page.waitForURL(/\/app\/offers\/holiday-thanks/);
  await page.getByRole("status").filter({ hasText: "Draft offer created" }).waitFor();
  await expect(page.getByLabel("Holdout (%)").inputValue()).resolves.toBe("15");
  expect(await accessibilityProblems(page)).toEqual([]);

  // An unsaved edit opens the save bar; saving from it shows a toast and closes it.
  const saveBar = page.getByRole("region", { name: "Unsaved changes" });
  await page.getByLabel("Headline").fill("Thank you for a great year");
  await saveBar.waitFor();
  await page.locator("ui-save-bar").getByRole("button", { name: "Save" }).click();
  await page.getByRole("status").filter({ hasText: "Offer saved" }).waitFor();
  await saveBar.waitFor({ state: "hidden" });

  await page.getByRole("button", { name: "Activate" }).click();
  await page.getByRole("status").filter({ hasText: "Offer activated" }).waitFor();
  await page.getByRole("button", { name: "Pause" }).click();
  await page.getByRole("status").filter({ hasText: "Offer paused" }).waitFor();
  await page.getByRole("button", { name: "Resume" }).waitFor();
  await page.screenshot({ path: path.join(SCREENSHOTS, "admin-offers-edit.png"), fullPage: true, caret: "initial" });

  // Known figures: treatment 30 of 120 converted (25%), holdout 11 of 110 (10%), £50 orders.
  await open(page, "/app/offers/welcome", "report.myshopify.com");
  await page.getByRole("heading", { name: "Results" }).waitFor();
  await page.getByText("The offer is working").waitFor();
  const table = await page.getByRole("table").innerText();
  expect(table).toMatch(/Shoppers\s+120\s+110/);
  expect(table).toMatch(/Converted\s+30\s+11/);
  expect(table).toMatch(/Conversion rate\s+25%\s+10%/);
  expect(table).toMatch(/Revenue per shopper\s+£12\.50\s+£5/);
  await page.getByText(/Conversion lift: \+15\.0 pp \(95% CI \+[\d.]+ pp to \+[\d.]+ pp\)/).waitFor();
  await page.screenshot({ path: path.join(SCREENSHOTS, "admin-offers-results.png"), fullPage: true, caret: "initial" });
  expect(await accessibilityProblems(page)).toEqual([]);

  // The one expected failure: the bad submit's 400.
  expect(errors.filter((error) => !/^HTTP 400: .*\/app\/offers\/new\.data/.test(error))).toEqual([]);
  await page.close();
}, 120_000);
