import { expect, test } from "vitest";
import { JS_GZIP_BUDGET_BYTES, LOCALE_LIMIT_BYTES, javascriptSizes, localeSizes } from "../../../bench/storefront-size";

// A size budget is not a timing, so it is a test: all JavaScript the extension ships, gzipped, fits in 2 KB.

test("the extension ships JavaScript, and all of it gzipped is at most 2 KB", () => {
  const sizes = javascriptSizes();
  expect(sizes.map((size) => size.file)).toContain("assets/cadence-offers.js");
  const total = sizes.reduce((sum, size) => sum + size.gzipBytes, 0);
  expect(total).toBeGreaterThan(0);
  expect(total).toBeLessThanOrEqual(JS_GZIP_BUDGET_BYTES);
});

test("every locale file is under Shopify's 15 KB limit", () => {
  const sizes = localeSizes();
  expect(sizes.length).toBeGreaterThanOrEqual(4);
  for (const size of sizes) expect(size.bytes, size.file).toBeLessThan(LOCALE_LIMIT_BYTES);
});
