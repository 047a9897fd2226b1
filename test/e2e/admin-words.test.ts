import { openAdminPage } from "../support/admin-pages";
import { mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchBrowser, newPage, pageErrors } from "../support/browser";
import { startDemo } from "../support/demo-process";
import type { DemoProcess } from "../support/demo-process";
import { wordProblems } from "../support/merchant-words";
import { databaseUrl, recreateDatabase, TEMPLATE_DATABASE, withAdminClient } from "../support/postgres";
import { until } from "../support/processes";
import { demoCli } from "../support/cadence-cli";

// Every admin page of the demo, read as a merchant reads it: Chromium (desktop user agent) walks the seeded demo shop
// (300 customers, as the issue tried it) and then an empty shop, saves each page under test-results/words/, and
// fails on any of the code's words on screen (test/support/merchant-words.ts: keys, operators, validation-library
// messages, "every N" without a unit, "1 shoppers", a second money format). Forms are used the way a merchant
// would, so their words are read too: a refused offer, a filled segment builder, settings with unsaved changes, the
// tiers editor's previews, a tier set by Shopify Flow's action (Flow page and tier history), the predictions' track
// record on the dashboard and customer pages, "Use in Shopify" on segment pages.
// The demo runs on PostgreSQL (a database of this file's own): 300 customers replay in seconds there.

const SHOP = "words-demo.myshopify.com";
const EMPTY_SHOP = "words-empty.myshopify.com";
// One per checkout, as the test template is: two clones testing on one PostgreSQL never share it.
const DATABASE = `cadence_e2e_words_${TEMPLATE_DATABASE.slice(-10)}`;
const SCREENSHOTS = path.resolve("test-results", "words");
let browser: Browser;
let demo: DemoProcess | undefined;
let shellUrl: URL;
let env: Record<string, string>;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startShop(args: string[]): Promise<void> {
  demo = startDemo(args, env);
  const [, adminUrl] = await demo.waitFor(/Admin \(embedded pages, local shell\):\s+(\S+)/, 150_000);
  shellUrl = new URL(adminUrl as string);
}

beforeAll(async () => {
  rmSync(SCREENSHOTS, { recursive: true, force: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  await withAdminClient((client) => recreateDatabase(client, DATABASE));
  // Jobs in the server's own process: one process fewer to start on a busy machine (a forked worker once took over 120 s).
  env = {
    DATABASE_URL: databaseUrl(DATABASE),
    CADENCE_BACKGROUND_WORK: "inline",
    CADENCE_LOG_LEVEL: "warn",
    PORT: String(await freePort()),
  };
  browser = await launchBrowser();
  await startShop(["--shop", SHOP, "--customers", "300"]);
  await demo?.waitFor(/: \d+ orders, \d+ customers/, 170_000);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (demo) expect(await demo.stop()).toBe(0);
  await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`));
});

const open = (page: Page, adminPath: string, title: string | RegExp, shop = SHOP) =>
  openAdminPage(page, shellUrl.toString(), adminPath, title, shop);

/**
 * What went wrong on a page, less Remix's route discovery (`/__manifest`, fetched for the links a page shows) cut off
 * by the walk's own navigation to the next page: that is the walk leaving, not the page failing.
 */
const unexpected = (errors: string[]) =>
  errors.filter((error) => !/^request failed: \S+\/__manifest\?\S+ \(net::ERR_ABORTED\)$/.test(error));

async function settled(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
}

/** Saves the page as NN-name.png and fails on any of the code's words in its visible text (option labels too). */
async function read(page: Page, name: string): Promise<string> {
  await settled(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true, caret: "initial" });
  const text = await page.locator("body").innerText();
  expect(wordProblems(text), `${name}.png`).toEqual([]);
  return text;
}

describe("every admin page in the merchant's words", () => {
  test("dashboard: one order count, Needs attention, tiers in rank order, segments as a share of customers", async () => {
    const page = await newPage(browser);
    const errors = pageErrors(page);
    await open(page, "/app", "Dashboard");
    await page.getByText("Repeat-purchase rate").waitFor();
    await page.locator('[aria-hidden="true"] svg').first().waitFor();
    const text = await read(page, "01-dashboard");
    expect(text).toContain("Needs attention");
    // One order count, and what it counts; the AOV card divides by the same number.
    const orders = /Orders\n+([\d,]+)\n+Every figure here counts these/.exec(text)?.[1];
    expect(orders).toBeDefined();
    expect(text).toContain(`Net revenue ÷ ${orders} orders`);
    expect(text).not.toContain("Orders synced");
    // The tier chart's summary, lowest tier first.
    const tiers = await page
      .getByText(/^Bronze: [\d,]+ customers?; Silver: [\d,]+ customers?; Gold: [\d,]+ customers?/)
      .textContent();
    expect(tiers).toBeTruthy();
    expect(text).toContain("% of customers");
    // The first import placed everyone: that is not movement.
    expect(text).not.toMatch(/\+[1-9][\d,]* in/);
    expect(unexpected(errors)).toEqual([]);
    await page.close();
  });

  test("the dashboard before its scripts run draws skeletons, not blank cards", async () => {
    const probe = await newPage(browser);
    const userAgent = await probe.evaluate(() => navigator.userAgent);
    await probe.context().close();
    const context = await browser.newContext({
      userAgent,
      javaScriptEnabled: false,
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    const url = new URL(shellUrl);
    url.searchParams.set("path", "/app");
    await page.goto(url.toString());
    await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
    expect(await page.locator(".Polaris-SkeletonBodyText").count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, "02-dashboard-loading.png"), fullPage: true });
    await context.close();
  });

  test("segments: three families named apart; each kind of segment page; the members table in labels", async () => {
    const page = await newPage(browser);
    const errors = pageErrors(page);
    await open(page, "/app/segments", "Segments");
    const text = await read(page, "03-segments");
    for (const name of [
      "At risk (win-back)",
      "At risk (RFM group)",
      "At risk (lifecycle stage)",
      "New (RFM group)",
      "New (lifecycle stage)",
    ])
      expect(text).toContain(name);
    const links = await page.locator("table a").allTextContents();
    expect(new Set(links).size).toBe(links.length);
    const pages: [string, string, RegExp][] = [
      ["tier:gold", "04-segment-tier-gold", /^Gold$/],
      ["at_risk", "05-segment-at-risk-win-back", /At risk \(win-back\)/],
      ["rfm:at_risk", "06-segment-at-risk-rfm-group", /At risk \(RFM group\)/],
      ["lifecycle:at_risk", "07-segment-at-risk-lifecycle-stage", /At risk \(lifecycle stage\)/],
    ];
    for (const [key, name, title] of pages) {
      await open(page, `/app/segments/${encodeURIComponent(key)}`, title);
      const members = await read(page, name);
      expect(members).toMatch(/% of customers\)/);
    }
    // The lifecycle column of the members table reads "At risk", not at_risk (checked by read above).
    expect(await page.locator("tbody tr").first().innerText()).toContain("At risk");
    expect(unexpected(errors)).toEqual([]);
    await page.close();
  });

  test("customer pages: an at-risk customer, a one-order customer", async () => {
    const page = await newPage(browser);
    const errors = pageErrors(page);
    await open(page, `/app/segments/${encodeURIComponent("lifecycle:at_risk")}`, /At risk/);
    await page.locator("tbody tr a").first().click();
    await page.getByText("Labels and why").waitFor();
    await settled(page);
    const atRisk = await read(page, "08-customer-at-risk");
    expect(atRisk).toContain("Lifecycle stage: At risk");
    expect(atRisk).toMatch(/Recency \d of 5/);
    expect(atRisk.match(/^.*: At risk$/gm) ?? []).not.toContain("At risk");

    await open(page, `/app/segments/${encodeURIComponent("lifecycle:new")}`, /New/);
    await page.locator("tbody tr a").first().click();
    await page.getByText("Labels and why").waitFor();
    await settled(page);
    const oneOrder = await read(page, "09-customer-one-order");
    expect(oneOrder).toContain("Lifecycle stage: New");
    expect(oneOrder).not.toContain("Prospects");
    expect(oneOrder).toMatch(/1 order,/);
    expect(unexpected(errors)).toEqual([]);
    await page.close();
  });

  test("loyalty tiers: the editor, a loosened and a tightened threshold's preview, the keep-above-enter fix", async () => {
    const page = await newPage(browser);
    const errors = pageErrors(page);
    await open(page, "/app/loyalty", "Loyalty tiers");
    await read(page, "10-loyalty");
    const card = async (name: string) => {
      const cards = page.locator("[data-tier-card]");
      for (let index = 0; index < (await cards.count()); index += 1)
        if ((await cards.nth(index).getByLabel("Name").inputValue()) === name) return cards.nth(index);
      throw new Error(`no tier card named ${name}`);
    };
    const previewLine = (tier: string) =>
      page.locator('[aria-live="polite"] li').filter({ hasText: new RegExp(`^${tier} \\d`) });
    // Loosened: Silver entered at its keep threshold (nothing is saved; the walk only reads what the preview says).
    const silver = await card("Silver");
    await silver.getByLabel(/Enter at spend/).fill(await silver.getByLabel(/Keep at spend/).inputValue());
    await previewLine("Silver")
      .filter({ hasText: /→ \d+ now/ })
      .waitFor();
    const loosened = await read(page, "10a-loyalty-preview-loosened");
    expect(loosened).toMatch(/^On \d+ \w+ \d{4}, [\d,]+ customers? moves? up/m);
    // Tightened: Gold ten times higher moves its customers down when the grace period ends.
    await silver.getByLabel(/Enter at spend/).fill("150.00");
    const gold = await card("Gold");
    await gold.getByLabel(/Keep at spend/).fill("5000");
    await gold.getByLabel(/Enter at spend/).fill("5000");
    await previewLine("Gold")
      .filter({ hasText: /grace period ends on/ })
      .waitFor();
    await read(page, "10b-loyalty-preview-tightened");
    // An enter threshold below its keep threshold: the fix is offered in the one money format.
    await gold.getByLabel(/Keep at spend/).fill("300.00");
    await gold.getByLabel(/Enter at spend/).fill("290");
    await gold.getByRole("button", { name: "Lower the keep threshold to £290.00 too" }).waitFor();
    const keepAbove = await read(page, "10c-loyalty-keep-above-enter");
    expect(keepAbove).toContain("Keep at £300.00 is above Enter at £290.00");
    expect(unexpected(errors)).toEqual([]);
    await page.close();
  });

  test("segment builder: words for comparisons, a percentage, labelled choices; the saved segment", async () => {
    const page = await newPage(browser);
    const errors = pageErrors(page);
    await open(page, "/app/segments/new", "New segment");
    const count = page.getByText(/^[\d,]+ of [\d,]+ customers$/);
    await count.waitFor();
    const before = await count.textContent();
    await read(page, "11-segment-builder");
    const comparisons = await page.getByLabel("Comparison").first().locator("option").allTextContents();
    expect(comparisons).toEqual([
      "at least",
      "more than",
      "at most",
      "less than",
      "is",
      "is not",
      "between",
      "is not empty",
      "is empty",
    ]);
    await page.getByLabel("Condition 1", { exact: true }).selectOption({ label: "Probability still active" });
    await page.getByLabel("Comparison").first().selectOption({ label: "less than" });
    await page.getByLabel("Value").first().fill("80");
    await page.getByRole("button", { name: "Add condition" }).click();
    await page.getByLabel("Condition 2", { exact: true }).selectOption({ label: "RFM group" });
    await page.getByLabel("Comparison").nth(1).selectOption({ label: "is one of" });
    await page.getByRole("checkbox", { name: "At risk", exact: true }).check({ force: true });
    await page.getByRole("checkbox", { name: "Needs attention", exact: true }).check({ force: true });
    // The live count follows the conditions (debounced): wait for the new one before reading the page.
    await expect.poll(() => count.textContent(), { timeout: 15_000 }).not.toBe(before);
    await page.getByLabel("Name").fill("Fading regulars");
    await read(page, "12-segment-builder-filled");
    await page.getByRole("button", { name: "Save segment" }).click();
    await page.getByRole("heading", { level: 1, name: "Fading regulars" }).waitFor();
    const saved = await read(page, "13-segment-custom");
    expect(saved).toContain(
      "Rule: probability still active less than 80% and RFM group is one of At risk, Needs attention",
    );
    await open(page, `/app/segments/new?key=${encodeURIComponent("custom:fading-regulars")}`, /Edit Fading regulars/);
    expect(await page.getByLabel("Value").first().inputValue()).toBe("80");
    await read(page, "14-segment-builder-edit");
    expect(unexpected(errors)).toEqual([]);
    await page.close();
  });

  test("offers: the list, a refused new offer in words, an audience from a dashboard link, a guest offer not measured", async () => {
    const page = await newPage(browser);
    const errors = pageErrors(page);
    await open(page, "/app/offers", "Offers");
    const list = await read(page, "15-offers");
    expect(list).toContain("Not measured: guests have no holdout");

    await open(page, "/app/offers/new", "New offer");
    const audiences = await page.getByLabel("Who sees it").locator("option").allTextContents();
    expect(audiences).toEqual(
      expect.arrayContaining([
        "Champions",
        "At risk (RFM group)",
        "New (lifecycle stage)",
        "Returning",
        "At risk (win-back)",
      ]),
    );
    await read(page, "16-offer-new");
    await page.getByRole("button", { name: "Save as draft" }).click();
    await page.getByText("The offer was not saved").waitFor();
    const refused = await read(page, "17-offer-new-refused");
    for (const message of ["Give the offer a name", "Write a headline", "Write the button's label"])
      expect(refused).toContain(message);

    await open(page, `/app/offers/new?audience=${encodeURIComponent("segment:high_value_at_risk")}`, "New offer");
    expect(await page.getByLabel("Who sees it").inputValue()).toBe("segment:high_value_at_risk");
    await read(page, "18-offer-new-for-high-value-at-risk");

    await open(page, "/app/offers/win-back", "Win back at-risk customers");
    await read(page, "19-offer-win-back");
    await open(page, "/app/offers/welcome", "Welcome offer");
    const guest = await read(page, "20-offer-guests");
    expect(guest).toContain("Not measured: guests have no holdout");
    expect(guest).not.toContain("100 holdout shoppers");
    expect(unexpected(errors).filter((error) => !/^HTTP 400: .*\/app\/offers\/new\.data/.test(error))).toEqual([]);
    await page.close();
  });

  test("sync status and settings, with the save bar open", async () => {
    const page = await newPage(browser);
    const errors = pageErrors(page);
    await open(page, "/app/sync", "Sync status");
    const sync = await read(page, "21-sync");
    expect(sync).toMatch(/Counted in every figure: not cancelled, not test orders\. [\d,]+ received from Shopify/);

    await open(page, "/app/settings", "Settings");
    const settings = await read(page, "22-settings");
    expect(settings).toMatch(/\d+ shoppers? (has|have) opted out/);
    expect(await page.getByLabel(/High-value at risk/).inputValue()).toBe("20");
    const saveBar = page.getByRole("region", { name: "Unsaved changes" });
    const posts: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST") posts.push(request.url());
    });
    // Discard puts back what is stored and saves nothing (its button once sat inside the form and submitted it).
    await page.getByLabel(/High-value at risk/).fill("35");
    await saveBar.waitFor();
    await page.locator("ui-save-bar").getByRole("button", { name: "Discard" }).click();
    await saveBar.waitFor({ state: "hidden" });
    await settled(page);
    expect(await page.getByLabel(/High-value at risk/).inputValue()).toBe("20");
    expect(posts).toEqual([]);
    await page.getByLabel(/High-value at risk/).fill("25");
    await saveBar.waitFor();
    await read(page, "23-settings-unsaved");
    await page.locator("ui-save-bar").getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").filter({ hasText: "Settings saved" }).waitFor();
    await saveBar.waitFor({ state: "hidden" });
    expect(await page.getByLabel(/High-value at risk/).inputValue()).toBe("25");
    expect(posts).toHaveLength(1);
    expect(unexpected(errors)).toEqual([]);
    await page.close();
  });

  test(
    "Shopify Flow: a tier set by the Set loyalty tier action, on the Flow page and the customer's page",
    { timeout: 300_000 },
    async () => {
      const page = await newPage(browser);
      const errors = pageErrors(page);
      await open(page, "/app/flow", "Shopify Flow");
      await read(page, "24-flow");
      // A Silver customer set to Gold by Flow's action, signed as Flow signs it (the CLI, as in the demo).
      await open(page, `/app/segments/${encodeURIComponent("tier:silver")}`, /^Silver$/);
      const customerId = (await page.locator("tbody tr a").first().textContent())?.trim() ?? "";
      expect(customerId).toMatch(/^\d+$/);
      const invoked = demoCli(
        { DATABASE_URL: env.DATABASE_URL! },
        ...["flow", "invoke-set-tier", "--shop", SHOP, "--customer", customerId, "--tier", "Gold"],
        ...["--reason", "VIP evening guest", "--url", shellUrl.origin],
      );
      expect(invoked.stdout.trim(), invoked.stderr).toBe("200 {}");
      // The minute job records the trigger it would send (the demo shop has no Shopify store).
      await until(
        async () => {
          await open(page, "/app/flow", "Shopify Flow");
          if ((await page.getByRole("row").filter({ hasText: customerId }).filter({ hasText: "Recorded" }).count()) > 0)
            return true;
          await page.waitForTimeout(3_000);
          return false;
        },
        "the Flow page to show the recorded trigger",
        180_000,
      );
      const flow = await read(page, "25-flow-activity");
      expect(flow).toMatch(/Silver → Gold \(set by Shopify Flow\)/);
      await open(page, `/app/customers/${customerId}`, `Customer ${customerId}`);
      await page.getByText("Labels and why").waitFor();
      const customer = await read(page, "26-customer-set-by-flow");
      expect(customer).toContain("Set by Shopify Flow: VIP evening guest");
      expect(customer).toContain("Tier set by Shopify Flow: Gold");
      expect(customer).toContain("Gold: set by Shopify Flow (VIP evening guest); earned: Silver");
      expect(unexpected(errors)).toEqual([]);
      await page.close();
    },
  );

  test("an empty shop: drawn empty states on every page", async () => {
    expect(await demo?.stop()).toBe(0);
    await startShop(["--shop", EMPTY_SHOP, "--no-seed"]);
    const page = await newPage(browser);
    const errors = pageErrors(page);
    await open(page, "/app", "Dashboard", EMPTY_SHOP);
    const dashboard = await read(page, "27-empty-dashboard");
    expect(dashboard).toContain("No orders yet");
    expect(dashboard).toContain("suggestions appear once your orders have been synced");
    await open(page, "/app/segments", "Segments", EMPTY_SHOP);
    await read(page, "28-empty-segments");
    await open(page, "/app/offers", "Offers", EMPTY_SHOP);
    await read(page, "29-empty-offers");
    await open(page, "/app/sync", "Sync status", EMPTY_SHOP);
    await read(page, "30-empty-sync");
    await open(page, "/app/loyalty", "Loyalty tiers", EMPTY_SHOP);
    await read(page, "31-empty-loyalty");
    await open(page, "/app/flow", "Shopify Flow", EMPTY_SHOP);
    const flow = await read(page, "32-empty-flow");
    expect(flow).toContain("No trigger yet");
    await open(page, "/app/settings", "Settings", EMPTY_SHOP);
    const settings = await read(page, "33-empty-settings");
    expect(settings).toContain("0 shoppers have opted out");
    expect(unexpected(errors)).toEqual([]);
    await page.close();
  });
});
