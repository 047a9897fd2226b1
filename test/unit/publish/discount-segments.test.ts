import { coerceInputValue, getNamedType, isInputObjectType } from "graphql";
import type { GraphQLInputObjectType } from "graphql";
import { describe, expect, test } from "vitest";
import { customerMetafieldValues } from "~/offers/personalise";
import { CUSTOMER_METAFIELDS, storefrontReadable } from "~/storefront-contract/metafields";
import { discountCodeBasicInput } from "~/publish/discounts/discount-input";
import { newOfferCode } from "~/offers/discount-records.server";
import { audienceMetafield, segmentQuery } from "~/publish/discounts/shopifyql";
import { DiscountSetupError, syncErrorMessage } from "~/publish/discounts/sync-errors";
import { nativeSegmentErrorMessage } from "~/publish/native-segments/sync.server";
import { AdminApiError, NoShopifyStoreError } from "~/shopify-admin/errors";
import { loadAdminSchema } from "../../support/admin-schema";
import { customer, offer } from "../offers/support";

// What a Cadence-created code becomes in Shopify: the segment query that selects exactly the offer's audience from
// the metafields Cadence publishes, and the discount input, checked against the newest Admin schema's input type with
// deprecated input fields refused.

const NAMESPACE = "app--123456";
const percentOff = { type: "percentage" as const, percent: 15 };

describe("the audience as a ShopifyQL segment query", () => {
  test.each([
    [{ kind: "tier", tierKey: "gold" }, "metafields.app--123456.tier = 'gold'"],
    [{ kind: "segment", segmentKey: "at_risk" }, "metafields.app--123456.segments CONTAINS 'at_risk'"],
    [{ kind: "segment", segmentKey: "rfm_champions" }, "metafields.app--123456.segments CONTAINS 'rfm_champions'"],
    [
      { kind: "custom_segment", segmentId: "custom:big-spenders" },
      "metafields.app--123456.custom_segments CONTAINS 'big-spenders'",
    ],
  ] as const)("%j → %s", (audience, query) => {
    expect(segmentQuery(audience, NAMESPACE)).toBe(query);
  });

  test("everyone needs no segment (the code is open to every customer); guests cannot have one", () => {
    expect(segmentQuery({ kind: "everyone" }, NAMESPACE)).toBeNull();
    expect(() => segmentQuery({ kind: "guests" }, NAMESPACE)).toThrow(/guests/);
  });

  test("only an app-reserved namespace and published identifiers reach a query, so nothing can be injected", () => {
    expect(() => segmentQuery({ kind: "tier", tierKey: "gold" }, "custom")).toThrow(/app-reserved/);
    expect(() => segmentQuery({ kind: "tier", tierKey: "gold" }, "app--1.tier = 'x' OR true")).toThrow(/app-reserved/);
    expect(() => segmentQuery({ kind: "tier", tierKey: "gold' OR amount_spent > 0 OR tier = '" }, NAMESPACE)).toThrow(
      /not a value Cadence publishes/,
    );
    expect(segmentQuery({ kind: "tier", tierKey: "gold" }, "app--123456--loyalty")).toBe(
      "metafields.app--123456--loyalty.tier = 'gold'",
    );
  });

  test("each query reads a metafield Cadence defines, of a type Shopify can filter (text, or a list of text)", () => {
    for (const audience of [
      { kind: "tier", tierKey: "gold" },
      { kind: "segment", segmentKey: "lapsed" },
      { kind: "custom_segment", segmentId: "custom:vip" },
    ] as const) {
      const filter = audienceMetafield(audience);
      const definition = CUSTOMER_METAFIELDS[filter!.key];
      expect(definition.owner).toBe("CUSTOMER");
      expect(definition.type).toBe(
        filter!.operator === "CONTAINS" ? "list.single_line_text_field" : "single_line_text_field",
      );
    }
  });

  test("the segment holds exactly whom Cadence would choose the offer for: the published values match the audience", () => {
    const offers = [
      offer({ id: "gold", audience: { kind: "tier", tierKey: "gold" } }),
      offer({ id: "lapsed", audience: { kind: "segment", segmentKey: "lapsed" } }),
      offer({ id: "vip", audience: { kind: "custom_segment", segmentId: "custom:vip" } }),
    ];
    const facts = (shopper: ReturnType<typeof customer>) => ({
      shop: "s.myshopify.com",
      shopper,
      standing: shopper.tierKey ? { tierKey: shopper.tierKey, tierName: "Gold" } : null,
      currency: "GBP",
    });
    const matches = (query: string, values: Record<string, unknown>) => {
      const [, key, operator, value] = /^metafields\.app--\d+\.(\w+) (=|CONTAINS) '([^']+)'$/.exec(query)!;
      const published = values[key!];
      return operator === "=" ? published === value : Array.isArray(published) && published.includes(value);
    };
    const shoppers = [
      customer("1", { tierKey: "gold" }),
      customer("2", { tierKey: "silver", segmentKeys: ["lapsed"] }),
      customer("3", { customSegmentIds: ["custom:vip"] }),
      customer("4", { tierKey: "gold", segmentKeys: ["lapsed"], customSegmentIds: ["custom:vip"], optedOut: true }),
      customer("5"),
    ];
    for (const target of offers) {
      for (const shopper of shoppers) {
        const { values } = customerMetafieldValues(facts(shopper), [], new Date());
        const inAudience =
          !shopper.optedOut && customerMetafieldValues(facts(shopper), [target], new Date()).decision !== null;
        expect(
          matches(segmentQuery(target.audience, NAMESPACE)!, values),
          `${target.id} / customer ${shopper.customerId}`,
        ).toBe(inAudience);
      }
    }
  });
});

test("custom segments are published by slug for Shopify's segments, and kept off what the storefront reads", () => {
  const shopper = customer("3", {
    segmentKeys: ["lapsed"],
    customSegmentIds: ["custom:vip", "custom:vip", "custom:discount-hunters"],
  });
  const { values } = customerMetafieldValues(
    { shop: "s.myshopify.com", shopper, standing: null, currency: "GBP" },
    [],
    new Date(),
  );
  expect(values).toEqual({ segments: ["lapsed"], custom_segments: ["discount-hunters", "vip"] });
  expect(storefrontReadable(values)).toEqual({ segments: ["lapsed"] });
});

describe("the discount Shopify is asked for", () => {
  const inputType = loadAdminSchema().getType("DiscountCodeBasicInput") as GraphQLInputObjectType;
  const coerce = (value: unknown) => coerceInputValue(value, inputType);
  // Input fields the schema marks deprecated, by path: the document rule cannot see inside a variable's value.
  const deprecatedFields = (type: GraphQLInputObjectType, value: unknown, path = ""): string[] => {
    if (typeof value !== "object" || value === null) return [];
    return Object.entries(value).flatMap(([key, inner]) => {
      const field = type.getFields()[key];
      if (!field) return [];
      const named = getNamedType(field.type);
      const here = field.deprecationReason ? [`${path}${key}`] : [];
      const items = Array.isArray(inner) ? inner : [inner];
      return [
        ...here,
        ...(isInputObjectType(named) ? items.flatMap((item) => deprecatedFields(named, item, `${path}${key}.`)) : []),
      ];
    });
  };
  const expectAccepted = (value: unknown) => {
    expect(() => coerce(value)).not.toThrow();
    expect(deprecatedFields(inputType, value)).toEqual([]);
  };
  const context = {
    code: "GOLD-ABC234",
    segmentGid: "gid://shopify/Segment/77",
    currency: "GBP",
    plannedAt: new Date("2026-03-01T09:00:00Z"),
  };

  test("a percentage, restricted to the segment, once per customer, from when it was planned, with no end", () => {
    const input = discountCodeBasicInput(
      offer({
        id: "gold",
        discount: { kind: "cadence_code", code: null, value: { type: "percentage", percent: 12.5 } },
      }),
      context,
    );
    expect(input).toEqual({
      title: "GOLD-ABC234",
      code: "GOLD-ABC234",
      startsAt: "2026-03-01T09:00:00.000Z",
      endsAt: null,
      context: { customerSegments: { add: ["gid://shopify/Segment/77"] } },
      customerGets: { value: { percentage: 0.125 }, items: { all: true } },
      minimumRequirement: null,
      appliesOncePerCustomer: true,
      usageLimit: null,
    });
    expectAccepted(input);
  });

  test("a fixed amount in the shop currency's decimals, a minimum subtotal, the offer's schedule, everyone", () => {
    const scheduled = offer({
      id: "spring",
      startsAt: new Date("2026-04-01T00:00:00Z"),
      endsAt: new Date("2026-04-15T00:00:00Z"),
      discount: {
        kind: "cadence_code",
        code: null,
        value: { type: "fixed_amount", amountMinor: 1050 },
        minimumSubtotalMinor: 5000,
        oncePerCustomer: false,
      },
    });
    const input = discountCodeBasicInput(scheduled, { ...context, segmentGid: null });
    expect(input).toMatchObject({
      startsAt: "2026-04-01T00:00:00.000Z",
      endsAt: "2026-04-15T00:00:00.000Z",
      context: { all: "ALL" },
      customerGets: { value: { discountAmount: { amount: "10.50", appliesOnEachItem: false } } },
      minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: "50.00" } },
      appliesOncePerCustomer: false,
    });
    expect(discountCodeBasicInput(scheduled, { ...context, currency: "JPY" }).customerGets.value).toEqual({
      discountAmount: { amount: "1050", appliesOnEachItem: false },
    });
    expectAccepted(input);
  });

  test("the schema check can fail: an unknown field, a deprecated one, or two audiences at once are refused", () => {
    const input = discountCodeBasicInput(
      offer({ id: "gold", discount: { kind: "cadence_code", code: null, value: percentOff } }),
      context,
    );
    expect(() => coerce({ ...input, maximumShareOfWallet: 1 })).toThrow();
    expect(deprecatedFields(inputType, { ...input, customerSelection: { all: true } })).toEqual(["customerSelection"]);
    expect(() =>
      coerce({ ...input, context: { all: "ALL", customerSegments: { add: ["gid://shopify/Segment/77"] } } }),
    ).toThrow(/Exactly one key/);
  });

  test("codes read well and cannot be guessed: the offer's ID, then six characters without 0/O or 1/I", () => {
    expect(newOfferCode("gold-members", () => 0)).toBe("GOLD-MEMBERS-AAAAAA");
    expect(newOfferCode("a very long offer identifier indeed")).toMatch(/^A-VERY-LONG-OFFER-ID-[A-HJ-NP-Z2-9]{6}$/);
    expect(new Set(Array.from({ length: 50 }, () => newOfferCode("x"))).size).toBe(50);
  });
});

describe("what the offer page says when Shopify refuses", () => {
  test("Shopify's own reasons for a refused segment or discount; network trouble as temporary; setup problems as they are", () => {
    const refusedSegment = new AdminApiError("user-errors", "SegmentCreate", "query invalid", {
      userErrors: [{ field: ["query"], message: "Query is invalid" }],
    });
    expect(syncErrorMessage(refusedSegment)).toBe("Shopify refused the customer segment: query: Query is invalid");
    const refusedCode = new AdminApiError("user-errors", "DiscountCodeBasicCreate", "taken", {
      userErrors: [{ field: ["basicCodeDiscount", "code"], message: "Code must be unique" }],
    });
    expect(syncErrorMessage(refusedCode)).toBe(
      "Shopify refused the discount code: basicCodeDiscount.code: Code must be unique",
    );
    expect(syncErrorMessage(new AdminApiError("network", "SegmentById", "fetch failed"))).toMatch(
      /could not be reached/,
    );
    expect(syncErrorMessage(new AdminApiError("unauthorized", "SegmentById", "401"))).toMatch(/access/);
    expect(syncErrorMessage(new DiscountSetupError("Choose a value."))).toBe("Choose a value.");
  });

  test("a native segment's sync failures say the same things about the segment", () => {
    expect(nativeSegmentErrorMessage(new AdminApiError("unauthorized", "SegmentById", "401"))).toBe(
      "Shopify refused Cadence's access: the app was uninstalled or lacks the customer permissions.",
    );
    expect(nativeSegmentErrorMessage(new NoShopifyStoreError("demo"))).toMatch(/cannot create the segment there/);
    expect(nativeSegmentErrorMessage(new Error("boom"))).toBe("Cadence could not sync the segment with Shopify: boom");
    expect(nativeSegmentErrorMessage(new AdminApiError("graphql", "SegmentCreate", "bad"))).toMatch(
      /^Shopify rejected the request for the customer segment: .*bad$/,
    );
    expect(syncErrorMessage(new NoShopifyStoreError("demo"))).toMatch(/cannot create the code there/);
  });
});
