import { spawnSync } from "node:child_process";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchBrowser, newPage, pageErrors } from "../support/browser";
import { freePort, scratchDataDir } from "../support/demo-env";
import { startDemo } from "../support/demo-process";
import type { DemoProcess } from "../support/demo-process";

// The demo's storefront preview in a real Chromium: the extension's real Liquid for each kind of shopper, its real
// script, and beacons and the opt-out control going through the real app-proxy routes (signed by the preview's
// local forwarder, checked by Shopify's library). What the beacons stored is read back with the offers report.

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const dataDir = scratchDataDir("preview");
const SHOP = "e2e-preview.myshopify.com";
const SCREENSHOTS = path.resolve("test-results", "e2e");
const env: Record<string, string> = { CADENCE_DATA_DIR: dataDir.path, CADENCE_LOG_LEVEL: "warn" };
let browser: Browser;
let demo: DemoProcess;
let previewUrl: string;

beforeAll(async () => {
  env.PORT = String(await freePort());
  browser = await launchBrowser();
  demo = startDemo(["--shop", SHOP, "--customers", "120"], env);
  [, previewUrl = ""] = await demo.waitFor(/Storefront preview:\s+(\S+)/);
  await demo.waitFor(/: \d+ orders, \d+ customers \(PostgreSQL\)/, 170_000);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (demo) await demo.stop();
  await dataDir.remove();
});

const personas = new Map<string, string>();

/** Opens the preview as a persona's customer (the form's own GET), or as a guest. */
async function viewAs(page: Page, persona: string | null): Promise<void> {
  const customer = persona ? personas.get(persona) : "";
  if (customer === undefined) throw new Error(`no "${persona}" shopper in the preview`);
  await page.goto(customer ? `${previewUrl}&customer=${customer}` : previewUrl);
}

/** Waits for the block's exposure beacon and returns its query (offer, arm) and status. */
async function exposure(page: Page, load: () => Promise<void>) {
  const beacon = page.waitForResponse(
    (response) => response.url().includes("/apps/cadence/events") && response.url().includes("type=exposure"),
  );
  await load();
  const response = await beacon;
  return { status: response.status(), query: Object.fromEntries(new URL(response.url()).searchParams) };
}

const block = (page: Page) => page.getByTestId("cadence-block");
const account = (page: Page) => page.frameLocator("[data-testid=cadence-account-block]").locator("body");

/** The preview's shoppers by persona ("Gold", "At risk", "Opted out", "Holdout"), from its own select. */
async function readPersonas(page: Page): Promise<void> {
  for (const option of await page.locator("#preview-shopper option").all()) {
    const [persona] = (await option.innerText()).split(":");
    const value = await option.getAttribute("value");
    if (persona && value) personas.set(persona, value);
  }
}

describe("the customer account block in the preview", () => {
  test("shows each shopper's tier, progress, offer and reason from the extension's own bundle; its opt-out reaches the real route", async () => {
    const page = await newPage(browser);
    const errors = pageErrors(page);
    // The theme block's beacons are the next test's to count: this page answers them itself.
    await page.route("**/apps/cadence/events**", (route) => route.fulfill({ status: 204 }));
    await viewAs(page, null);
    await readPersonas(page);
    await account(page).getByText("10% off your first order").waitFor();
    await expect(account(page).innerText()).resolves.toContain("An offer for all visitors");
    await page.screenshot({ path: path.join(SCREENSHOTS, "account-guest.png"), fullPage: true });

    const tiers = [...personas.keys()].filter((name) => !["At risk", "Opted out", "Holdout"].includes(name));
    expect(tiers.length).toBeGreaterThanOrEqual(2);
    let climbing = 0;
    for (const tier of tiers) {
      await viewAs(page, tier);
      await account(page).getByText(`${tier} members: 15% off new arrivals`).waitFor();
      const text = await account(page).innerText();
      expect(
        await page.frameLocator("[data-testid=cadence-account-block]").locator("s-section").getAttribute("heading"),
      ).toBe("Your rewards");
      expect(text).toContain(`Because you’re a ${tier} member`);
      // Below the top tier: the tier and the way up. The top tier's is said by the reason ("Because you’re a Gold member").
      if (/Spend .+ more|Place \d+ more|on your way/.test(text)) {
        expect(text).toContain(`You’re a ${tier} member`);
        climbing += 1;
      }
      await page.screenshot({ path: path.join(SCREENSHOTS, `account-tier-${tier.toLowerCase()}.png`), fullPage: true });
    }
    expect(climbing).toBeGreaterThanOrEqual(1);

    await viewAs(page, "Holdout");
    await account(page).getByText("This is a general offer.").waitFor();
    expect(await account(page).innerText()).not.toMatch(/15% off new arrivals|We miss you/);

    await viewAs(page, "Opted out");
    await account(page).getByText("You’ve turned personalised offers off").waitFor();
    await account(page).getByText("Turn personalised offers back on").waitFor();

    // The block's own control: the preview's stand-in for customer accounts signs a session token like Shopify's.
    const tier = tiers[0] as string;
    await viewAs(page, tier);
    const stopped = page.waitForResponse((response) => response.url().includes("/customer-account/preferences"));
    await account(page).getByText("Stop personalised offers").click();
    expect((await stopped).status()).toBe(200);
    await account(page).getByText("Done. You’ll see general offers from now on.").waitFor();
    await page.reload();
    await account(page).getByText("You’ve turned personalised offers off").waitFor();
    await expect(block(page).textContent()).resolves.toContain("You’ve turned personalised offers off");
    const resumed = page.waitForResponse((response) => response.url().includes("/customer-account/preferences"));
    await account(page).getByText("Turn personalised offers back on").click();
    expect((await resumed).status()).toBe(200);
    await page.reload();
    await account(page).getByText(`${tier} members: 15% off new arrivals`).waitFor();
    // The block reads the answer's status, not its body: reloading right after aborts the unread body (ERR_ABORTED).
    expect(errors.filter((error) => !/\/customer-account\/preferences\S* \(net::ERR_ABORTED\)$/.test(error))).toEqual(
      [],
    );
    await page.close();
  });
});

describe("storefront preview", () => {
  test("each shopper sees their offer, beacons fire through the app proxy, opt out and back in work", async () => {
    const page = await newPage(browser);
    const errors = pageErrors(page);

    const guest = await exposure(page, () => viewAs(page, null));
    expect(guest).toEqual({
      status: 204,
      query: { type: "exposure", offer: "welcome", arm: "treatment", surface: "block" },
    });
    await expect(block(page).innerText()).resolves.toContain("10% off your first order");
    await expect(block(page).innerText()).resolves.toContain("An offer for all visitors");
    await page.screenshot({ path: path.join(SCREENSHOTS, "storefront-guest.png"), fullPage: true });

    await readPersonas(page);
    // The form itself navigates to the chosen shopper.
    const [firstPersona, firstCustomer] = [...personas][0] ?? [];
    await page.getByLabel("Shopper", { exact: true }).selectOption(firstCustomer ?? "");
    await page.getByRole("button", { name: "View as this shopper" }).click();
    await page.waitForURL(new RegExp(`customer=${firstCustomer}`));
    await page.getByText(new RegExp(`Customer ${firstCustomer}: \\d+ orders`)).waitFor();
    expect(firstPersona).toBeTruthy();
    const tiers = [...personas.keys()].filter((name) => !["At risk", "Opted out", "Holdout"].includes(name));
    expect(tiers.length).toBeGreaterThanOrEqual(2);
    for (const tier of tiers) {
      const seen = await exposure(page, () => viewAs(page, tier));
      expect(seen).toMatchObject({
        status: 204,
        query: { arm: "treatment", offer: expect.stringMatching(/-members$/) },
      });
      const text = await block(page).innerText();
      expect(text).toContain(`${tier} members: 15% off new arrivals`);
      expect(text).toContain(`Because you’re a ${tier} member`);
      await page.screenshot({
        path: path.join(SCREENSHOTS, `storefront-tier-${tier.toLowerCase()}.png`),
        fullPage: true,
      });
    }

    const atRisk = await exposure(page, () => viewAs(page, "At risk"));
    expect(atRisk.query).toMatchObject({ offer: "win-back", arm: "treatment" });
    await expect(block(page).innerText()).resolves.toContain("We miss you: free delivery this week");
    await page.screenshot({ path: path.join(SCREENSHOTS, "storefront-at-risk.png"), fullPage: true });

    const holdout = await exposure(page, () => viewAs(page, "Holdout"));
    expect(holdout).toMatchObject({ status: 204, query: { arm: "holdout" } });
    expect(await block(page).innerText()).not.toMatch(/15% off new arrivals|We miss you/);
    await page.screenshot({ path: path.join(SCREENSHOTS, "storefront-holdout.png"), fullPage: true });

    await viewAs(page, "Opted out");
    await expect(block(page).textContent()).resolves.toContain("You’ve turned personalised offers off");
    await page.screenshot({ path: path.join(SCREENSHOTS, "storefront-opted-out.png"), fullPage: true });

    // A tier member opts out with the block's own control, then back in; each reload renders what was stored.
    const tier = tiers[0] as string;
    await viewAs(page, tier);
    await page.getByText("Why am I seeing this?").click();
    const stopped = page.waitForResponse((response) => response.url().includes("/apps/cadence/preferences"));
    await page.getByRole("button", { name: "Stop personalised offers" }).click();
    expect((await stopped).status()).toBe(200);
    await page.getByText("Done. You’ll see general offers from now on.").waitFor();
    await page.reload();
    await expect(block(page).textContent()).resolves.toContain("You’ve turned personalised offers off");
    await page.getByText("Why am I seeing this?").click();
    const resumed = page.waitForResponse((response) => response.url().includes("/apps/cadence/preferences"));
    await page.getByRole("button", { name: "Turn personalised offers back on" }).click();
    expect((await resumed).status()).toBe(200);
    await page.getByText("Done. Personalised offers are back on.").waitFor();
    await page.reload();
    await expect(block(page).innerText()).resolves.toContain(`${tier} members: 15% off new arrivals`);
    await page.screenshot({ path: path.join(SCREENSHOTS, "storefront-opted-back-in.png"), fullPage: true });

    // A click on the call to action is a click beacon (sent as the page leaves; the report below proves it stored).
    const click = page.waitForRequest(
      (request) => request.url().includes("/apps/cadence/events") && request.url().includes("type=click"),
    );
    await page.route("**/collections/new", (route) =>
      route.fulfill({ status: 200, contentType: "text/html", body: "<title>New</title>" }),
    );
    await block(page).getByRole("link", { name: "Shop new arrivals" }).click();
    expect(new URL((await click).url()).searchParams.get("offer")).toMatch(/-members$/);
    // Leaving or reloading the page aborts the browser's wait for the proxy's answer (the script does not read it),
    // which Chromium reports as ERR_ABORTED; the statuses and the stored rows are asserted above and below.
    expect(errors.filter((error) => !/\/apps\/cadence\/\S+ \(net::ERR_ABORTED\)$/.test(error))).toEqual([]);
    await page.close();

    // The rows the beacons stored, read back once the demo has released its embedded database.
    expect(await demo.stop()).toBe(0);
    const report = spawnSync(
      path.join(ROOT, "node_modules", ".bin", "tsx"),
      ["scripts/cadence.ts", "offers", "report", "--shop", SHOP, "--format", "json"],
      {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, ...env, DATABASE_URL: "" },
      },
    );
    expect(report.stderr).toBe("");
    const offers = JSON.parse(report.stdout).offers as Array<{
      offer: { id: string };
      report: { arms: Record<string, { exposures: number }> };
      clicks: Record<string, number>;
      guest: { exposures: number };
    }>;
    const byId = new Map(offers.map((row) => [row.offer.id, row]));
    expect(byId.get("welcome")?.guest.exposures).toBe(1);
    expect(byId.get("win-back")?.report.arms.treatment?.exposures).toBe(1);
    const holdoutOffer = byId.get(holdout.query.offer as string);
    expect(holdoutOffer?.report.arms.holdout?.exposures).toBe(1);
    expect(offers.reduce((sum, row) => sum + (row.clicks.treatment ?? 0), 0)).toBe(1);
  });
});
