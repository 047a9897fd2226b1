import { describe, expect, test } from "vitest";
import { contrastRatio, formatMoney, shopifyLiquid } from "./support/shopify-liquid";

// The test engine's imitations of Shopify's filters and tags, checked against Shopify's documented examples.

describe("imitated Shopify filters", () => {
  test("color_contrast matches the example in Shopify's Liquid reference ('#E800B0' vs '#D9D8FF' is 3.0)", () => {
    expect(contrastRatio("#E800B0", "#D9D8FF")).toBe(3);
    expect(contrastRatio("#000", "#FFFFFF")).toBe(21);
    expect(contrastRatio("#FFFFFF", "#FFFFFF")).toBe(1);
  });

  test("money formats cents with the shop's format; money_without_trailing_zeros drops only all-zero decimals", () => {
    expect(formatMoney(4000, "£{{amount}}", false)).toBe("£40.00");
    expect(formatMoney(4000, "£{{amount}}", true)).toBe("£40");
    expect(formatMoney(4050, "£{{amount}}", true)).toBe("£40.50");
    expect(formatMoney(123456789, "${{amount}}", false)).toBe("$1,234,567.89");
    expect(formatMoney(123456, "{{amount_with_comma_separator}} €", false)).toBe("1.234,56 €");
    expect(formatMoney(100000, "¥{{amount_no_decimals}}", false)).toBe("¥1,000");
    expect(() => formatMoney(100, "{{amount_in_words}}", false)).toThrow(/not imitated/);
  });

  test("t escapes the sentence and its parameters, picks plural forms by language, and refuses missing keys", async () => {
    const { engine } = shopifyLiquid({ locale: "fr", moneyFormat: "{{amount}} €" });
    expect(
      await engine.parseAndRender("{{ 'cadence.reason.tier_member' | t: tier: name }}", { name: "<Or & Co>" }),
    ).toBe("Parce que vous êtes membre &lt;Or &amp; Co&gt;");
    // French counts 0 and 1 as singular.
    expect(await engine.parseAndRender("{{ 'cadence.progress.orders' | t: count: 1, tier: 'Or' }}")).toBe(
      "Passez encore 1 commande pour atteindre le niveau Or",
    );
    expect(await engine.parseAndRender("{{ 'cadence.progress.orders' | t: count: 3, tier: 'Or' }}")).toBe(
      "Passez encore 3 commandes pour atteindre le niveau Or",
    );
    await expect(engine.parseAndRender("{{ 'cadence.nope' | t }}")).rejects.toThrow(/translation missing/);
  });

  test("unknown filters fail the render instead of passing through", async () => {
    const { engine } = shopifyLiquid({ locale: "en", moneyFormat: "£{{amount}}" });
    await expect(engine.parseAndRender("{{ 5 | money_in_words }}")).rejects.toThrow(/undefined filter/);
  });

  test("render isolates snippets like Shopify: a caller's variable is invisible unless passed", async () => {
    const { engine } = shopifyLiquid({ locale: "en", moneyFormat: "£{{amount}}" });
    const cadence = { next_tier_name: { value: "Gold" }, next_tier_orders: { value: 2 } };
    const globals = { shop: { currency: "GBP" }, cart: { currency: { iso_code: "GBP" } } };
    const hidden = await engine.parseAndRender("{% render 'cadence-tier-progress' %}", { cadence }, { globals });
    expect(hidden.trim()).toBe("");
    const passed = await engine.parseAndRender(
      "{% render 'cadence-tier-progress', cadence: cadence %}",
      { cadence },
      { globals },
    );
    expect(passed).toContain("Place 2 more orders to reach Gold");
  });

  test("the schema tag renders nothing and keeps the block's JSON", async () => {
    const { engine, schemas } = shopifyLiquid({ locale: "en", moneyFormat: "£{{amount}}" });
    const template = await engine.parseFile("personalized-offer.liquid");
    expect(template.length).toBeGreaterThan(0);
    const schema = JSON.parse(schemas.get("personalized-offer.liquid") as string);
    expect(schema).toMatchObject({
      target: "section",
      javascript: "cadence-offers.js",
      stylesheet: "cadence-offers.css",
    });
  });
});
