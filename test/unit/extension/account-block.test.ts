import { describe, expect, test } from "vitest";
import type { CustomerMetafieldValues } from "~/storefront-contract/metafields";
import { shownOffer } from "../../../extensions/cadence-account/src/model";
import { APP_URL, renderAccountBlock } from "./support/account-block";
import { GUEST_OFFER, holdoutCustomerId, offerById, published, treatmentCustomerId } from "./support/fixtures";
import { CUSTOMER_IDENTITY, renderStorefront, text } from "./support/storefront";

// The customer account block (extensions/cadence-account/), its real bundle run for each kind of shopper from what
// Cadence publishes, against the theme block's Liquid for the same shopper: the same sentences, in each language.

const gold = offerById("gold-members");
const silver = offerById("silver-members");
const bronze = offerById("bronze-members");

/** The theme block's reason and progress lines for the same shopper, as the storefront renders them. */
async function themeLines(values: CustomerMetafieldValues, customerId: string, locale: "en" | "fr" | "de" = "en") {
  const { document } = await renderStorefront({
    guestOffer: GUEST_OFFER,
    locale,
    customer: { values, id: customerId },
  });
  return {
    reason: text(document.querySelector(".cadence-offer__reason")),
    progress: text(document.querySelector(".cadence-offer__progress")),
  };
}

const sText = (document: Document, selector: string) =>
  [...document.querySelectorAll(selector)].map((element) => text(element));

describe("a visitor who is not logged in", () => {
  test("sees the shop's guest offer with the guest reason and no opt-out control; the customer's data is never asked for", async () => {
    const block = await renderAccountBlock({ values: null, guestOffer: GUEST_OFFER });
    expect(text(block.document.querySelector("s-heading"))).toBe("10% off your first order");
    expect(block.text()).toContain("An offer for all visitors");
    expect(block.text()).toContain("Your code: WELCOME10");
    expect(block.text()).toContain("Everyone who isn’t logged in sees this offer.");
    expect(block.document.querySelector("s-link")?.getAttribute("href")).toBe(
      "https://cadence-demo.example/account/register",
    );
    expect(block.button()).toBeNull();
    expect(block.host.customerApiRequests).toEqual([]);
  });

  test("without a guest offer sees nothing", async () => {
    const block = await renderAccountBlock({ values: null, guestOffer: null });
    expect(block.html()).toBe("");
  });
});

describe.each([
  ["bronze", bronze, "You’re a Bronze member", "Spend £60 more to reach Silver"],
  ["silver", silver, "You’re a Silver member", "Spend £40 more to reach Gold"],
  ["gold", gold, null, null],
] as const)("a %s member in the treatment arm", (tier, offer, tierLine, progress) => {
  test("sees their tier, their progress and their offer with its reason, in the theme block's words", async () => {
    const customerId = treatmentCustomerId(offer);
    const { values, decision } = published({ customerId, tier });
    expect(decision).toMatchObject({ offer: { id: offer.id }, arm: "treatment" });
    const block = await renderAccountBlock({ values, customerId });
    const theme = await themeLines(values, customerId);
    expect(text(block.document.querySelector("s-section"))).not.toBe("");
    expect(block.document.querySelector("s-section")?.getAttribute("heading")).toBe("Your rewards");
    expect(sText(block.document, "s-section > s-stack > s-text")).toEqual(tierLine ? [tierLine] : []);
    expect(sText(block.document, "s-section > s-stack > s-paragraph")).toEqual(progress ? [progress] : []);
    expect(theme.progress).toBe(progress ?? "");
    expect(text(block.document.querySelector("s-text[color=subdued]"))).toBe(theme.reason);
    expect(theme.reason).toBe(`Because you’re a ${values.tier_name} member`);
    expect(text(block.document.querySelector("s-heading"))).toBe(offer.content.headline);
    expect(block.text()).toContain(`Your code: ${offer.discount.kind === "cadence_code" ? offer.discount.code : ""}`);
    expect(block.document.querySelector("s-link")?.getAttribute("href")).toBe(
      `https://cadence-demo.example${offer.content.ctaUrl}`,
    );
    expect(text(block.button())).toBe("Stop personalised offers");
    for (const value of [customerId, CUSTOMER_IDENTITY.email, CUSTOMER_IDENTITY.first_name])
      expect(block.html()).not.toContain(value);
  });
});

test("a held-out shopper sees their tier and progress but nothing of the offer they are held out of", async () => {
  const customerId = holdoutCustomerId(silver);
  const { values, decision } = published({ customerId, tier: "silver" });
  expect(decision?.arm).toBe("holdout");
  const block = await renderAccountBlock({ values, customerId });
  expect(block.text()).toContain("You’re a Silver member");
  expect(block.text()).toContain("Spend £40 more to reach Gold");
  expect(block.document.querySelector("s-heading")).toBeNull();
  expect(block.html()).not.toContain(silver.content.headline);
  expect(block.html()).not.toContain("SILVER15");
  expect(block.text()).toContain("This is a general offer.");
  expect(text(block.button())).toBe("Stop personalised offers");
});

test("an opted-out shopper sees no tier, progress or offer, why, and the control to turn personalised offers back on", async () => {
  const { values } = published({ customerId: treatmentCustomerId(gold), tier: "gold", optedOut: true });
  expect(values).toEqual({ opted_out: true });
  const block = await renderAccountBlock({ values });
  expect(block.document.querySelector("s-heading")).toBeNull();
  expect(block.text()).not.toMatch(/member|Spend|Place/);
  expect(block.text()).toContain("You’ve turned personalised offers off, so you see general offers only.");
  expect(text(block.button())).toBe("Turn personalised offers back on");
});

describe("the opt-out control", () => {
  test("posts the choice to Cadence with the shopper's session token, then shows the opted-out block and says it is done", async () => {
    const { values } = published({ customerId: treatmentCustomerId(silver), tier: "silver" });
    const block = await renderAccountBlock({ values });
    await block.click();
    expect(block.network).toEqual([
      {
        url: `${APP_URL}/customer-account/preferences?personalised=0`,
        init: { method: "POST", headers: { Authorization: "Bearer session-token-for-the-test" } },
      },
    ]);
    expect(block.text()).toContain("Done. You’ll see general offers from now on.");
    expect(block.document.querySelector("s-heading")).toBeNull();
    expect(text(block.button())).toBe("Turn personalised offers back on");
    await block.click();
    expect(block.network.at(-1)?.url).toBe(`${APP_URL}/customer-account/preferences?personalised=1`);
    expect(block.text()).toContain("Done. Personalised offers are back on.");
  });

  test("a refused request changes nothing and says so", async () => {
    const { values } = published({ customerId: treatmentCustomerId(silver), tier: "silver" });
    const block = await renderAccountBlock({ values, preferencesStatus: 500 });
    await block.click();
    expect(block.text()).toContain("Sorry, that didn’t work. Please try again.");
    expect(text(block.button())).toBe("Stop personalised offers");
  });

  test("a build that cannot reach Cadence offers no control rather than one that fails", async () => {
    const { values } = published({ customerId: treatmentCustomerId(silver), tier: "silver" });
    const block = await renderAccountBlock({ values, withoutAppUrl: true });
    expect(block.button()).toBeNull();
    expect(block.text()).toContain("Spend £40 more to reach Gold");
  });
});

describe.each(["fr", "de"] as const)("in %s", (locale) => {
  test("the reason and progress lines are the theme block's, word for word", async () => {
    const customerId = treatmentCustomerId(silver);
    const { values } = published({ customerId, tier: "silver" });
    const block = await renderAccountBlock({ values, customerId, locale });
    const theme = await themeLines(values, customerId, locale);
    expect(theme.reason).not.toBe("");
    expect(text(block.document.querySelector("s-text[color=subdued]"))).toBe(theme.reason);
    // Amounts are formatted by each surface's own money format (Liquid's shop format, Intl in customer accounts).
    const normalise = (line: string) => line.replace(/\S*40\S*(\s£\S*)?/, "AMOUNT");
    expect(normalise(sText(block.document, "s-section > s-stack > s-paragraph")[0] ?? "")).toBe(
      normalise(theme.progress),
    );
    expect(text(block.button())).not.toBe("Stop personalised offers");
  });
});

test("an offer in a contract version the block does not know, or a holdout document, is not shown", () => {
  const { values } = published({ customerId: treatmentCustomerId(silver), tier: "silver" });
  const document = values.offer as Record<string, unknown>;
  expect(shownOffer(document)).toMatchObject({ headline: silver.content.headline });
  expect(shownOffer({ ...document, v: 2 })).toBeNull();
  expect(shownOffer({ v: 1, offer_id: "silver-members", holdout: true })).toBeNull();
  expect(shownOffer("not an offer")).toBeNull();
});
