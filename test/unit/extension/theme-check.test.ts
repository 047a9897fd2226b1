import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { check } from "@shopify/theme-check-node";
import { expect, test } from "vitest";
import { EXTENSION_ROOT } from "./support/shopify-liquid";

// Shopify's own theme-check, with its theme-app-extension configuration, on the extension's absolute path.

const CONFIG = "theme-check:theme-app-extension";

test("theme-check reports zero offenses on the extension", { timeout: 60_000 }, async () => {
  expect(path.isAbsolute(EXTENSION_ROOT)).toBe(true);
  const offenses = await check(EXTENSION_ROOT, CONFIG);
  expect(offenses.map((offense) => `${offense.check} ${offense.uri}: ${offense.message}`)).toEqual([]);
});

test("theme-check does inspect the extension: an injected mistake is reported", { timeout: 60_000 }, async () => {
  const copy = mkdtempSync(path.join(tmpdir(), "cadence-theme-check-"));
  try {
    cpSync(EXTENSION_ROOT, copy, { recursive: true });
    writeFileSync(
      path.join(copy, "snippets", "cadence-broken.liquid"),
      "{{ 'cadence.not_a_key' | t }}<img src=\"{{ x }}\">{% include 'x' %}",
    );
    const offenses = await check(copy, CONFIG);
    expect(offenses.map((offense) => offense.check)).toEqual(
      expect.arrayContaining(["TranslationKeyExists", "ImgWidthAndHeight", "AppBlockValidTags"]),
    );
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
