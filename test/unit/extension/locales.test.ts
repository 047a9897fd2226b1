import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { REASON_KEYS } from "~/storefront-contract/metafields";
import { SEGMENT_REASONS } from "~/offers/render-data";
import { EXTENSION_ROOT } from "./support/shopify-liquid";

// The extension's languages: every storefront locale is complete, has the plural forms its language needs, and
// has a sentence for every reason the contract allows.

const LOCALES_DIR = path.join(EXTENSION_ROOT, "locales");
const read = (file: string) =>
  JSON.parse(readFileSync(path.join(LOCALES_DIR, file), "utf8")) as Record<string, unknown>;
const storefront = readdirSync(LOCALES_DIR).filter((file) => file.endsWith(".json") && !file.endsWith(".schema.json"));
const schema = readdirSync(LOCALES_DIR).filter((file) => file.endsWith(".schema.json"));
const language = (file: string) => file.split(".")[0] as string;

function leaves(tree: unknown, prefix = ""): string[] {
  if (typeof tree === "string") return [prefix];
  const entries = Object.entries(tree as Record<string, unknown>);
  const plural = entries.every(([key]) => ["zero", "one", "two", "few", "many", "other"].includes(key));
  if (plural) return [prefix];
  return entries.flatMap(([key, value]) => leaves(value, prefix ? `${prefix}.${key}` : key));
}

test("English is the default and at least two more languages are complete", () => {
  expect(storefront).toContain("en.default.json");
  expect(storefront.length).toBeGreaterThanOrEqual(3);
  expect(schema).toContain("en.default.schema.json");
  expect(schema.map(language).sort()).toEqual(storefront.map(language).sort());
});

describe.each(storefront)("%s", (file) => {
  const translations = read(file);

  test("has exactly the keys of en.default.json", () => {
    expect(leaves(translations).sort()).toEqual(leaves(read("en.default.json")).sort());
  });

  test("has a reason sentence for every reason key the contract allows", () => {
    const reasons = (translations.cadence as { reason: Record<string, unknown> }).reason;
    expect(Object.keys(reasons).sort()).toEqual([...REASON_KEYS].sort());
  });

  test("pluralised sentences have every form the language needs", () => {
    const rules = new Intl.PluralRules(language(file));
    const needed = [...new Set([0, 1, 2, 3, 5, 11, 21, 100].map((n) => rules.select(n)))];
    const plurals = [
      (translations.cadence as { reason: Record<string, unknown> }).reason.first_order_anniversary,
      (translations.cadence as { progress: Record<string, unknown> }).progress.orders,
    ];
    for (const forms of plurals) expect(Object.keys(forms as object).sort()).toEqual(expect.arrayContaining(needed));
  });

  test("interpolates only the parameters the Liquid passes", () => {
    const placeholders = JSON.stringify(translations).match(/\{\{\s*\w+\s*\}\}/g) ?? [];
    expect(new Set(placeholders.map((placeholder) => placeholder.replace(/[{}\s]/g, "")))).toEqual(
      new Set(["tier", "count", "amount"]),
    );
  });
});

describe.each(schema)("%s", (file) => {
  test("has exactly the keys of en.default.schema.json", () => {
    expect(leaves(read(file)).sort()).toEqual(leaves(read("en.default.schema.json")).sort());
  });
});

test("every built-in segment with its own reason maps to a reason the contract allows", () => {
  for (const reason of Object.values(SEGMENT_REASONS)) expect(REASON_KEYS).toContain(reason);
});
