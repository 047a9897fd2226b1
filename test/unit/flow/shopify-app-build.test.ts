import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { ROOT } from "./extension-files";

// Shopify's own check of every extension: `shopify app build` from @shopify/cli (the dev dependency Shopify's app
// template has) loads shopify.app.toml and each extensions/*/shopify.extension.toml with the CLI's schemas, the same
// ones `shopify app deploy` applies, and builds them. It runs offline. It writes a .shopify folder where it runs,
// so it runs on a copy of the app's configuration and extensions in a scratch folder.

const CLI = path.join(ROOT, "node_modules", "@shopify", "cli", "bin", "run.js");
const scratch: string[] = [];
afterAll(() => {
  for (const folder of scratch) rmSync(folder, { recursive: true, force: true });
});

function appCopy(): string {
  const folder = mkdtempSync(path.join(tmpdir(), "cadence-app-build-"));
  scratch.push(folder);
  cpSync(path.join(ROOT, "shopify.app.toml"), path.join(folder, "shopify.app.toml"));
  cpSync(path.join(ROOT, "extensions"), path.join(folder, "extensions"), { recursive: true });
  writeFileSync(path.join(folder, "package.json"), JSON.stringify({ name: "cadence-build-check", private: true, version: "0.0.0" }));
  return folder;
}

function build(folder: string) {
  const result = spawnSync(process.execPath, [CLI, "app", "build", "--path", folder, "--skip-dependencies-installation"], {
    encoding: "utf8",
    env: { ...process.env, SHOPIFY_CLI_NO_ANALYTICS: "1", CI: "1", NO_COLOR: "1" },
    timeout: 120_000,
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

describe("shopify app build", () => {
  test("accepts the app and every extension", () => {
    const { status, output } = build(appCopy());
    expect(output).toContain("built!");
    expect(status, output).toBe(0);
  }, 180_000);

  test("refuses a trigger whose field key breaks Flow's rule (a proof the build checks Flow extensions)", () => {
    const folder = appCopy();
    const file = path.join(folder, "extensions", "customer-tier-changed", "shopify.extension.toml");
    writeFileSync(file, readFileSync(file, "utf8").replace('key = "Previous tier"', 'key = "previous_tier"'));
    const { status, output } = build(folder);
    expect(status).not.toBe(0);
    expect(output).toMatch(/only alphabetic characters/);
  }, 180_000);
});
