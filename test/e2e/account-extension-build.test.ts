import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { bundleAccountExtension } from "~/storefront-preview/account-extension.server";

// Shopify CLI's own `shopify app build` (offline, from the npm package) on a copy of the app: it accepts both
// extensions' configuration, and the customer account extension's bundle it would deploy is, byte for byte, the one
// the storefront preview runs and bench/customer-account-size.ts measures (less the source-map comment).

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const scratch = mkdtempSync(path.join(tmpdir(), "cadence-cli-build-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

test("shopify app build bundles the customer account extension exactly as the preview does", async () => {
  cpSync(path.join(ROOT, "shopify.app.toml"), path.join(scratch, "shopify.app.toml"));
  cpSync(path.join(ROOT, "extensions"), path.join(scratch, "extensions"), { recursive: true, filter: (source) => !/[\\/](dist|node_modules)([\\/]|$)/.test(source) });
  writeFileSync(path.join(scratch, "package.json"), JSON.stringify({ name: "cadence", private: true, type: "module" }));
  symlinkSync(path.join(ROOT, "node_modules"), path.join(scratch, "node_modules"), "dir");
  const appUrl = "https://cadence.example.com";
  // --skip-dependencies-installation: the CLI would otherwise run npm install against this scratch package.json.
  const build = spawnSync(path.join(ROOT, "node_modules", ".bin", "node"), [path.join(ROOT, "node_modules/@shopify/cli/bin/run.js"), "app", "build", "--skip-dependencies-installation", "--path", scratch], {
    cwd: scratch,
    encoding: "utf8",
    // The CLI takes its working directory from INIT_CWD or PWD before process.cwd(): npm and Vitest set those to the
    // checkout, whose extensions it would then build in place.
    env: { ...process.env, INIT_CWD: scratch, PWD: scratch, SHOPIFY_APP_URL: appUrl, CI: "1", SHOPIFY_CLI_NO_ANALYTICS: "1" },
    timeout: 150_000,
  });
  const output = `${build.stdout}\n${build.stderr}`;
  expect(build.status, output).toBe(0);
  expect(output).toMatch(/cadence-account successfully built/);
  const built = readFileSync(path.join(scratch, "extensions/cadence-account/dist/cadence-account.js"), "utf8");
  const ours = await bundleAccountExtension({ appUrl, root: path.join(scratch, "extensions/cadence-account") });
  expect(built.replace(/\n\/\/# sourceMappingURL=\S+\n?$/, "\n")).toBe(ours);
  expect(built).toContain(appUrl);
});
