import { openAdminPage, waitForAdminPage } from "../support/admin-pages";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { seriousAccessibilityViolations } from "../support/axe";
import { launchBrowser, newPage, pageErrors } from "../support/browser";
import { freePort, scratchDataDir } from "../support/demo-env";
import { startDemo } from "../support/demo-process";
import type { DemoProcess } from "../support/demo-process";

// The loyalty tiers editor in Chromium on `npm run demo`'s shop, used as a merchant would, the day the demo's pass
// ran (the defect of issue 16: such a change moved nobody). A loosened threshold shows moves up and saving makes
// them; a tightened one shows who moves down when the grace period ends and saving starts it; without a grace
// period it moves them at once. The customer page's override starts from the customer's own tier.

const dataDir = scratchDataDir("loyalty");
const SHOP = "e2e-loyalty.myshopify.com";
const SCREENSHOTS = path.resolve("test-results", "e2e", "loyalty");
let browser: Browser;
let demo: DemoProcess;
let shellUrl: string;

beforeAll(async () => {
  const env = { CADENCE_DATA_DIR: dataDir.path, CADENCE_LOG_LEVEL: "warn", PORT: String(await freePort()) };
  browser = await launchBrowser();
  demo = startDemo(["--shop", SHOP, "--customers", "150"], env);
  [, shellUrl] = (await demo.waitFor(/Admin \(embedded pages, local shell\):\s+(\S+)/)) as [string, string];
  await demo.waitFor(/: \d+ orders, \d+ customers/, 170_000);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (demo) expect(await demo.stop()).toBe(0);
  await dataDir.remove();
});

const open = (page: Page, adminPath: string, title: string | RegExp) => openAdminPage(page, shellUrl, adminPath, title);

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true, caret: "initial" });

/** "Tier 2 · 46 customers now …" → 46, per tier name, as the editor's headings say. */
async function customersNow(page: Page): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const cards = page.locator("[data-tier-card]");
  for (let index = 0; index < (await cards.count()); index += 1) {
    const card = cards.nth(index);
    const name = await card.getByLabel("Name").inputValue();
    const heading = (await card.getByRole("heading", { level: 2 }).textContent()) ?? "";
    counts[name] = Number(/· ([\d,]+) customers? now/.exec(heading)?.[1]?.replace(/,/g, "") ?? 0);
  }
  return counts;
}

/** The preview's per-tier line for a tier ("Silver 46 → 61 now"), once it has arrived. */
async function previewLine(page: Page, tier: string): Promise<string> {
  const line = page.locator('[aria-live="polite"] li').filter({ hasText: new RegExp(`^${tier} \\d`) });
  await line.waitFor();
  return (await line.textContent()) ?? "";
}

async function tierCard(page: Page, name: string) {
  const cards = page.locator("[data-tier-card]");
  for (let index = 0; index < (await cards.count()); index += 1)
    if ((await cards.nth(index).getByLabel("Name").inputValue()) === name) return cards.nth(index);
  throw new Error(`no tier card named ${name}`);
}

/** Saves, and returns what the page then says was done. */
async function save(page: Page): Promise<string> {
  const subtitle =
    (await page
      .getByText(/^Version \d+/)
      .first()
      .textContent()) ?? "";
  const version = Number(/^Version (\d+)/.exec(subtitle)?.[1]);
  await page.getByRole("button", { name: "Save program" }).click();
  const banner = page.locator(".Polaris-Banner").filter({ hasText: new RegExp(`^Version ${version + 1} saved`) });
  await banner.waitFor({ timeout: 120_000 });
  return (await banner.textContent()) ?? "";
}

/** The preview's sentence, once it has arrived. */
async function previewSummary(page: Page): Promise<string> {
  const summary = page.locator('[aria-live="polite"] p').filter({ hasText: /^On \d+ \w+ \d{4}, / });
  await summary.waitFor();
  return (await summary.textContent()) ?? "";
}

const movedDown = (text: string) => Number(/(\d+) customers? moves? down/.exec(text)?.[1] ?? 0);

describe("loyalty tiers in Chromium, the day the demo's pass ran", () => {
  test("the override on a Gold customer's page starts from Gold", async () => {
    const page = await newPage(browser);
    const errors = pageErrors(page);
    await open(page, "/app/segments/tier:gold", "Gold");
    await page.locator("tbody tr a").first().click();
    await waitForAdminPage(page, /Customer \d+/);
    const select = page.getByLabel("Set tier by hand");
    expect(await select.inputValue()).toBe("gold");
    expect(await select.locator("option").allTextContents()).toEqual(["Bronze", "Silver", "Gold"]);
    await page.getByText(/^Gold: £[\d,.]+ in the last 12 months; it takes £[\d,.]+ to keep Gold$/).waitFor();
    await shot(page, "customer-gold");
    expect(errors).toEqual([]);
    await page.close();
  });

  test("loosened: Silver's enter threshold lowered to its keep threshold shows moves up, and saving makes them", async () => {
    const page = await newPage(browser);
    const errors = pageErrors(page);
    await open(page, "/app/loyalty", "Loyalty tiers");
    const before = await customersNow(page);
    const silver = await tierCard(page, "Silver");
    const keep = await silver.getByLabel(/Keep at spend/).inputValue();
    await silver.getByLabel(/Enter at spend/).fill(keep);
    const line = await previewLine(page, "Silver");
    const [, from, to] = /^Silver (\d+) → (\d+) now$/.exec(line) ?? [];
    expect(Number(from)).toBe(before.Silver);
    expect(Number(to)).toBeGreaterThan(Number(from));
    const up = Number(to) - Number(from);
    await page.getByText(new RegExp(`^On \\d+ \\w+ \\d{4}, ${up} customers? moves? up`)).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await shot(page, "loosened-preview");

    const saved = await save(page);
    expect(saved).toContain(`${up} customer${up === 1 ? "" : "s"} moved up (`);
    expect((await customersNow(page)).Silver).toBe(Number(to));
    await shot(page, "loosened-saved");
    expect(errors).toEqual([]);
    await page.close();
  });

  test("an enter threshold lowered below its keep threshold offers to lower keep with it", async () => {
    const page = await newPage(browser);
    const errors = pageErrors(page);
    await open(page, "/app/loyalty", "Loyalty tiers");
    const gold = await tierCard(page, "Gold");
    const keep = Number(await gold.getByLabel(/Keep at spend/).inputValue());
    const lower = String(keep - 10);
    await gold.getByLabel(/Enter at spend/).fill(lower);
    const offer = gold.getByRole("button", {
      name: `Lower the keep threshold to £${Number(lower).toLocaleString("en", { minimumFractionDigits: 2 })} too`,
    });
    await offer.waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await shot(page, "keep-above-enter");
    await offer.click();
    expect(await gold.getByLabel(/Keep at spend/).inputValue()).toBe(lower);
    await expect.poll(() => offer.count()).toBe(0);
    await previewLine(page, "Gold");
    expect(errors).toEqual([]);
    await page.close();
  });

  test("tightened: Gold raised tenfold shows every Gold customer moving down when the grace period ends; saving starts it; with no grace period they move at once", async () => {
    const page = await newPage(browser);
    const errors = pageErrors(page);
    await open(page, "/app/loyalty", "Loyalty tiers");
    const golds = (await customersNow(page)).Gold!;
    expect(golds).toBeGreaterThan(0);
    const gold = await tierCard(page, "Gold");
    const raised = String(Number(await gold.getByLabel(/Enter at spend/).inputValue()) * 10);
    await gold.getByLabel(/Keep at spend/).fill(raised);
    await gold.getByLabel(/Enter at spend/).fill(raised);
    expect(await previewLine(page, "Gold")).toMatch(
      new RegExp(`^Gold ${golds} → 0 when the 30-day grace period ends on \\d+ \\w+ \\d{4}$`),
    );
    await shot(page, "tightened-preview");
    const saved = await save(page);
    expect(saved).toMatch(
      new RegExp(
        `nobody moved\\. ${golds} customers? below their tier's new keep threshold moves? down on \\d+ \\w+ \\d{4} unless they buy again`,
      ),
    );
    const heading = await (await tierCard(page, "Gold")).getByRole("heading", { level: 2 }).textContent();
    expect(heading).toContain(`· ${golds} customers now`);
    expect(heading).toContain(`· ${golds} in their grace period`);
    await shot(page, "tightened-saved");

    // No grace period: the same customers move down now (with any others whose grace period was running).
    await page.getByLabel("Grace period (days)").fill("0");
    expect(await previewLine(page, "Gold")).toBe(`Gold ${golds} → 0 now`);
    const down = movedDown(await previewSummary(page));
    expect(down).toBeGreaterThanOrEqual(golds);
    const now = await save(page);
    expect(now).toMatch(new RegExp(`${down} customers? moved down \\(.*Gold → `));
    expect((await customersNow(page)).Gold).toBe(0);
    await shot(page, "tightened-no-grace-saved");
    expect(errors).toEqual([]);
    await page.close();
  });
});
