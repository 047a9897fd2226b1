import { describe, expect, test } from "vitest";
import { GUEST_OFFER, holdoutCustomerId, offerById, published, treatmentCustomerId } from "./support/fixtures";
import { CUSTOMER_IDENTITY, renderStorefront, text } from "./support/storefront";

// The "Offer banner" app embed: a fixed banner with the shopper's own offer, or nothing.

const BANNER = "offer-banner.liquid";
const gold = offerById("gold-members");

describe("offer banner (app embed)", () => {
  test("a customer's offer is shown in a labelled, closable banner with its reason and explanation", async () => {
    const customerId = treatmentCustomerId(gold);
    const { values } = published({ customerId, tier: "gold" });
    const { html, document } = await renderStorefront({ customer: { id: customerId, values } }, BANNER);
    const banner = document.querySelector("aside.cadence-offer--banner");
    expect(banner?.getAttribute("aria-label")).toBe("An offer for you");
    expect(banner?.getAttribute("data-cadence-offer")).toBe("gold-members");
    expect(banner?.getAttribute("data-cadence-arm")).toBe("treatment");
    expect(banner?.getAttribute("data-cadence-surface")).toBe("banner");
    // The banner is not a page section: its headline is a paragraph, not a heading.
    expect(document.querySelector("h2")).toBeNull();
    expect(text(document.querySelector("p.cadence-offer__headline"))).toBe(gold.content.headline);
    expect(text(document.querySelector(".cadence-offer__reason"))).toBe("Because you’re a Gold member");
    expect(document.querySelector("button[data-cadence-close]")?.getAttribute("aria-label")).toBe("Close offer");
    expect(text(document.querySelector(".cadence-offer__why summary"))).toBe("Why am I seeing this?");
    expect(html).not.toContain(customerId);
    expect(html).not.toContain(CUSTOMER_IDENTITY.email);
  });

  test("guests see the guest offer in the banner", async () => {
    const { document } = await renderStorefront({ guestOffer: GUEST_OFFER }, BANNER);
    expect(text(document.querySelector("p.cadence-offer__headline"))).toBe("10% off your first order");
  });

  test("a held-out customer gets only an invisible stand-in that reports the holdout exposure", async () => {
    const customerId = holdoutCustomerId(gold);
    const { values } = published({ customerId, tier: "gold" });
    const { html, document } = await renderStorefront(
      { customer: { id: customerId, values }, guestOffer: GUEST_OFFER },
      BANNER,
    );
    expect(document.querySelector("aside")).toBeNull();
    const standIn = document.querySelector("[data-cadence-offer]");
    expect(standIn?.hasAttribute("hidden")).toBe(true);
    expect(standIn?.getAttribute("data-cadence-arm")).toBe("holdout");
    expect(standIn?.getAttribute("data-cadence-offer")).toBe("gold-members");
    expect(text(standIn)).toBe("");
    expect(html).not.toContain("GOLD15");
  });

  test("opted-out customers, customers without an offer and guests without a guest offer get no banner", async () => {
    const optedOut = published({ customerId: treatmentCustomerId(gold), tier: "gold", optedOut: true });
    expect(
      (await renderStorefront({ customer: { values: optedOut.values }, guestOffer: GUEST_OFFER }, BANNER)).html.trim(),
    ).toBe("");
    const noOffer = published({ customerId: treatmentCustomerId(gold), tier: "gold", offers: [] });
    expect(
      (await renderStorefront({ customer: { values: noOffer.values }, guestOffer: GUEST_OFFER }, BANNER)).html.trim(),
    ).toBe("");
    expect((await renderStorefront({ guestOffer: null }, BANNER)).html.trim()).toBe("");
  });
});
