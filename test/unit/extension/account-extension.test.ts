import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { coerceInputValue } from "graphql";
import type { GraphQLInputType } from "graphql";
import { parse } from "smol-toml";
import { describe, expect, test } from "vitest";
import { ACCOUNT_KEYS } from "../../../extensions/cadence-account/src/model";
import {
  ACCOUNT_GZIP_BUDGET_BYTES,
  accountBlockSize,
  SHOPIFY_UI_EXTENSION_LIMIT_BYTES,
} from "../../../bench/customer-account-size";
import { CUSTOMER_METAFIELDS, metafieldDefinitionInputs } from "~/storefront-contract/metafields";
import { ACCOUNT_EXTENSION_ROOT, accountExtensionConfig } from "~/storefront-preview/account-extension.server";
import { loadAdminSchema } from "../../support/admin-schema";
import { EXTENSION_ROOT as THEME_ROOT } from "./support/shopify-liquid";

// The customer account extension's configuration against Shopify's documented rules (app extension configuration,
// customer account UI extension configuration and targets; Shopify CLI enforces the same when it builds), its
// locales against the theme extension's words, its metafields' access, and its size budget.

const config = accountExtensionConfig();
const [extension] = config.extensions;
const UI_EXTENSIONS = path.resolve("node_modules/@shopify/ui-extensions");

describe("shopify.extension.toml", () => {
  test("one ui_extension with a handle Shopify accepts: at most 30 characters, lower-case letters, digits and dashes", () => {
    expect(config.extensions).toHaveLength(1);
    expect(extension!.type).toBe("ui_extension");
    expect(extension!.handle.length).toBeLessThanOrEqual(30);
    expect(extension!.handle).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(extension!.name.trim()).not.toBe("");
    expect(extension!.handle).not.toBe(
      parse(readFileSync(path.join(THEME_ROOT, "shopify.extension.toml"), "utf8")).handle ?? "cadence-offers",
    );
  });

  test("its api_version is the @shopify/ui-extensions version it is built with, a stable release (YYYY-MM, quarterly)", () => {
    const version = JSON.parse(readFileSync(path.join(UI_EXTENSIONS, "package.json"), "utf8")).version as string;
    const [year, month] = version.split(".");
    expect(config.api_version).toBe(`${year}-${month!.padStart(2, "0")}`);
    expect(config.api_version).toMatch(/^\d{4}-(01|04|07|10)$/);
    // The Customer Account API the block queries is the same version.
    expect(readFileSync(path.join(ACCOUNT_EXTENSION_ROOT, "src/shopify-data.ts"), "utf8")).toContain(
      `shopify://customer-account/api/${config.api_version}/graphql.json`,
    );
  });

  test("every target is a customer account target of that version, and its module exists and exports the extension", () => {
    expect(extension!.targeting.map((target) => target.target)).toEqual(["customer-account.profile.block.render"]);
    for (const { target, module } of extension!.targeting) {
      expect(
        existsSync(path.join(UI_EXTENSIONS, "build/ts/surfaces/customer-account/targets", `${target}.d.ts`)),
        target,
      ).toBe(true);
      const source = readFileSync(path.join(ACCOUNT_EXTENSION_ROOT, module), "utf8");
      expect(source).toMatch(/export default async function/);
    }
  });

  test("capabilities are ones Shopify documents for customer account extensions, each used", () => {
    expect(Object.keys(extension!.capabilities ?? {}).sort()).toEqual(["api_access", "network_access"]);
    const sources = ["shopify-data.ts", "preferences.ts"]
      .map((file) => readFileSync(path.join(ACCOUNT_EXTENSION_ROOT, "src", file), "utf8"))
      .join("\n");
    expect(sources).toMatch(/api\.query/); // api_access: the Storefront API
    expect(sources).toMatch(/customer-account\/preferences/); // network_access: Cadence's backend
  });

  test("it declares no [[extensions.metafields]]: those reach order-status targets only; the profile block reads through the Customer Account API", () => {
    expect(extension!.metafields ?? []).toEqual([]);
  });
});

describe("metafield access", () => {
  test("every customer metafield the block reads has a definition granting the Customer Account API read access; no other does", () => {
    const readable = Object.values(CUSTOMER_METAFIELDS)
      .filter((field) => field.customerAccount === "READ")
      .map((field) => field.key);
    expect(readable.sort()).toEqual([...ACCOUNT_KEYS].sort());
    const input = loadAdminSchema().getType("MetafieldDefinitionInput") as GraphQLInputType;
    for (const definition of metafieldDefinitionInputs()) {
      expect(() => coerceInputValue(definition, input), definition.key).not.toThrow();
      if (definition.ownerType === "CUSTOMER")
        expect(definition.access.customerAccount, definition.key).toBe(
          (ACCOUNT_KEYS as readonly string[]).includes(definition.key) ? "READ" : "NONE",
        );
    }
  });
});

describe("locales", () => {
  const read = (root: string, file: string) =>
    JSON.parse(readFileSync(path.join(root, "locales", file), "utf8")) as { cadence: Record<string, unknown> };
  const files = { en: "en.default.json", fr: "fr.json", de: "de.json" } as const;

  test.each(Object.entries(files))(
    "%s: every sentence the block shares with the theme block is the theme block's, word for word",
    (_language, file) => {
      const account = read(ACCOUNT_EXTENSION_ROOT, file).cadence;
      const theme = read(THEME_ROOT, file).cadence;
      for (const [section, strings] of Object.entries(account)) {
        if (section === "account") continue;
        const themeSection = theme[section] as Record<string, unknown>;
        for (const [key, value] of Object.entries(strings as Record<string, unknown>))
          expect(value, `${section}.${key}`).toEqual(themeSection[key]);
      }
      for (const section of ["reason", "progress", "why", "preference"])
        expect(account[section]).toEqual(theme[section]);
    },
  );

  test("every language has exactly English's keys, including the block's own heading and tier line", () => {
    const keys = (tree: unknown, prefix = ""): string[] =>
      typeof tree === "string" ||
      Object.keys(tree as object).every((key) => ["one", "other", "few", "many", "two", "zero"].includes(key))
        ? [prefix]
        : Object.entries(tree as Record<string, unknown>).flatMap(([key, value]) =>
            keys(value, prefix ? `${prefix}.${key}` : key),
          );
    const english = keys(read(ACCOUNT_EXTENSION_ROOT, files.en)).sort();
    expect(english).toEqual(expect.arrayContaining(["cadence.account.heading", "cadence.account.tier"]));
    for (const file of [files.fr, files.de]) expect(keys(read(ACCOUNT_EXTENSION_ROOT, file)).sort()).toEqual(english);
  });
});

test(`the block's script, as Shopify CLI builds it, is at most ${
  ACCOUNT_GZIP_BUDGET_BYTES / 1024
} KB gzipped (Shopify's limit: 64 KB)`, async () => {
  const size = await accountBlockSize();
  expect(size.gzipBytes).toBeGreaterThan(1024);
  expect(size.gzipBytes).toBeLessThanOrEqual(ACCOUNT_GZIP_BUDGET_BYTES);
  expect(size.bytes).toBeLessThan(SHOPIFY_UI_EXTENSION_LIMIT_BYTES);
});
