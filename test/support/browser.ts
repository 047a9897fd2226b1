import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

// A real browser for end-to-end tests: Debian's Chromium, driven by playwright-core (which never downloads a
// browser of its own). The flags keep it from reaching for Google's servers, which this network refuses.

export const CHROMIUM_PATH = process.env.CADENCE_CHROMIUM ?? "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium (as .ci/run does), or set CADENCE_CHROMIUM.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/**
 * A page with Chrome's ordinary user agent. Headless Chromium announces itself as "HeadlessChrome", which
 * Shopify's library treats as a bot and answers 410 on admin routes; a merchant's browser never does.
 */
export async function newPage(browser: Browser): Promise<Page> {
  const probe = await browser.newPage();
  const userAgent = (await probe.evaluate(() => navigator.userAgent)).replace("HeadlessChrome", "Chrome");
  await probe.close();
  const context = await browser.newContext({ userAgent, viewport: { width: 1280, height: 900 } });
  return context.newPage();
}

// Shopify's CDN (Polaris' Inter font, preconnects) is unreachable from this offline machine; inside Shopify's
// admin it loads. Only failures to reach these hosts are expected; any other failed request is an error.
const OFFLINE_HOSTS = new Set(["cdn.shopify.com"]);

/**
 * Collects what the page reports as errors (console.error, uncaught exceptions, failed or 4xx/5xx requests), for
 * the test to assert none.
 */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    // Network failures are reported once, with their URL, by the listeners below.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("requestfailed", (request) => {
    if (!OFFLINE_HOSTS.has(new URL(request.url()).hostname)) errors.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return errors;
}
