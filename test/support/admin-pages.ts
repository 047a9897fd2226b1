import type { Page } from "playwright-core";

// Opening the embedded admin's pages in the demo's local shell, as the e2e tests do.

/** Waits for a page's title, then for React to take over the server's HTML: clicks, typing and screenshots before
 * that race the hydration. */
export async function waitForAdminPage(page: Page, title: string | RegExp): Promise<void> {
  await page.getByRole("heading", { level: 1, name: title }).waitFor();
  await page.waitForFunction(() =>
    Object.keys(document.querySelector("h1") ?? {}).some((key) => key.startsWith("__reactFiber")),
  );
}

/** Opens an admin page as Shopify's admin would (a fresh session token in the shell's URL) and waits until it is live. */
export async function openAdminPage(
  page: Page,
  shellUrl: string,
  adminPath: string,
  title: string | RegExp,
  shop?: string,
): Promise<void> {
  const url = new URL(shellUrl);
  if (shop) url.searchParams.set("shop", shop);
  url.searchParams.set("path", adminPath);
  await page.goto(url.toString());
  await waitForAdminPage(page, title);
}
