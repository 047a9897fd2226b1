import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { customerMetafieldValues, guestOfferFor } from "~/offers/personalise";
import {
  guestOffer,
  holdoutOffer,
  reasonFor,
  tierMetafields,
  treatmentOffer,
  wholeYearsBetween,
} from "~/offers/render-data";
import {
  JSON_METAFIELD_MAX_BYTES,
  customerOfferSchema,
  encodeCustomerMetafields,
  liquidMoneyCents,
} from "~/storefront-contract/metafields";
import { customer, offer } from "./support";

const NOW = new Date("2026-05-04T12:00:00Z");

describe("reason line", () => {
  test("each audience gets its reason key and parameters", () => {
    expect(reasonFor({ kind: "tier", tierKey: "gold" }, { tierName: "Gold", now: NOW })).toEqual({
      key: "tier_member",
      params: { tier: "Gold" },
    });
    expect(reasonFor({ kind: "segment", segmentKey: "at_risk" }, { now: NOW })).toEqual({ key: "at_risk", params: {} });
    expect(reasonFor({ kind: "segment", segmentKey: "high_value_at_risk" }, { now: NOW }).key).toBe(
      "high_value_at_risk",
    );
    expect(reasonFor({ kind: "segment", segmentKey: "rfm_champions" }, { now: NOW })).toEqual({
      key: "segment",
      params: {},
    });
    expect(reasonFor({ kind: "custom_segment", segmentId: "seg_1" }, { now: NOW }).key).toBe("custom_segment");
    expect(reasonFor({ kind: "everyone" }, { now: NOW }).key).toBe("everyone");
    expect(reasonFor({ kind: "guests" }, { now: NOW }).key).toBe("guest");
  });

  test("the anniversary counts whole years, and falls back to the generic reason without a first order", () => {
    const audience = { kind: "segment" as const, segmentKey: "first_order_anniversary" };
    expect(reasonFor(audience, { firstOrderAt: new Date("2023-05-04T12:00:00Z"), now: NOW })).toEqual({
      key: "first_order_anniversary",
      params: { count: 3 },
    });
    expect(reasonFor(audience, { firstOrderAt: new Date("2025-06-01T00:00:00Z"), now: NOW })).toEqual({
      key: "segment",
      params: {},
    });
    expect(reasonFor(audience, { now: NOW })).toEqual({ key: "segment", params: {} });
  });

  test("whole years: a day short is not a year; 29 February counts from 1 March", () => {
    expect(wholeYearsBetween(new Date("2025-05-04T12:00:00Z"), new Date("2026-05-04T11:59:59Z"))).toBe(0);
    expect(wholeYearsBetween(new Date("2025-05-04T12:00:00Z"), new Date("2026-05-04T12:00:00Z"))).toBe(1);
    expect(wholeYearsBetween(new Date("2024-02-29T00:00:00Z"), new Date("2025-02-28T23:00:00Z"))).toBe(0);
    expect(wholeYearsBetween(new Date("2024-02-29T00:00:00Z"), new Date("2025-03-01T00:00:00Z"))).toBe(1);
  });

  test("a tier offer without the shopper's tier name is a programming error, said plainly", () => {
    expect(() => reasonFor({ kind: "tier", tierKey: "gold" }, { now: NOW })).toThrow(/needs the shopper's tier name/);
  });
});

describe("render data", () => {
  const gold = offer({
    id: "gold",
    audience: { kind: "tier", tierKey: "gold" },
    content: {
      headline: "Gold: 15% off",
      body: "This week.",
      ctaLabel: "Shop",
      ctaUrl: "/collections/new",
      image: { url: "https://cdn.shopify.com/x.jpg", alt: "", width: 10, height: 10 },
    },
    discount: { kind: "cadence_code", code: "GOLD15", value: { type: "percentage", percent: 15 } },
  });

  test("treatment render data carries the content, code and reason", () => {
    expect(treatmentOffer(gold, { tierName: "Gold", now: NOW })).toEqual({
      v: 1,
      offer_id: "gold",
      holdout: false,
      headline: "Gold: 15% off",
      body: "This week.",
      cta: { label: "Shop", url: "/collections/new" },
      image: { url: "https://cdn.shopify.com/x.jpg", alt: "", width: 10, height: 10 },
      discount_code: "GOLD15",
      reason: { key: "tier_member", params: { tier: "Gold" } },
    });
  });

  test("holdout render data carries only the offer id", () => {
    expect(holdoutOffer(gold)).toEqual({ v: 1, offer_id: "gold", holdout: true });
    expect(customerOfferSchema.safeParse({ ...holdoutOffer(gold), headline: "leak" }).success).toBe(false);
  });

  test("guest render data: guests and everyone offers only", () => {
    expect(guestOffer(offer({ id: "w", audience: { kind: "guests" } })).reason).toEqual({ key: "guest", params: {} });
    expect(guestOffer(offer({ id: "e" })).reason).toEqual({ key: "everyone", params: {} });
    expect(() => guestOffer(gold)).toThrow(/not for guests/);
    expect(guestOfferFor("s.myshopify.com", [gold], NOW)).toBeNull();
    expect(
      guestOfferFor("s.myshopify.com", [gold, offer({ id: "w", audience: { kind: "guests" } })], NOW)?.offer_id,
    ).toBe("w");
  });
});

describe("tier progress", () => {
  test("spend still needed is published in Liquid money units; orders as a count; nothing at the top tier", () => {
    expect(
      tierMetafields(
        { tierKey: "silver", tierName: "Silver", next: { tierName: "Gold", remainingSpendMinor: 4000 } },
        "GBP",
      ),
    ).toEqual({
      tier: "silver",
      tier_name: "Silver",
      next_tier_name: "Gold",
      next_tier_spend_cents: 4000,
      next_tier_orders: undefined,
    });
    expect(
      tierMetafields({ tierKey: "silver", tierName: "Silver", next: { tierName: "Gold", remainingOrders: 2 } }, "GBP"),
    ).toMatchObject({ next_tier_orders: 2 });
    expect(tierMetafields({ tierKey: "gold", tierName: "Gold" }, "GBP")).toEqual({ tier: "gold", tier_name: "Gold" });
    // Nothing left to spend (the recompute has not promoted them yet): still a next tier, not the top one.
    expect(
      tierMetafields(
        { tierKey: "silver", tierName: "Silver", next: { tierName: "Gold", remainingSpendMinor: 0 } },
        "GBP",
      ),
    ).toMatchObject({
      next_tier_name: "Gold",
      next_tier_spend_cents: undefined,
    });
    expect(tierMetafields(null, "GBP")).toEqual({});
  });

  test("currencies without subunits are multiplied by 100 for Liquid; three-decimal currencies round up", () => {
    expect(liquidMoneyCents(1000, "JPY")).toBe(100_000);
    expect(liquidMoneyCents(4000, "GBP")).toBe(4000);
    expect(liquidMoneyCents(12_345, "KWD")).toBe(1235);
    expect(
      tierMetafields({ tierKey: "s", tierName: "S", next: { tierName: "G", remainingSpendMinor: 5000 } }, "JPY")
        .next_tier_spend_cents,
    ).toBe(500_000);
  });
});

describe("what Cadence publishes for a customer", () => {
  const offers = [offer({ id: "gold", audience: { kind: "tier", tierKey: "gold" }, holdoutPercent: 0 })];
  const facts = (extra: Partial<Parameters<typeof customer>[1]> = {}) => ({
    shop: "s.myshopify.com",
    shopper: customer("9001", { tierKey: "gold", segmentKeys: ["lapsed", "at_risk", "lapsed"], ...extra }),
    standing: { tierKey: "gold", tierName: "Gold" },
    currency: "GBP",
  });

  test("tier, sorted unique segments and the offer", () => {
    const { values, decision } = customerMetafieldValues(facts(), offers, NOW);
    expect(decision).toMatchObject({ arm: "treatment", offer: { id: "gold" } });
    expect(values.segments).toEqual(["at_risk", "lapsed"]);
    expect(values.offer).toMatchObject({
      offer_id: "gold",
      holdout: false,
      reason: { key: "tier_member", params: { tier: "Gold" } },
    });
    expect(values.opted_out).toBeUndefined();
  });

  test("an opted-out customer is published as opted_out only; everything else is deleted", () => {
    const { values, decision } = customerMetafieldValues(facts({ optedOut: true }), offers, NOW);
    expect(values).toEqual({ opted_out: true });
    expect(decision).toBeNull();
    expect(encodeCustomerMetafields(values)).toEqual({
      set: [{ key: "opted_out", type: "boolean", value: "true" }],
      remove: [
        "tier",
        "tier_name",
        "next_tier_name",
        "next_tier_spend_cents",
        "next_tier_orders",
        "segments",
        "custom_segments",
        "offer",
      ],
    });
  });

  test("property: whatever the offer content, the published offer passes the contract and stays far below 128 KB", () => {
    const content = fc.record({
      headline: fc
        .string({ minLength: 1, maxLength: 120 })
        .filter((s) => s.trim().length > 0 && !/[\u0000-\u001f\u007f]/.test(s)),
      body: fc.string({ maxLength: 500 }).filter((s) => !/[\u0000-\u001f\u007f]/.test(s)),
      ctaLabel: fc.constant("Shop"),
      ctaUrl: fc.constantFrom("/", "/collections/all", "https://shop.example/x"),
    });
    fc.assert(
      fc.property(
        content,
        fc.constantFrom("tier", "segment", "everyone") as fc.Arbitrary<"tier" | "segment" | "everyone">,
        (c, kind) => {
          const audience =
            kind === "tier"
              ? { kind, tierKey: "gold" }
              : kind === "segment"
                ? { kind, segmentKey: "at_risk" }
                : { kind };
          const built = offer({
            id: "p",
            audience,
            content: { ...c, body: c.body.trim() || undefined },
            holdoutPercent: 0,
          });
          const { values } = customerMetafieldValues(facts({ segmentKeys: ["at_risk"] }), [built], NOW);
          const encoded = encodeCustomerMetafields(values).set.find((field) => field.key === "offer");
          expect(encoded).toBeDefined();
          expect(new TextEncoder().encode(encoded?.value).length).toBeLessThan(JSON_METAFIELD_MAX_BYTES / 16);
        },
      ),
    );
  });
});
