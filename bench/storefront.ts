import { measureProxyLatency } from "./storefront-proxy";
import { JS_GZIP_BUDGET_BYTES, LOCALE_LIMIT_BYTES, javascriptSizes, localeSizes } from "./storefront-size";

// Storefront figures: the theme app extension's shipped JavaScript (gzipped, per file and in total, against the
// 2 KB budget) and its largest locale file (against Shopify's 15 KB limit); app-proxy latency at 200 requests a
// second on PostgreSQL (target p99 < 20 ms); the storefront preview's cumulative layout shift (target 0).
// Last line: one JSON object. `--skip-proxy` prints the size figures only (no PostgreSQL or Chromium needed).

const scripts = javascriptSizes();
const locales = localeSizes();
const totalGzip = scripts.reduce((sum, file) => sum + file.gzipBytes, 0);
const largestLocale = locales.reduce((largest, file) => (file.bytes > largest.bytes ? file : largest));

console.log("Theme app extension extensions/cadence-offers");
for (const file of scripts) console.log(`  ${file.file}: ${file.bytes} B, ${file.gzipBytes} B gzipped`);
console.log(
  `  JavaScript total: ${totalGzip} B gzipped of a ${JS_GZIP_BUDGET_BYTES} B budget (${(
    (totalGzip / JS_GZIP_BUDGET_BYTES) *
    100
  ).toFixed(0)}%)`,
);
console.log(
  `  Largest locale: ${largestLocale.file}, ${largestLocale.bytes} B of Shopify's ${LOCALE_LIMIT_BYTES} B limit`,
);

// `--rate N` and `--seconds N` change the load (default 200 req/s for 15 s).
const option = (name: string) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : undefined;
};
const proxy = process.argv.includes("--skip-proxy")
  ? null
  : await measureProxyLatency({ ratePerSecond: option("--rate"), seconds: option("--seconds") });
if (proxy) {
  console.log(
    `App proxy on PostgreSQL, ${proxy.ratePerSecond} req/s for ${proxy.seconds} s (achieved ${proxy.achievedPerSecond}/s, ${proxy.failures} failures)`,
  );
  console.log(`  beacons (POST /apps/cadence/events): p50 ${proxy.beacon.p50Ms} ms, p99 ${proxy.beacon.p99Ms} ms`);
  console.log(`  offer JSON (GET /apps/cadence/offer): p50 ${proxy.offer.p50Ms} ms, p99 ${proxy.offer.p99Ms} ms`);
  console.log(`  all: p50 ${proxy.all.p50Ms} ms, p99 ${proxy.all.p99Ms} ms (target p99 < 20 ms)`);
  console.log(`  server CPU: ${proxy.serverCpuMsPerRequest} ms per request`);
  console.log(
    `Storefront preview cumulative layout shift: guest ${proxy.layoutShift.guest}, customer ${proxy.layoutShift.customer} (target 0)`,
  );
}
console.log(
  JSON.stringify({
    bench: "storefront",
    jsGzipBytes: totalGzip,
    jsGzipBudgetBytes: JS_GZIP_BUDGET_BYTES,
    jsFiles: Object.fromEntries(scripts.map((file) => [file.file, { bytes: file.bytes, gzipBytes: file.gzipBytes }])),
    largestLocale: { file: largestLocale.file, bytes: largestLocale.bytes, limitBytes: LOCALE_LIMIT_BYTES },
    ...(proxy
      ? {
          proxy: {
            ratePerSecond: proxy.ratePerSecond,
            seconds: proxy.seconds,
            requests: proxy.requests,
            failures: proxy.failures,
            achievedPerSecond: proxy.achievedPerSecond,
            serverCpuMsPerRequest: proxy.serverCpuMsPerRequest,
            beacon: proxy.beacon,
            offer: proxy.offer,
            all: proxy.all,
            targetP99Ms: 20,
          },
          previewCls: proxy.layoutShift,
        }
      : {}),
  }),
);
process.exit(0);
