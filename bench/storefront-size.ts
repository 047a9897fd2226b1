import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

// Size figures of the theme app extension: every JavaScript asset gzipped (the storefront budget is 2 KB in
// total) and the locale files (Shopify's limit is 15 KB each). Shared by bench/storefront.ts and the unit test
// that enforces the budget.

export const EXTENSION_DIR = path.resolve(import.meta.dirname, "../extensions/cadence-offers");
export const JS_GZIP_BUDGET_BYTES = 2048;
export const LOCALE_LIMIT_BYTES = 15 * 1024;

export interface FileSize {
  file: string;
  bytes: number;
  gzipBytes: number;
}

/** Gzip at zlib's default level (6), a little larger than -9: the budget holds whatever level the CDN uses. */
export function javascriptSizes(root = EXTENSION_DIR): FileSize[] {
  const assets = path.join(root, "assets");
  return readdirSync(assets)
    .filter((file) => file.endsWith(".js"))
    .sort()
    .map((file) => {
      const source = readFileSync(path.join(assets, file));
      return { file: `assets/${file}`, bytes: source.length, gzipBytes: gzipSync(source).length };
    });
}

export function localeSizes(root = EXTENSION_DIR): Array<{ file: string; bytes: number }> {
  const locales = path.join(root, "locales");
  return readdirSync(locales)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => ({ file: `locales/${file}`, bytes: statSync(path.join(locales, file)).size }));
}
