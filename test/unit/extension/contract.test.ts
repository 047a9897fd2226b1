import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, coerceInputValue } from "graphql";
import type { GraphQLInputType, IntrospectionQuery } from "graphql";
import { describe, expect, test } from "vitest";
import {
  CUSTOMER_METAFIELDS,
  METAFIELDS_SET_LIMIT,
  METAFIELD_NAMESPACE,
  SHOP_METAFIELDS,
  customerMetafieldValuesSchema,
  encodeCustomerMetafields,
  encodeGuestOffer,
  metafieldDefinitionInputs,
  metafieldsSetBatches,
} from "~/storefront-contract/metafields";
import { GUEST_OFFER, offerById, published, treatmentCustomerId } from "./support/fixtures";
import { sharedDataPath } from "../../support/shared-data";

// The published-data contract: what Cadence writes is valid Admin API input, and what the Liquid reads is what
// the contract promises (docs/storefront.md).

// Shopify's stable Admin API 2025-01 schema (introspection, from ../shared/data). Later versions only add fields.
const schema = buildClientSchema(
  (
    JSON.parse(
      gunzipSync(readFileSync(sharedDataPath("shopify-admin-graphql", "admin-2025-01.schema.json.gz"))).toString(
        "utf8",
      ),
    ) as { data: IntrospectionQuery }
  ).data,
);
const inputType = (name: string) => schema.getType(name) as GraphQLInputType;

describe("metafield definitions", () => {
  test("are valid MetafieldDefinitionInput values for the Admin API, in the $app namespace, readable on the storefront", () => {
    const definitions = metafieldDefinitionInputs();
    expect(definitions.map((definition) => `${definition.ownerType}.${definition.key}:${definition.type}`)).toEqual([
      "CUSTOMER.tier:single_line_text_field",
      "CUSTOMER.tier_name:single_line_text_field",
      "CUSTOMER.next_tier_name:single_line_text_field",
      "CUSTOMER.next_tier_spend_cents:number_integer",
      "CUSTOMER.next_tier_orders:number_integer",
      "CUSTOMER.segments:list.single_line_text_field",
      "CUSTOMER.custom_segments:list.single_line_text_field",
      "CUSTOMER.offer:json",
      "CUSTOMER.opted_out:boolean",
      "SHOP.guest_offer:json",
    ]);
    for (const definition of definitions) {
      expect(definition.namespace).toBe(METAFIELD_NAMESPACE);
      // Custom segments are for Shopify's segments only: their merchant-chosen names stay off the storefront.
      expect(definition.access).toMatchObject({
        admin: "MERCHANT_READ",
        storefront: definition.key === "custom_segments" ? "NONE" : "PUBLIC_READ",
      });
      // Customer-account read access for what the customer account block shows (test/unit/extension/account-extension.test.ts).
      if (definition.ownerType === "SHOP") expect(definition.access).not.toHaveProperty("customerAccount");
      expect(() => coerceInputValue(definition, inputType("MetafieldDefinitionInput"))).not.toThrow();
    }
    expect(() =>
      coerceInputValue({ ...definitions[0], ownerType: "CUSTOMERS" }, inputType("MetafieldDefinitionInput")),
    ).toThrow();
  });

  test("every key the Liquid reads is defined, and every defined key is read by the Liquid", () => {
    const liquid = ["cadence-offer", "cadence-tier-progress"]
      .map((name) => readFileSync(`extensions/cadence-offers/snippets/${name}.liquid`, "utf8"))
      .join("\n");
    const read = new Set([...liquid.matchAll(/cadence\.(\w+)\.value/g)].map((match) => match[1]));
    read.add("guest_offer");
    const defined = new Set([...Object.keys(CUSTOMER_METAFIELDS), ...Object.keys(SHOP_METAFIELDS)]);
    // Segments are published for the extension's future use and the JSON offer endpoint, and with custom segments
    // for the native segments of Cadence-created codes (app/publish/discounts/); nothing renders them.
    defined.delete("segments");
    defined.delete("custom_segments");
    expect([...read].sort()).toEqual([...defined].sort());
  });
});

describe("encoding for metafieldsSet", () => {
  test("a customer's values become valid MetafieldsSetInput entries, and empty values become deletes", () => {
    const { values } = published({
      customerId: treatmentCustomerId(offerById("silver-members")),
      tier: "silver",
      segments: ["lapsed"],
    });
    const { set, remove } = encodeCustomerMetafields(values);
    expect(set.map((field) => field.key)).toEqual([
      "tier",
      "tier_name",
      "next_tier_name",
      "next_tier_spend_cents",
      "next_tier_orders",
      "segments",
      "offer",
    ]);
    expect(remove).toEqual(["custom_segments", "opted_out"]);
    expect(set.find((field) => field.key === "next_tier_spend_cents")?.value).toBe("4000");
    expect(JSON.parse(set.find((field) => field.key === "segments")?.value ?? "")).toEqual(["lapsed"]);
    for (const field of [...set, encodeGuestOffer(GUEST_OFFER!)]) {
      const input = { ownerId: "gid://shopify/Customer/1", namespace: METAFIELD_NAMESPACE, ...field };
      expect(() => coerceInputValue(input, inputType("MetafieldsSetInput"))).not.toThrow();
    }
  });

  test("an offer with every field at its limit stays under 20 KB, far below Shopify's 128 KB for JSON", () => {
    const wide = (length: number) => "€".repeat(length);
    const longUrl = `https://cdn.shopify.com/${"é".repeat(2048 - 24)}`;
    const offer = {
      v: 1 as const,
      offer_id: "x".repeat(64),
      holdout: false as const,
      headline: wide(120),
      body: wide(500),
      cta: { label: wide(40), url: longUrl },
      image: { url: longUrl, alt: wide(200), width: 4096, height: 4096 },
      discount_code: wide(255),
      reason: { key: "tier_member" as const, params: { tier: wide(60) } },
    };
    const encoded = encodeCustomerMetafields({ offer }).set[0];
    expect(encoded?.key).toBe("offer");
    const bytes = new TextEncoder().encode(encoded?.value).length;
    expect(bytes).toBeGreaterThan(10_000);
    expect(bytes).toBeLessThan(20_000);
    expect(() => encodeCustomerMetafields({ offer: { ...offer, headline: wide(121) } })).toThrow();
  });

  test("writes are split into metafieldsSet calls of at most 25", () => {
    const writes = Array.from({ length: 61 }, (_, i) => i);
    const batches = metafieldsSetBatches(writes);
    expect(METAFIELDS_SET_LIMIT).toBe(25);
    expect(batches.map((batch) => batch.length)).toEqual([25, 25, 11]);
    expect(batches.flat()).toEqual(writes);
    expect(metafieldsSetBatches([])).toEqual([]);
  });

  test("invalid values are refused with a message naming the problem", () => {
    expect(() => encodeCustomerMetafields({ next_tier_orders: 2 })).toThrow(/needs next_tier_name/);
    expect(() => encodeCustomerMetafields({ tier_name: "Gold" })).toThrow(/tier_name needs tier/);
    expect(() => encodeCustomerMetafields({ segments: Array.from({ length: 129 }, (_, i) => `s${i}`) })).toThrow();
    const result = customerMetafieldValuesSchema.safeParse({
      offer: {
        v: 1,
        offer_id: "x",
        holdout: false,
        headline: "H",
        cta: { label: "Go", url: "javascript:alert(1)" },
        reason: { key: "everyone" },
      },
    });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain("path on your shop");
    expect(
      customerMetafieldValuesSchema.safeParse({
        offer: {
          v: 1,
          offer_id: "x",
          holdout: false,
          headline: "H",
          cta: { label: "Go", url: "/" },
          reason: { key: "tier_member" },
        },
      }).success,
    ).toBe(false);
    expect(customerMetafieldValuesSchema.safeParse({ offer: { v: 2, offer_id: "x", holdout: true } }).success).toBe(
      false,
    );
  });
});
