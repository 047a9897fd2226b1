import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";

// The app's extensions as Shopify CLI reads them: extensions/<folder>/shopify.extension.toml, each with one
// [[extensions]] entry (unified format) and its [[settings.fields]].

export const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");

export interface ExtensionField {
  type: string;
  key?: string;
  name?: string;
  description?: string;
  required?: boolean;
  [other: string]: unknown;
}

export interface Extension {
  folder: string;
  name: string;
  type: string;
  handle: string;
  description?: string;
  runtime_url?: string;
  fields: ExtensionField[];
  [other: string]: unknown;
}

export function readExtensions(): Extension[] {
  return readdirSync(path.join(ROOT, "extensions"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const toml = parse(
        readFileSync(path.join(ROOT, "extensions", entry.name, "shopify.extension.toml"), "utf8"),
      ) as Record<string, unknown>;
      // The theme extension uses the flat format; Flow extensions the unified one.
      const declared = Array.isArray(toml.extensions) ? (toml.extensions[0] as Record<string, unknown>) : toml;
      const settings = toml.settings as { fields?: ExtensionField[] } | undefined;
      return { ...declared, folder: entry.name, fields: settings?.fields ?? [] } as Extension;
    });
}
