import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import type { Browser, Page } from "playwright-core";

// A real browser for end-to-end tests, driven by playwright-core (which never downloads a browser of its own): the
// Chromium that @sparticuz/chromium ships inside its npm package, so the tests need nothing but npm, and every machine
// runs the same build. CADENCE_CHROMIUM names another Chromium instead (Debian's, say). The flags keep it from reaching
// for Google's servers, which an offline machine refuses.

const require = createRequire(import.meta.url);
const PACKAGE_ROOT = path.resolve(path.dirname(require.resolve("@sparticuz/chromium")), "..");
const VERSION = (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string })
  .version;
/** Where the package's compressed browser is unpacked, once per version and machine. */
const UNPACKED = path.join(tmpdir(), `cadence-chromium-${VERSION}`);

export interface ChromiumBuild {
  executablePath: string;
  /** What the browser process needs in its environment: its fonts, and its NSS libraries for hosts without them. */
  env: Record<string, string>;
}

function unpackedBuild(): ChromiumBuild {
  return {
    executablePath: path.join(UNPACKED, "chromium"),
    env: {
      FONTCONFIG_PATH: path.join(UNPACKED, "fonts"),
      LD_LIBRARY_PATH: [path.join(UNPACKED, "al2023", "lib"), process.env.LD_LIBRARY_PATH].filter(Boolean).join(":"),
    },
  };
}

/**
 * Unpacks the npm Chromium (brotli archives: the browser, its fonts, SwiftShader, and the NSS libraries built for
 * Amazon Linux, which run on any glibc Linux) unless already there. Staged in a folder of this process's own and
 * renamed into place, so a run killed halfway, or two runs at once, never leave a half-written browser behind.
 */
export async function ensureChromium(): Promise<ChromiumBuild> {
  if (process.env.CADENCE_CHROMIUM) return { executablePath: process.env.CADENCE_CHROMIUM, env: {} };
  if (existsSync(path.join(UNPACKED, "chromium"))) return unpackedBuild();
  const { inflate } = await import("@sparticuz/chromium");
  const staging = `${UNPACKED}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  // The package unpacks into os.tmpdir(), which follows TMPDIR: pointed at the staging folder for the duration.
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = staging;
  try {
    const bin = path.join(PACKAGE_ROOT, "bin");
    await Promise.all(
      ["chromium.br", "fonts.tar.br", "swiftshader.tar.br", "al2023.tar.br"].map((file) =>
        inflate(path.join(bin, file)),
      ),
    );
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  }
  try {
    renameSync(staging, UNPACKED);
  } catch (error) {
    // Another run got there first with the same build.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(path.join(UNPACKED, "chromium"))) throw error;
  }
  return unpackedBuild();
}

export async function launchBrowser(): Promise<Browser> {
  const build = await ensureChromium();
  return chromium.launch({
    executablePath: build.executablePath,
    headless: true,
    env: { ...process.env, ...build.env },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
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
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource"))
      errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("requestfailed", (request) => {
    if (!OFFLINE_HOSTS.has(new URL(request.url()).hostname))
      errors.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return errors;
}
