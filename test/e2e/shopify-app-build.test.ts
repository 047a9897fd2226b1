import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { bundleAccountExtension } from "~/storefront-preview/account-extension.server";

// Shopify's own check of the app: `shopify app build` from @shopify/cli (the dev dependency Shopify's app template has)
// loads shopify.app.toml and every extensions/*/shopify.extension.toml with the CLI's schemas, the same ones
// `shopify app deploy` applies, runs theme check, and bundles the UI extensions. It runs offline. It writes into the
// folder it builds, so it builds a copy of the app's configuration and extensions in a scratch folder.

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const CLI = path.join(ROOT, "node_modules", "@shopify", "cli", "bin", "run.js");
const APP_URL = "https://cadence.example.com";
const scratch: string[] = [];
afterAll(() => {
  for (const folder of scratch) rmSync(folder, { recursive: true, force: true });
});

function appCopy(): string {
  const folder = mkdtempSync(path.join(tmpdir(), "cadence-app-build-"));
  scratch.push(folder);
  cpSync(path.join(ROOT, "shopify.app.toml"), path.join(folder, "shopify.app.toml"));
  cpSync(path.join(ROOT, "extensions"), path.join(folder, "extensions"), {
    recursive: true,
    filter: (source) => !/[\\/](dist|node_modules)([\\/]|$)/.test(source),
  });
  writeFileSync(path.join(folder, "package.json"), JSON.stringify({ name: "cadence", private: true, type: "module" }));
  symlinkSync(path.join(ROOT, "node_modules"), path.join(folder, "node_modules"), "dir");
  return folder;
}

function build(folder: string) {
  // --skip-dependencies-installation: the CLI would otherwise run npm install against the scratch package.json. It
  // takes its working directory from INIT_CWD or PWD before process.cwd(): npm and Vitest set those to the checkout.
  const result = spawnSync(
    process.execPath,
    [CLI, "app", "build", "--skip-dependencies-installation", "--path", folder],
    {
      cwd: folder,
      encoding: "utf8",
      env: {
        ...process.env,
        INIT_CWD: folder,
        PWD: folder,
        SHOPIFY_APP_URL: APP_URL,
        CI: "1",
        SHOPIFY_CLI_NO_ANALYTICS: "1",
        NO_COLOR: "1",
      },
      timeout: 150_000,
    },
  );
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

describe("shopify app build", () => {
  test("accepts the app and every extension, and bundles the customer account block exactly as the preview does", async () => {
    const folder = appCopy();
    const { status, output } = build(folder);
    expect(status, output).toBe(0);
    expect(output).toMatch(/cadence-account successfully built/);
    // The bundle it would deploy is, byte for byte, the one the storefront preview runs and bench/customer-account-size.ts
    // measures (less the source-map comment).
    const built = readFileSync(path.join(folder, "extensions/cadence-account/dist/cadence-account.js"), "utf8");
    const ours = await bundleAccountExtension({
      appUrl: APP_URL,
      root: path.join(folder, "extensions/cadence-account"),
    });
    expect(built.replace(/\n\/\/# sourceMappingURL=\S+\n?$/, "\n")).toBe(ours);
    expect(built).toContain(APP_URL);
  });

  test("refuses a Flow trigger whose field key breaks Flow's rule (proof that the build checks the extensions)", () => {
    const folder = appCopy();
    const file = path.join(folder, "extensions", "customer-tier-changed", "shopify.extension.toml");
    writeFileSync(file, readFileSync(file, "utf8").replace('key = "Previous tier"', 'key = "previous_tier"'));
    const { status, output } = build(folder);
    expect(status).not.toBe(0);
    expect(output).toMatch(/only alphabetic characters/);
  });
});
