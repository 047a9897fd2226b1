import { readFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import type { BuildOptions } from "esbuild";
import { parse } from "smol-toml";

// The customer account extension (extensions/cadence-account/) bundled the way Shopify CLI bundles a UI extension
// for `shopify app build` and `shopify app deploy` (its esbuild step, @shopify/cli 4.8: one stdin module per target
// importing the target's module and registering it with `shopify.extend`, bundled, minified, target es6, JSX per
// the extension's tsconfig, every environment variable defined as process.env.NAME). The storefront preview runs this
// bundle, bench/customer-account-size.ts measures it, and test/e2e/shopify-app-build.test.ts checks it
// against the CLI's own output. Development only: esbuild is a development dependency.

export const ACCOUNT_EXTENSION_ROOT = path.resolve(
  process.env.CADENCE_ACCOUNT_EXTENSION_DIR ?? "extensions/cadence-account",
);

export interface ExtensionTarget {
  target: string;
  module: string;
}

export interface AccountExtensionConfig {
  api_version: string;
  extensions: Array<{
    type: string;
    name: string;
    handle: string;
    description?: string;
    targeting: ExtensionTarget[];
    capabilities?: Record<string, unknown>;
    metafields?: Array<{ namespace: string; key: string }>;
  }>;
}

export function accountExtensionConfig(root = ACCOUNT_EXTENSION_ROOT): AccountExtensionConfig {
  return parse(readFileSync(path.join(root, "shopify.extension.toml"), "utf8")) as unknown as AccountExtensionConfig;
}

/** The CLI's generated entry: each target's module, registered for its target. */
export function cliEntry(targets: readonly ExtensionTarget[]): string {
  return targets
    .map(
      ({ target, module }, index) =>
        `import Target_${index} from '${module}';shopify.extend('${target}', (...args) => Target_${index}(...args));`,
    )
    .join("\n");
}

/** The CLI's esbuild options for a UI extension (production build). `env` is what the build's environment defines. */
export function cliBuildOptions(root: string, env: Record<string, string>): BuildOptions {
  const define = Object.fromEntries([
    ["process.env.NODE_ENV", JSON.stringify("production")],
    ...Object.entries(env).map(([name, value]) => [`process.env.${name}`, JSON.stringify(value)]),
  ]);
  return {
    stdin: {
      contents: cliEntry(accountExtensionConfig(root).extensions.flatMap((extension) => extension.targeting)),
      resolveDir: root,
      loader: "tsx",
    },
    bundle: true,
    define,
    jsx: "automatic",
    loader: { ".esnext": "ts", ".js": "jsx" },
    legalComments: "none",
    minify: true,
    target: "es6",
    resolveExtensions: [".tsx", ".ts", ".js", ".json", ".esnext", ".mjs", ".ejs"],
    logLevel: "silent",
    write: false,
  };
}

/** The extension's script. `appUrl` is baked in as SHOPIFY_APP_URL, as `shopify app deploy` does from its environment. */
export async function bundleAccountExtension(options: { appUrl?: string; root?: string } = {}): Promise<string> {
  const root = options.root ?? ACCOUNT_EXTENSION_ROOT;
  const result = await build(cliBuildOptions(root, options.appUrl ? { SHOPIFY_APP_URL: options.appUrl } : {}));
  const [file] = result.outputFiles ?? [];
  if (!file) throw new Error("esbuild produced no bundle for the customer account extension");
  return file.text;
}

/** The extension's translations for a locale (Shopify falls back to en.default.json for missing keys). */
export function accountLocale(locale: string, root = ACCOUNT_EXTENSION_ROOT): Record<string, unknown> {
  const read = (file: string) =>
    JSON.parse(readFileSync(path.join(root, "locales", file), "utf8")) as Record<string, unknown>;
  return locale === "en" ? read("en.default.json") : { ...read("en.default.json"), ...read(`${locale}.json`) };
}

/** The stand-in for Shopify's customer accounts (account-host.ts) as a browser script defining `CadenceAccountHost`. */
export async function bundleAccountHost(): Promise<string> {
  const result = await build({
    entryPoints: [path.resolve("app/storefront-preview/account-host.ts")],
    bundle: true,
    format: "iife",
    globalName: "CadenceAccountHost",
    target: "es2020",
    minify: true,
    logLevel: "silent",
    write: false,
  });
  const [file] = result.outputFiles ?? [];
  if (!file) throw new Error("esbuild produced no bundle for the customer account host");
  return file.text;
}
