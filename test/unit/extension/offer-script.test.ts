import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { launchBrowser } from "../../support/browser";
import { GUEST_OFFER, holdoutCustomerId, offerById, published, treatmentCustomerId } from "./support/fixtures";
import { renderStorefront } from "./support/storefront";
import { startStorefrontServer } from "./support/storefront-server";
import type { StorefrontServer } from "./support/storefront-server";

// The extension's one script in real Chromium, on block HTML rendered from the Liquid: exposure when the block
// comes into view, clicks, the opt-out control by keyboard, the banner, and no layout shift.

vi.setConfig({ testTimeout: 20_000 });

let browser: Browser;
let server: StorefrontServer;
const gold = offerById("gold-members");
const treatment = treatmentCustomerId(gold);

beforeAll(async () => {
  server = await startStorefrontServer();
  browser = await launchBrowser();
  const goldHtml = (
    await renderStorefront({
      customer: { id: treatment, values: published({ customerId: treatment, tier: "gold" }).values },
    })
  ).html;
  server.pages.set("gold", { html: goldHtml });
  server.pages.set("gold-below-the-fold", { html: goldHtml, above: '<div style="height:150vh"></div>' });
  server.pages.set("gold-tall", {
    html: goldHtml,
    above: '<div style="height:150vh"></div>',
    head: "<style>.cadence-offer{min-height:400vh}</style>",
  });
  const held = holdoutCustomerId(gold);
  const heldValues = published({ customerId: held, tier: "gold" }).values;
  server.pages.set("banner-holdout", {
    html: (await renderStorefront({ customer: { id: held, values: heldValues } }, "offer-banner.liquid")).html,
  });
  server.pages.set("banner-guest", {
    html: (await renderStorefront({ guestOffer: GUEST_OFFER }, "offer-banner.liquid")).html,
  });
  const optedOut = published({ customerId: treatment, tier: "gold", optedOut: true }).values;
  server.pages.set("opted-out", {
    html: (await renderStorefront({ customer: { id: treatment, values: optedOut } })).html,
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

beforeEach(() => {
  server.requests.length = 0;
  server.preferenceStatus = 200;
});

async function open(name: string, init?: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
  await page.addInitScript(() => {
    (window as unknown as { cadenceShift: number }).cadenceShift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as Array<PerformanceEntry & { value: number; hadRecentInput: boolean }>) {
        if (!entry.hadRecentInput) (window as unknown as { cadenceShift: number }).cadenceShift += entry.value;
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
  if (init) await page.addInitScript(init);
  await page.goto(`${server.origin}/page/${name}`);
  return page;
}

const events = () => server.requests.filter((request) => request.path === "/apps/cadence/events");

async function until(condition: () => boolean, what: string) {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("exposure and click beacons", () => {
  test("exposure is sent once the block is half in view, with only the offer, arm and surface", async () => {
    const page = await open("gold-below-the-fold");
    await page.waitForLoadState("load");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events()).toEqual([]);
    await page.locator("section.cadence-offer").scrollIntoViewIfNeeded();
    await until(() => events().length === 1, "the exposure beacon");
    expect(events()[0]).toEqual({
      method: "POST",
      path: "/apps/cadence/events",
      query: { type: "exposure", offer: "gold-members", arm: "treatment", surface: "block" },
      body: "",
    });
    await page.mouse.wheel(0, -2000);
    await page.locator("section.cadence-offer").scrollIntoViewIfNeeded();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(events()).toHaveLength(1);
    await page.close();
  });

  test("a block taller than two screens counts as seen once it fills half the screen", async () => {
    const page = await open("gold-tall");
    await page.waitForLoadState("load");
    await page.evaluate(() => window.scrollTo(0, innerHeight * 0.9));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events()).toEqual([]);
    await page.evaluate(() => window.scrollTo(0, innerHeight * 1.5));
    await until(() => events().length === 1, "the exposure beacon");
    expect(events()[0]?.query.type).toBe("exposure");
    await page.close();
  });

  test("a click on the call to action is reported as the page navigates away", async () => {
    const page = await open("gold");
    await until(() => events().length === 1, "the exposure beacon");
    await Promise.all([
      page.waitForURL(`${server.origin}/collections/new`),
      page.locator("a.cadence-offer__cta").click(),
    ]);
    await until(() => events().length === 2, "the click beacon");
    expect(events()[1]?.query).toEqual({ type: "click", offer: "gold-members", arm: "treatment", surface: "block" });
    expect(JSON.stringify(server.requests)).not.toContain(treatment);
    await page.close();
  });

  test("no beacon is sent when the shopper declined analytics through Shopify's Customer Privacy API", async () => {
    const page = await open(
      "gold",
      "window.Shopify = { customerPrivacy: { analyticsProcessingAllowed: () => false } }",
    );
    await page.waitForLoadState("load");
    await page.locator("a.cadence-offer__cta").click();
    await page.waitForURL(`${server.origin}/collections/new`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events()).toEqual([]);
    await page.close();
  });
});

describe("opt-out control", () => {
  test("works by keyboard, announces the result, flips to opting back in, and shifts nothing", async () => {
    const page = await open("gold");
    await page.waitForLoadState("load");
    await page.locator(".cadence-offer__why summary").focus();
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    const button = page.locator("form[data-cadence-preference] button");
    expect(await button.evaluate((element) => element === document.activeElement)).toBe(true);
    // The keyboard focus ring is drawn (white inside near-black), whatever the merchant's colours.
    expect(await button.evaluate((element) => getComputedStyle(element).boxShadow)).toContain("rgb(28, 28, 28)");
    expect(await button.evaluate((element) => getComputedStyle(element).outlineColor)).toBe("rgb(255, 255, 255)");
    await page.keyboard.press("Enter");
    const status = page.locator("form[data-cadence-preference] [role=status]");
    await status.filter({ hasText: "Done." }).waitFor();
    expect(await status.textContent()).toBe("Done. You’ll see general offers from now on.");
    expect(await button.textContent()).toBe("Turn personalised offers back on");
    expect(await button.evaluate((element) => element === document.activeElement)).toBe(true);
    await page.keyboard.press("Enter");
    await status.filter({ hasText: "back on" }).waitFor();
    expect(await button.textContent()).toBe("Stop personalised offers");
    const preferences = server.requests.filter((request) => request.path === "/apps/cadence/preferences");
    expect(preferences.map((request) => [request.method, request.query.personalised, request.body])).toEqual([
      ["POST", "0", ""],
      ["POST", "1", ""],
    ]);
    expect(await page.evaluate(() => (window as unknown as { cadenceShift: number }).cadenceShift)).toBe(0);
    await page.close();
  });

  test("a failed request says so and leaves the control as it was", async () => {
    server.preferenceStatus = 500;
    const page = await open("opted-out");
    await page.waitForLoadState("load");
    await page.locator(".cadence-offer__why summary").click();
    await page.locator("form[data-cadence-preference] button").click();
    const status = page.locator("form[data-cadence-preference] [role=status]");
    await status.filter({ hasText: "Sorry" }).waitFor();
    expect(await page.locator("form[data-cadence-preference] button").textContent()).toBe(
      "Turn personalised offers back on",
    );
    expect(await page.locator("form[data-cadence-preference]").getAttribute("action")).toBe(
      "/apps/cadence/preferences?personalised=1",
    );
    await page.close();
  });
});

describe("banner and layout", () => {
  test("a held-out shopper's invisible banner stand-in reports the holdout exposure on load", async () => {
    const page = await open("banner-holdout");
    await until(() => events().length === 1, "the holdout exposure");
    expect(events()[0]?.query).toEqual({ type: "exposure", offer: "gold-members", arm: "holdout", surface: "banner" });
    await page.close();
  });

  test("the banner closes and stays closed for the session, without moving the page", async () => {
    const page = await open("banner-guest");
    const banner = page.locator("aside.cadence-offer--banner");
    await banner.waitFor();
    await page.locator("button[data-cadence-close]").click();
    await banner.waitFor({ state: "hidden" });
    await page.reload();
    await page.waitForLoadState("load");
    await banner.waitFor({ state: "hidden" });
    expect(await page.evaluate(() => (window as unknown as { cadenceShift: number }).cadenceShift)).toBe(0);
    await page.close();
  });

  test("loading and scrolling the offer page causes no layout shift", async () => {
    const page = await open("gold");
    await page.waitForLoadState("load");
    await page.mouse.wheel(0, 800);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await page.evaluate(() => (window as unknown as { cadenceShift: number }).cadenceShift)).toBe(0);
    await page.close();
  });
});
