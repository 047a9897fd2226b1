import { describe, expect, test } from "vitest";
import { involvesCadenceCode, redemptionChanged, withCarriedCode } from "~/offers/cadence-code";
import type { Offer, OfferInput } from "~/offers/model";
import { offer } from "./support";

// When an offer changes, its Cadence-created code stays shown only if Shopify's discount still redeems it the same
// way; otherwise the offer waits for the discount job (the code comes back when Shopify matches).

const coded = (overrides: Partial<OfferInput> = {}, code: string | null = "GOLD-ABC234"): Offer =>
  offer({
    id: "gold",
    audience: { kind: "tier", tierKey: "gold" },
    discount: { kind: "cadence_code", code, value: { type: "percentage", percent: 15 } },
    ...overrides,
  });

describe("carrying a Cadence-created code across a change", () => {
  test("content, priority, holdout or a pause keep the code", () => {
    const before = coded();
    for (const after of [
      coded({ content: { headline: "New words", ctaLabel: "Go", ctaUrl: "/" } }, null),
      coded({ priority: 7 }, null),
      coded({ holdoutPercent: 20 }, null),
      coded({ status: "paused" }, null),
      coded({ name: "Renamed" }, null),
    ]) {
      expect(redemptionChanged(before, after)).toBe(false);
      expect(withCarriedCode(before, after).discount).toMatchObject({ code: "GOLD-ABC234" });
    }
  });

  test("the audience, the value, the minimum, once-per-customer, the schedule or an activation drop it until Shopify follows", () => {
    const before = coded();
    const changes: Array<Partial<OfferInput>> = [
      { audience: { kind: "tier", tierKey: "silver" } },
      { discount: { kind: "cadence_code", code: null, value: { type: "percentage", percent: 20 } } },
      {
        discount: {
          kind: "cadence_code",
          code: null,
          value: { type: "percentage", percent: 15 },
          minimumSubtotalMinor: 5000,
        },
      },
      {
        discount: {
          kind: "cadence_code",
          code: null,
          value: { type: "percentage", percent: 15 },
          oncePerCustomer: false,
        },
      },
      { endsAt: new Date("2027-01-01T00:00:00Z") },
      { startsAt: new Date("2026-01-01T00:00:00Z") },
    ];
    for (const change of changes)
      expect(withCarriedCode(before, coded(change, null)).discount).toMatchObject({ code: null });
    expect(withCarriedCode(coded({ status: "paused" }), coded()).discount).toMatchObject({ code: null });
  });

  test("a new offer, or one switching to a Cadence-created code, has none; a merchant cannot set one", () => {
    expect(withCarriedCode(null, coded({}, "TYPED-BY-HAND")).discount).toMatchObject({ code: null });
    const plain = offer({ id: "gold", discount: { kind: "existing_code", code: "GOLD15" } });
    expect(withCarriedCode(plain, coded({}, "GOLD15")).discount).toMatchObject({ code: null });
    expect(withCarriedCode(coded(), plain)).toBe(plain);
  });

  test("either side using a Cadence-created code involves Shopify", () => {
    const plain = offer({ id: "plain" });
    expect(involvesCadenceCode(null, plain)).toBe(false);
    expect(involvesCadenceCode(plain, plain)).toBe(false);
    expect(involvesCadenceCode(coded(), plain)).toBe(true);
    expect(involvesCadenceCode(null, coded())).toBe(true);
    expect(involvesCadenceCode(coded(), null)).toBe(true);
  });
});
