import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";

// The offer logic and the contract are plain TypeScript: usable from the CLI, the publisher and the routes alike,
// with no Remix, Prisma or Shopify import (app/segments is pure by the same rule). `*.server.ts` files are the
// persistence edge (Prisma) and are exempt.

const ALLOWED = [
  /^\.\.?\//,
  /^~\/(offers|storefront-contract\/metafields|money\/(decimal|format)|segments\/classify)(\/|$)/,
  /^zod$/,
  /^node:crypto$/,
  /^@stdlib\/stats-base-dists-(normal|t)-quantile$/,
];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? files(path.join(dir, entry.name))
      : entry.name.endsWith(".ts") && !entry.name.endsWith(".server.ts")
        ? [path.join(dir, entry.name)]
        : [],
  );
}

test("app/offers and app/storefront-contract/metafields.ts import nothing from Remix, Prisma or Shopify", () => {
  const sources = [...files("app/offers"), "app/storefront-contract/metafields.ts"];
  expect(sources.length).toBeGreaterThan(8);
  for (const file of sources) {
    const imports = [...readFileSync(file, "utf8").matchAll(/^import[^"']*["']([^"']+)["']/gm)].map(
      (match) => match[1] as string,
    );
    for (const specifier of imports)
      expect(
        ALLOWED.some((pattern) => pattern.test(specifier)),
        `${file} imports ${specifier}`,
      ).toBe(true);
  }
});
