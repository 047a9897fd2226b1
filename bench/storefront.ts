import { JS_GZIP_BUDGET_BYTES, LOCALE_LIMIT_BYTES, javascriptSizes, localeSizes } from "./storefront-size";

// Storefront figures. Stage 1: the theme app extension's shipped JavaScript (gzipped, per file and in total,
// against the 2 KB budget) and its largest locale file (against Shopify's 15 KB limit). Stage 2 adds app-proxy
// latency and the preview page's layout shift. Last line: one JSON object.

const scripts = javascriptSizes();
const locales = localeSizes();
const totalGzip = scripts.reduce((sum, file) => sum + file.gzipBytes, 0);
const largestLocale = locales.reduce((largest, file) => (file.bytes > largest.bytes ? file : largest));

console.log("Theme app extension extensions/cadence-offers");
for (const file of scripts) console.log(`  ${file.file}: ${file.bytes} B, ${file.gzipBytes} B gzipped`);
console.log(`  JavaScript total: ${totalGzip} B gzipped of a ${JS_GZIP_BUDGET_BYTES} B budget (${((totalGzip / JS_GZIP_BUDGET_BYTES) * 100).toFixed(0)}%)`);
console.log(`  Largest locale: ${largestLocale.file}, ${largestLocale.bytes} B of Shopify's ${LOCALE_LIMIT_BYTES} B limit`);
console.log(
  JSON.stringify({
    bench: "storefront",
    jsGzipBytes: totalGzip,
    jsGzipBudgetBytes: JS_GZIP_BUDGET_BYTES,
    jsFiles: Object.fromEntries(scripts.map((file) => [file.file, { bytes: file.bytes, gzipBytes: file.gzipBytes }])),
    largestLocale: { file: largestLocale.file, bytes: largestLocale.bytes, limitBytes: LOCALE_LIMIT_BYTES },
  }),
);
