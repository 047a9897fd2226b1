import { brotliCompressSync, gzipSync } from "node:zlib";
import { bundleAccountExtension } from "../app/storefront-preview/account-extension.server";

// Size of the customer account extension's script (extensions/cadence-account/) as Shopify CLI builds it: Preact,
// @preact/signals (which @shopify/ui-extensions/preact wires to the host's signals) and Cadence's block. Shopify CLI
// reports a build's size brotli-compressed and refuses UI extension bundles over 64 KB; Cadence's own budget is
// 12 KB gzipped. Shared by `npm run bench:customer-account` (printed with the theme script's figures in
// bench/storefront.ts) and the unit test that enforces the budget.

export const ACCOUNT_GZIP_BUDGET_BYTES = 12 * 1024;
/** Shopify's limit on a UI extension's compiled script. */
export const SHOPIFY_UI_EXTENSION_LIMIT_BYTES = 64 * 1024;

export interface BundleSize {
  bytes: number;
  gzipBytes: number;
  brotliBytes: number;
}

export async function accountBlockSize(): Promise<BundleSize> {
  const code = Buffer.from(await bundleAccountExtension({ appUrl: "https://cadence.example.com" }));
  return { bytes: code.length, gzipBytes: gzipSync(code).length, brotliBytes: brotliCompressSync(code).length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const size = await accountBlockSize();
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log("customer account block (extensions/cadence-account), as Shopify CLI bundles it:");
  console.log(
    `  minified ${kb(size.bytes)} · gzip ${kb(size.gzipBytes)} (budget ${kb(ACCOUNT_GZIP_BUDGET_BYTES)}) · brotli ${kb(
      size.brotliBytes,
    )} (Shopify's limit ${kb(SHOPIFY_UI_EXTENSION_LIMIT_BYTES)})`,
  );
}
