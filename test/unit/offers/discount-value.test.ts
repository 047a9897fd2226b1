import { describe, expect, test } from "vitest";
import { offerSchema, storedOfferSchema } from "~/offers/model";
import type { OfferInput } from "~/offers/model";
import { validateOffer } from "~/offers/store.server";

// A Cadence-created code's value: a percentage or a fixed amount off the order (minor units of the shop currency),
// an optional minimum subtotal, once per customer unless the merchant says otherwise.

const base = {
  id: "code",
  name: "Code",
  audience: { kind: "tier", tierKey: "gold" },
  content: { headline: "H", ctaLabel: "Go", ctaUrl: "/" },
} as const;
const withDiscount = (discount: Record<string, unknown>): OfferInput => ({
  ...base,
  discount: { kind: "cadence_code", ...discount } as OfferInput["discount"],
});
const errorsOf = (discount: Record<string, unknown>) => {
  const result = validateOffer(withDiscount(discount));
  return result.ok ? {} : result.errors;
};

describe("a Cadence-created code's value", () => {
  test("defaults: no code yet (Cadence sets it), no minimum, once per customer", () => {
    expect(offerSchema.parse(withDiscount({ value: { type: "percentage", percent: 15 } })).discount).toEqual({
      kind: "cadence_code",
      code: null,
      value: { type: "percentage", percent: 15 },
      minimumSubtotalMinor: null,
      oncePerCustomer: true,
    });
  });

  test("a fixed amount in minor units, a minimum subtotal, and more than one use per customer are kept", () => {
    const discount = {
      value: { type: "fixed_amount", amountMinor: 1000 },
      minimumSubtotalMinor: 5000,
      oncePerCustomer: false,
    };
    expect(offerSchema.parse(withDiscount(discount)).discount).toMatchObject(discount);
  });

  test("saving needs a value; an offer stored before values existed still reads", () => {
    expect(errorsOf({})).toEqual({ "discount.value": expect.stringMatching(/percentage or an amount/) });
    expect(storedOfferSchema.parse(withDiscount({ code: null })).discount).toMatchObject({
      kind: "cadence_code",
      value: null,
    });
  });

  test.each([
    [{ type: "percentage", percent: 0 }, "discount.value.percent", /above 0%/],
    [{ type: "percentage", percent: 100.5 }, "discount.value.percent", /at most 100%/],
    [{ type: "percentage", percent: 12.345 }, "discount.value.percent", /two decimals/],
    [{ type: "percentage", percent: Number.NaN }, "discount.value.percent", /percentage/],
    [{ type: "fixed_amount", amountMinor: 0 }, "discount.value.amountMinor", /above zero/],
    [{ type: "fixed_amount", amountMinor: 10.5 }, "discount.value.amountMinor", /smallest unit/],
    [{ type: "fixed_amount", amountMinor: 2e12 }, "discount.value.amountMinor", /too large/],
  ])("refuses %j, naming %s", (value, field, message) => {
    expect(errorsOf({ value })[field]).toMatch(message);
  });

  test("accepts the bounds: 100% and 0.01%, one minor unit", () => {
    for (const value of [
      { type: "percentage", percent: 100 },
      { type: "percentage", percent: 0.01 },
      { type: "fixed_amount", amountMinor: 1 },
    ])
      expect(errorsOf({ value })).toEqual({});
  });

  test("a minimum subtotal is a positive whole number of minor units", () => {
    const value = { type: "percentage", percent: 10 };
    expect(errorsOf({ value, minimumSubtotalMinor: 0 })["discount.minimumSubtotalMinor"]).toMatch(/above zero/);
    expect(errorsOf({ value, minimumSubtotalMinor: -500 })["discount.minimumSubtotalMinor"]).toBeDefined();
    expect(errorsOf({ value, minimumSubtotalMinor: 99.5 })["discount.minimumSubtotalMinor"]).toMatch(/smallest unit/);
  });

  test("unknown fields are refused, as everywhere in an offer", () => {
    expect(errorsOf({ value: { type: "percentage", percent: 10 }, usageLimit: 5 })).not.toEqual({});
    expect(errorsOf({ value: { type: "free_gift" } })).not.toEqual({});
  });
});
