// bench/admin, second half: the dashboard's Largest Contentful Paint and Cumulative Layout Shift in Chromium, on the
// demo shop (`npm run demo`'s server and data, opened through its local admin shell as Shopify's admin would open
// it). Five cold page loads, each in a fresh browser context; medians. Prints one JSON line.
//   tsx bench/admin/dashboard-vitals.ts [RUNS]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { launchBrowser, newPage } from "../../test/support/browser.ts";
import { startDemo } from "../../test/support/demo-process.ts";

const runs = Number(process.argv[2] ?? 5);
const dataDir = mkdtempSync(path.join(tmpdir(), "cadence-bench-admin-"));
const demo = startDemo(["--shop", "bench-admin.myshopify.com", "--customers", "200"], {
  CADENCE_DATA_DIR: dataDir,
  CADENCE_LOG_LEVEL: "warn",
  PORT: process.env.PORT ?? "4290",
});
const browser = await launchBrowser();
try {
  const [, shellUrl] = (await demo.waitFor(/Admin \(embedded pages, local shell\):\s+(\S+)/)) as [string, string];
  await demo.waitFor(/: \d+ orders, \d+ customers/);
  const samples: { lcpMs: number; cls: number }[] = [];
  for (let run = 0; run < runs + 1; run += 1) {
    const page = await newPage(browser);
    await page.addInitScript(() => {
      const vitals = { lcp: 0, cls: 0 };
      (window as unknown as { __vitals: typeof vitals }).__vitals = vitals;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) vitals.lcp = entry.startTime;
      }).observe({ type: "largest-contentful-paint", buffered: true });
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[])
          if (!entry.hadRecentInput) vitals.cls += entry.value;
      }).observe({ type: "layout-shift", buffered: true });
    });
    await page.goto(`${shellUrl}&path=/app`, { waitUntil: "load" });
    await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
    // Charts draw after hydration: wait for them, then a moment for late shifts.
    await page.locator("[inert] svg").first().waitFor();
    await page.waitForTimeout(1500);
    const vitals = await page.evaluate(
      () => (window as unknown as { __vitals: { lcp: number; cls: number } }).__vitals,
    );
    if (run > 0) samples.push({ lcpMs: vitals.lcp, cls: vitals.cls }); // the first load warms the server's build cache
    console.error(
      `run ${run}: LCP ${vitals.lcp.toFixed(0)} ms, CLS ${vitals.cls.toFixed(4)}${run === 0 ? " (warm-up)" : ""}`,
    );
    await page.context().close();
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  console.log(
    JSON.stringify({
      runs,
      lcpMedianMs: Math.round(median(samples.map((s) => s.lcpMs))),
      clsMedian: Number(median(samples.map((s) => s.cls)).toFixed(4)),
      clsMax: Number(Math.max(...samples.map((s) => s.cls)).toFixed(4)),
    }),
  );
} finally {
  await browser.close();
  await demo.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
