import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { check } from "@shopify/theme-check-node";
import { afterAll, describe, expect, test } from "vitest";

// Shopify's own theme-check, with its theme-app-extension configuration, on the extension's absolute path.
const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");
const EXTENSION = path.join(ROOT, "extensions", "cadence-offers");
const CONFIG = path.join(ROOT, "node_modules", "@shopify", "theme-check-node", "configs", "theme-app-extension.yml");
const scratch = mkdtempSync(path.join(tmpdir(), "cadence-theme-check-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("theme-check", () => {
  test("reports no offense on the theme app extension", async () => {
    const offenses = await check(EXTENSION, CONFIG);
    expect(offenses.map((offense) => `${offense.check}: ${offense.message} (${offense.uri})`)).toEqual([]);
  }, 60_000);

  test("does report offenses when the extension has them (the check is not vacuous)", async () => {
    const copy = path.join(scratch, "cadence-offers");
    cpSync(EXTENSION, copy, { recursive: true });
    writeFileSync(path.join(copy, "blocks", "broken.liquid"), `<p>{{ 'offer.no_such_key' | t }}</p>\n{% schema %}\n{"name": "Broken", "target": "section"}\n{% endschema %}\n`);
    const offenses = await check(copy, CONFIG);
    expect(offenses.map((offense) => offense.check)).toContain("TranslationKeyExists");
  }, 60_000);
});
