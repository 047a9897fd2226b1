import { readFileSync } from "node:fs";
import path from "node:path";
import { EXTENSION_ROOT } from "./extension-root";
import { Liquid, Tag, TypeGuards } from "liquidjs";
import type { Emitter, TagToken, TopLevelToken } from "liquidjs";

// Used by the storefront preview (dev shell only) and the extension tests.
// A liquidjs engine that behaves like Shopify's storefront renderer for what the Cadence extension uses:
// the schema tag, the t filter over the extension's locale files, money filters, color_contrast, asset_url,
// and `render` with Shopify's isolation (a snippet sees the global objects and the arguments it is passed, never
// the caller's variables). Unknown filters fail the render (strictFilters), so Liquid that uses something not
// imitated here cannot pass unnoticed.

export { EXTENSION_ROOT };

export interface ShopifyLiquidOptions {
  /** Storefront locale, e.g. "en" or "fr"; t falls back to en.default.json like Shopify. */
  locale: string;
  /** The shop's "HTML without currency" money format, e.g. "£{{amount}}". */
  moneyFormat: string;
}

export function shopifyLiquid(options: ShopifyLiquidOptions) {
  const engine = new Liquid({
    root: [path.join(EXTENSION_ROOT, "blocks")],
    partials: [path.join(EXTENSION_ROOT, "snippets")],
    extname: ".liquid",
    strictFilters: true,
    // Shopify Liquid renders a missing variable as nothing.
    strictVariables: false,
  });
  const schemas = new Map<string, string>();

  // {% schema %}…{% endschema %} renders nothing on the storefront; the JSON is kept for the tests to read.
  engine.registerTag(
    "schema",
    class SchemaTag extends Tag {
      constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
        super(token, remainTokens, liquid);
        let json = "";
        while (remainTokens.length) {
          const next = remainTokens.shift() as TopLevelToken;
          if (TypeGuards.isTagToken(next) && next.name === "endschema") {
            schemas.set(path.basename(token.file ?? ""), json);
            return;
          }
          json += next.getText();
        }
        throw new Error("{% schema %} is not closed");
      }
      render(_context: unknown, _emitter: Emitter) {}
    },
  );

  const translations = loadTranslations(options.locale);
  engine.registerFilter("t", (key: string, ...args: Array<[string, unknown]>) =>
    translate(translations, options.locale, key, Object.fromEntries(args)),
  );
  engine.registerFilter("money", (cents: unknown) => formatMoney(toCents(cents), options.moneyFormat, false));
  engine.registerFilter("money_without_trailing_zeros", (cents: unknown) =>
    formatMoney(toCents(cents), options.moneyFormat, true),
  );
  engine.registerFilter("color_contrast", (a: string, b: string) => contrastRatio(a, b));
  engine.registerFilter(
    "asset_url",
    (name: string) => `//cdn.shopify.com/extensions/cadence-offers-test/assets/${name}`,
  );
  return { engine, schemas };
}

// Shopify escapes every translation whose key does not end in _html (HTML-escaping the interpolated values with
// it); Cadence's locale files have no _html keys, and a key that is missing fails the test instead of printing
// Shopify's "Translation missing" text.
type Translations = { locale: Record<string, unknown>; fallback: Record<string, unknown> };

function loadTranslations(locale: string): Translations {
  const read = (file: string) =>
    JSON.parse(readFileSync(path.join(EXTENSION_ROOT, "locales", file), "utf8")) as Record<string, unknown>;
  const fallback = read("en.default.json");
  return { locale: locale === "en" ? fallback : read(`${locale}.json`), fallback };
}

function lookup(tree: Record<string, unknown>, key: string): unknown {
  return key
    .split(".")
    .reduce<unknown>(
      (node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined),
      tree,
    );
}

export function translate(
  translations: Translations,
  locale: string,
  key: string,
  args: Record<string, unknown>,
): string {
  if (key.endsWith("_html")) throw new Error(`_html translations are not imitated here (${key})`);
  let entry = lookup(translations.locale, key) ?? lookup(translations.fallback, key);
  if (entry && typeof entry === "object") {
    const count = args.count;
    if (typeof count !== "number") throw new Error(`${key} is pluralised and needs a numeric count`);
    const forms = entry as Record<string, string>;
    entry = forms[new Intl.PluralRules(locale).select(count)] ?? forms.other;
  }
  if (typeof entry !== "string") throw new Error(`translation missing: ${locale}.${key}`);
  const text = entry.replace(/\{\{\s*(\w+)\s*\}\}/g, (_match, name: string) =>
    args[name] === undefined || args[name] === null ? "" : String(args[name]),
  );
  return escapeHtml(text);
}

/** Shopify's escape (Ruby's CGI.escapeHTML). */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );
}

function toCents(value: unknown): number {
  const cents = Number(value);
  if (!Number.isFinite(cents)) throw new Error(`money filters need a number of cents, got ${String(value)}`);
  return cents;
}

// Shopify's money-format placeholders: [decimal places, thousands separator, decimal separator].
const PLACEHOLDERS: Record<string, [number, string, string]> = {
  amount: [2, ",", "."],
  amount_no_decimals: [0, ",", "."],
  amount_with_comma_separator: [2, ".", ","],
  amount_no_decimals_with_comma_separator: [0, ".", ","],
  amount_with_apostrophe_separator: [2, "'", "."],
  amount_with_space_separator: [2, " ", ","],
  amount_no_decimals_with_space_separator: [0, " ", ","],
  amount_with_period_and_space_separator: [2, " ", "."],
};

export function formatMoney(cents: number, format: string, withoutTrailingZeros: boolean): string {
  return format.replace(/\{\{\s*(\w+)\s*\}\}/g, (_match, name: string) => {
    const placeholder = PLACEHOLDERS[name];
    if (!placeholder) throw new Error(`money format placeholder {{${name}}} is not imitated here`);
    const [places, thousands, decimal] = placeholder;
    // money_without_trailing_zeros drops the decimals only when they are all zero.
    const decimals = withoutTrailingZeros && cents % 100 === 0 ? 0 : places;
    const [whole, fraction] = (cents / 100).toFixed(decimals).split(".");
    const grouped = (whole as string).replace(/\B(?=(\d{3})+(?!\d))/g, thousands);
    return fraction ? `${grouped}${decimal}${fraction}` : grouped;
  });
}

/** WCAG 2 contrast ratio of two hex colours, rounded to one decimal like Shopify's color_contrast. */
export function contrastRatio(a: string, b: string): number {
  const [lighter, darker] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return Math.round(((lighter + 0.05) / (darker + 0.05)) * 10) / 10;
}

function luminance(color: string): number {
  const hex = String(color).trim().replace(/^#/, "");
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join("") : hex;
  if (!/^[0-9a-f]{6}$/i.test(full)) throw new Error(`color_contrast is imitated for hex colours only, got ${color}`);
  const channel = (offset: number) => {
    const value = parseInt(full.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
}
