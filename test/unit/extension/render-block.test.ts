import { describe, expect, test } from "vitest";
import { encodeCustomerMetafields } from "~/storefront-contract/metafields";
import { GUEST_OFFER, holdoutCustomerId, offerById, published, treatmentCustomerId } from "./support/fixtures";
import { BLOCK_ID, CUSTOMER_IDENTITY, renderStorefront, text } from "./support/storefront";

// The "Personalized offer" app block rendered for each kind of shopper, from what Cadence publishes.

const gold = offerById("gold-members");
const silver = offerById("silver-members");
const bronze = offerById("bronze-members");
const winBack = offerById("win-back");

async function renderCustomer(
  setup: Parameters<typeof published>[0],
  page: Parameters<typeof renderStorefront>[0] = {},
) {
  const { values, decision } = published(setup);
  const rendered = await renderStorefront({
    guestOffer: GUEST_OFFER,
    ...page,
    customer: { values, id: setup.customerId },
  });
  return { ...rendered, values, decision, section: rendered.document.querySelector("section.cadence-offer") };
}

function expectNoPersonalData(html: string, customerId: string) {
  for (const value of [
    customerId,
    CUSTOMER_IDENTITY.email,
    CUSTOMER_IDENTITY.first_name,
    CUSTOMER_IDENTITY.last_name,
    CUSTOMER_IDENTITY.phone,
  ]) {
    expect(html).not.toContain(value);
  }
}

describe("guests", () => {
  test("see the shop's guest offer with its code, the guest reason, an explanation and no opt-out control", async () => {
    const { html, document } = await renderStorefront({ guestOffer: GUEST_OFFER });
    const section = document.querySelector("section.cadence-offer");
    expect(section?.getAttribute("data-cadence-offer")).toBe("welcome");
    expect(section?.getAttribute("data-cadence-arm")).toBe("treatment");
    expect(section?.getAttribute("data-cadence-surface")).toBe("block");
    expect(text(document.querySelector(".cadence-offer__reason"))).toBe("An offer for all visitors");
    expect(text(document.querySelector("h2.cadence-offer__headline"))).toBe("10% off your first order");
    expect(text(document.querySelector(".cadence-offer__body"))).toBe("Sign up and save.");
    expect(text(document.querySelector(".cadence-offer__code-value"))).toBe("WELCOME10");
    const cta = document.querySelector("a.cadence-offer__cta");
    expect(cta?.getAttribute("href")).toBe("/account/register");
    expect(cta?.hasAttribute("data-cadence-cta")).toBe(true);
    expect(text(document.querySelector(".cadence-offer__why summary"))).toBe("Why am I seeing this?");
    expect(text(document.querySelector(".cadence-offer__why p"))).toContain(
      "Everyone who isn’t logged in sees this offer",
    );
    expect(document.querySelector("form[data-cadence-preference]")).toBeNull();
    expect(document.querySelector(".cadence-offer__progress")).toBeNull();
    expect(html).not.toContain(CUSTOMER_IDENTITY.email);
  });

  test("without a guest offer see the block's general content, with nothing to measure", async () => {
    const { document } = await renderStorefront({ guestOffer: null });
    const section = document.querySelector("section.cadence-offer");
    expect(section?.hasAttribute("data-cadence-offer")).toBe(false);
    expect(text(document.querySelector("h2.cadence-offer__headline"))).toBe("New this season");
    expect(document.querySelector("a.cadence-offer__cta")?.getAttribute("href")).toBe("/collections/all");
    expect(document.querySelector(".cadence-offer__reason")).toBeNull();
  });

  test("get nothing at all when there is no guest offer and general content is off", async () => {
    const { html } = await renderStorefront({ guestOffer: null, settings: { generic_enabled: false } });
    expect(html.trim()).toBe("");
  });

  test("in the theme editor the merchant is told that customers see their own offer", async () => {
    const { document } = await renderStorefront({ guestOffer: GUEST_OFFER, designMode: true });
    expect(text(document.querySelector(".cadence-offer__note"))).toContain(
      "Logged-in customers see their own offer here",
    );
  });
});

describe("logged-in customers, each tier", () => {
  test.each([
    {
      tier: "bronze" as const,
      offer: bronze,
      reason: "Because you’re a Bronze member",
      progress: "Spend £60 more to reach Silver",
    },
    {
      tier: "silver" as const,
      offer: silver,
      reason: "Because you’re a Silver member",
      progress: "Spend £40 more to reach Gold",
    },
    { tier: "gold" as const, offer: gold, reason: "Because you’re a Gold member", progress: null },
  ])(
    "$tier: the tier offer, its reason line and the progress to the next tier",
    async ({ tier, offer, reason, progress }) => {
      const customerId = treatmentCustomerId(offer);
      const { html, document, section, decision } = await renderCustomer({ customerId, tier });
      expect(decision).toMatchObject({ arm: "treatment", offer: { id: offer.id } });
      expect(section?.getAttribute("data-cadence-offer")).toBe(offer.id);
      expect(section?.getAttribute("data-cadence-arm")).toBe("treatment");
      expect(text(document.querySelector(".cadence-offer__reason"))).toBe(reason);
      expect(text(document.querySelector("h2.cadence-offer__headline"))).toBe(offer.content.headline);
      expect(text(document.querySelector(".cadence-offer__code-value"))).toBe(`${tier.toUpperCase()}15`);
      expect(text(document.querySelector(".cadence-offer__code"))).toBe(`Your code: ${tier.toUpperCase()}15`);
      if (progress) expect(text(document.querySelector(".cadence-offer__progress"))).toBe(progress);
      else expect(document.querySelector(".cadence-offer__progress")).toBeNull();
      expect(text(document.querySelector(".cadence-offer__why p"))).toContain(
        "We choose this offer from your orders with this shop",
      );
      const form = document.querySelector("form[data-cadence-preference]");
      expect(form?.getAttribute("method")).toBe("post");
      expect(form?.getAttribute("action")).toBe("/apps/cadence/preferences?personalised=0");
      expect(text(form?.querySelector("button"))).toBe("Stop personalised offers");
      expect(form?.querySelector("[role=status]")?.id).toBe(`cadence-status-${BLOCK_ID}`);
      expectNoPersonalData(html, customerId);
    },
  );

  test("progress counted in orders is pluralised, and amounts keep their pence", async () => {
    const customerId = treatmentCustomerId(silver);
    const byOrders = (remainingOrders: number) => ({
      tierKey: "silver",
      tierName: "Silver",
      next: { tierName: "Gold", remainingOrders },
    });
    const one = await renderCustomer({ customerId, standing: byOrders(1) });
    expect(text(one.document.querySelector(".cadence-offer__progress"))).toBe("Place 1 more order to reach Gold");
    const two = await renderCustomer({ customerId, standing: byOrders(2) });
    expect(text(two.document.querySelector(".cadence-offer__progress"))).toBe("Place 2 more orders to reach Gold");
    const pence = await renderCustomer({
      customerId,
      standing: { tierKey: "silver", tierName: "Silver", next: { tierName: "Gold", remainingSpendMinor: 123456 } },
    });
    expect(text(pence.document.querySelector(".cadence-offer__progress"))).toBe("Spend £1,234.56 more to reach Gold");
  });

  test("a shopper browsing in another currency is not shown a shop-currency amount", async () => {
    const bySpend = await renderCustomer(
      { customerId: treatmentCustomerId(bronze), tier: "bronze" },
      { presentmentCurrency: "EUR" },
    );
    expect(text(bySpend.document.querySelector(".cadence-offer__progress"))).toBe("You’re on your way to Silver");
    // Silver's next tier can also be reached by orders, which need no currency.
    const byOrders = await renderCustomer(
      { customerId: treatmentCustomerId(silver), tier: "silver" },
      { presentmentCurrency: "EUR" },
    );
    expect(text(byOrders.document.querySelector(".cadence-offer__progress"))).toBe("Place 2 more orders to reach Gold");
  });

  test("the reason line can be turned off; the explanation stays", async () => {
    const { document } = await renderCustomer(
      { customerId: treatmentCustomerId(gold), tier: "gold" },
      { settings: { show_reason: false } },
    );
    expect(document.querySelector(".cadence-offer__reason")).toBeNull();
    expect(document.querySelector(".cadence-offer__why")).not.toBeNull();
    // With no reason line naming the tier, the top tier is named in the progress line instead.
    expect(text(document.querySelector(".cadence-offer__progress"))).toBe("You’re a Gold member, our top tier");
  });
});

describe("segments", () => {
  test("an at-risk Gold customer gets the win-back offer (higher priority) with its reason", async () => {
    const customerId = treatmentCustomerId(winBack);
    const { html, document, section } = await renderCustomer({ customerId, tier: "gold", segments: ["at_risk"] });
    expect(section?.getAttribute("data-cadence-offer")).toBe("win-back");
    expect(text(document.querySelector(".cadence-offer__reason"))).toBe("Because it’s been a while");
    expect(text(document.querySelector("h2.cadence-offer__headline"))).toBe("We miss you: free delivery this week");
    expect(text(document.querySelector(".cadence-offer__code-value"))).toBe("COMEBACK");
    expect(html).not.toContain("GOLD15");
    expect(text(document.querySelector(".cadence-offer__progress"))).toBe("You’re a Gold member, our top tier");
    expectNoPersonalData(html, customerId);
  });

  test("the anniversary reason counts the years, in the shopper's language", async () => {
    const anniversary = offerById("anniversary");
    const customerId = treatmentCustomerId(anniversary);
    const setup = {
      customerId,
      tier: "silver" as const,
      segments: ["first_order_anniversary"],
      firstOrderAt: new Date("2024-04-20T09:00:00Z"),
    };
    const english = await renderCustomer(setup);
    expect(text(english.document.querySelector(".cadence-offer__reason"))).toBe(
      "Because it’s been 2 years since your first order",
    );
    const french = await renderCustomer({ ...setup, firstOrderAt: new Date("2025-04-20T09:00:00Z") }, { locale: "fr" });
    expect(text(french.document.querySelector(".cadence-offer__reason"))).toBe(
      "Parce que votre première commande date d’il y a 1 an",
    );
  });
});

describe("holdout", () => {
  test("a held-out Gold customer sees general content, reports an exposure for the holdout arm, and never sees the offer or its code", async () => {
    const customerId = holdoutCustomerId(gold);
    const { html, document, section, decision, values } = await renderCustomer({ customerId, tier: "gold" });
    expect(decision).toMatchObject({ arm: "holdout", offer: { id: "gold-members" } });
    expect(values.offer).toEqual({ v: 1, offer_id: "gold-members", holdout: true });
    expect(section?.getAttribute("data-cadence-offer")).toBe("gold-members");
    expect(section?.getAttribute("data-cadence-arm")).toBe("holdout");
    expect(text(document.querySelector("h2.cadence-offer__headline"))).toBe("New this season");
    expect(document.querySelector(".cadence-offer__reason")).toBeNull();
    expect(html).not.toContain("GOLD15");
    expect(html).not.toContain(gold.content.headline);
    expect(text(document.querySelector(".cadence-offer__why p"))).toContain("This is a general offer");
    expect(text(document.querySelector(".cadence-offer__progress"))).toBe("You’re a Gold member, our top tier");
    expect(text(document.querySelector("form[data-cadence-preference] button"))).toBe("Stop personalised offers");
    expectNoPersonalData(html, customerId);
  });

  test("the holdout arm and the treatment arm differ only by the offer: tier progress shows in both", async () => {
    const held = await renderCustomer({ customerId: holdoutCustomerId(silver), tier: "silver" });
    const treated = await renderCustomer({ customerId: treatmentCustomerId(silver), tier: "silver" });
    expect(text(held.document.querySelector(".cadence-offer__progress"))).toBe("Spend £40 more to reach Gold");
    expect(text(treated.document.querySelector(".cadence-offer__progress"))).toBe("Spend £40 more to reach Gold");
  });
});

describe("opted out", () => {
  test("an opted-out customer sees general content, no tier or offer, and the control to opt back in", async () => {
    const customerId = treatmentCustomerId(gold);
    const { html, document, section, values } = await renderCustomer({
      customerId,
      tier: "gold",
      segments: ["at_risk"],
      optedOut: true,
    });
    expect(values).toEqual({ opted_out: true });
    expect(section?.hasAttribute("data-cadence-offer")).toBe(false);
    expect(text(document.querySelector("h2.cadence-offer__headline"))).toBe("New this season");
    expect(document.querySelector(".cadence-offer__progress")).toBeNull();
    expect(text(document.querySelector(".cadence-offer__why p"))).toBe(
      "You’ve turned personalised offers off, so you see general offers only.",
    );
    const form = document.querySelector("form[data-cadence-preference]");
    expect(form?.getAttribute("action")).toBe("/apps/cadence/preferences?personalised=1");
    expect(text(form?.querySelector("button"))).toBe("Turn personalised offers back on");
    expect(html).not.toContain("COMEBACK");
    expectNoPersonalData(html, customerId);
  });

  test("opting out wins over an offer still published from before the opt-out", async () => {
    const customerId = treatmentCustomerId(gold);
    const { values } = published({ customerId, tier: "gold" });
    // The contract never publishes both, but Shopify holds both between the opt-out write and the publisher's
    // deletes: opted_out alone must hide the offer.
    expect(() => encodeCustomerMetafields({ ...values, opted_out: true })).toThrow(
      /opted-out customer keeps only opted_out/,
    );
    const { document, html } = await renderStorefront({
      customer: { id: customerId, values },
      extraCustomerMetafields: [{ key: "opted_out", type: "boolean", value: "true" }],
    });
    expect(html).not.toContain("GOLD15");
    expect(document.querySelector("section.cadence-offer")?.hasAttribute("data-cadence-offer")).toBe(false);
    expect(text(document.querySelector("form[data-cadence-preference] button"))).toBe(
      "Turn personalised offers back on",
    );
  });
});

describe("no offer", () => {
  test("a customer with no eligible offer sees general content and their progress, with nothing to measure", async () => {
    const customerId = treatmentCustomerId(gold);
    const { document, section, decision } = await renderCustomer({ customerId, tier: "bronze", offers: [] });
    expect(decision).toBeNull();
    expect(section?.hasAttribute("data-cadence-offer")).toBe(false);
    expect(text(document.querySelector("h2.cadence-offer__headline"))).toBe("New this season");
    expect(text(document.querySelector(".cadence-offer__progress"))).toBe("Spend £60 more to reach Silver");
    expect(text(document.querySelector(".cadence-offer__why p"))).toContain("This is a general offer");
  });
});

describe("languages", () => {
  test("French: reason, progress with the shop's euro format, explanation and control are translated", async () => {
    const customerId = treatmentCustomerId(silver);
    const { document } = await renderCustomer(
      {
        customerId,
        standing: { tierKey: "silver", tierName: "Argent", next: { tierName: "Or", remainingSpendMinor: 4050 } },
      },
      { locale: "fr", shopCurrency: "EUR", moneyFormat: "{{amount_with_comma_separator}} €" },
    );
    expect(text(document.querySelector(".cadence-offer__reason"))).toBe("Parce que vous êtes membre Argent");
    expect(text(document.querySelector(".cadence-offer__progress"))).toBe(
      "Dépensez encore 40,50 € pour atteindre le niveau Or",
    );
    expect(text(document.querySelector(".cadence-offer__why summary"))).toBe("Pourquoi cette offre ?");
    expect(text(document.querySelector("form[data-cadence-preference] button"))).toBe(
      "Désactiver les offres personnalisées",
    );
    expect(document.querySelector("section.cadence-offer")?.getAttribute("aria-label")).toBe("Une offre pour vous");
  });

  test("German: whole-euro amounts drop their trailing zeros", async () => {
    const { document } = await renderCustomer(
      {
        customerId: treatmentCustomerId(silver),
        standing: { tierKey: "silver", tierName: "Silber", next: { tierName: "Gold", remainingSpendMinor: 4000 } },
      },
      { locale: "de", shopCurrency: "EUR", moneyFormat: "{{amount_with_comma_separator}} €" },
    );
    expect(text(document.querySelector(".cadence-offer__progress"))).toBe("Noch 40 € bis zum Status Gold");
    expect(text(document.querySelector(".cadence-offer__reason"))).toBe("Weil Sie Silber-Mitglied sind");
  });
});

describe("markup safety and accessibility", () => {
  test("text from metafields is escaped, including inside translated sentences", async () => {
    const customerId = treatmentCustomerId(gold);
    const { values } = published({ customerId, tier: "gold" });
    const hostile = {
      ...values,
      offer: { ...(values.offer as object), headline: 'Gold <img src=x onerror="alert(1)">' },
    } as typeof values;
    const tierName = {
      ...hostile,
      offer: { ...(hostile.offer as object), reason: { key: "tier_member", params: { tier: "<b>Gold</b>" } } },
    } as typeof values;
    const { html, document } = await renderStorefront({ customer: { id: customerId, values: tierName } });
    expect(html).not.toContain("<img src=x");
    expect(html).not.toContain("<b>Gold</b>");
    expect(text(document.querySelector("h2.cadence-offer__headline"))).toBe('Gold <img src=x onerror="alert(1)">');
    expect(text(document.querySelector(".cadence-offer__reason"))).toBe("Because you’re a <b>Gold</b> member");
  });

  test("merchant colours below WCAG AA contrast are replaced by readable defaults", async () => {
    const customerId = treatmentCustomerId(gold);
    const readable = await renderCustomer(
      { customerId, tier: "gold" },
      { settings: { background_color: "#FFFFFF", text_color: "#333333" } },
    );
    expect(readable.section?.getAttribute("style")).toContain("--cadence-bg: #FFFFFF; --cadence-fg: #333333");
    const faint = await renderCustomer(
      { customerId, tier: "gold" },
      { settings: { background_color: "#FFFFFF", text_color: "#BBBBBB", accent_color: "#FFEE00" } },
    );
    expect(faint.section?.getAttribute("style")).toBe(
      "--cadence-bg: #FFFFFF; --cadence-fg: #1C1C1C; --cadence-accent: #1F4D3A; --cadence-accent-fg: #FFFFFF",
    );
  });

  test("the block is a labelled region, its image has its size reserved, and ids are unique per block", async () => {
    const customerId = treatmentCustomerId(gold);
    const { values } = published({ customerId, tier: "gold" });
    const withImage = {
      ...values,
      offer: {
        ...(values.offer as object),
        image: { url: "https://cdn.shopify.com/s/files/gold.jpg", alt: "Gold gift box", width: 640, height: 360 },
      },
    } as typeof values;
    const { document } = await renderStorefront({ customer: { id: customerId, values: withImage } });
    expect(document.querySelector("section.cadence-offer")?.getAttribute("aria-label")).toBe("An offer for you");
    const image = document.querySelector("img.cadence-offer__image");
    expect(image?.getAttribute("width")).toBe("640");
    expect(image?.getAttribute("height")).toBe("360");
    expect(image?.getAttribute("alt")).toBe("Gold gift box");
    expect(document.querySelector("h2")?.id).toBe(`cadence-offer-title-${BLOCK_ID}`);
  });
});
