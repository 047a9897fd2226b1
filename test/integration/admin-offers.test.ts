import { beforeAll, describe, expect, test } from "vitest";
import type { AudienceChoice, OfferAction, OfferListRow, OfferResults } from "~/admin-data/offers.server";
import type { OfferFormValues } from "~/admin-data/offer-form";
import { database } from "~/db.server";
import { recordOfferEvent } from "~/offers/events.server";
import { shopOfferReports } from "~/offers/report.server";
import { createOffer, listOffers } from "~/offers/store.server";
import {
  adminFormRequest,
  adminRequest,
  appUnderTest,
  installTestShop,
  singleFetchActionData,
  singleFetchData,
} from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { orderRow } from "../support/orders";

// The Offers admin pages through the real request handler with session tokens: list, create, edit, status changes
// and results, and bad input answered with field errors and nothing saved.

const SHOP = "admin-offers.myshopify.com";
const OTHER = "admin-offers-other.myshopify.com";
let app: AppUnderTest;
let shopId: string;
let otherShopId: string;

const VALID = {
  name: "Spring sale",
  audience: "segment:at_risk",
  "content.headline": "Come back for 15% off",
  "content.body": "This week only.",
  "content.ctaLabel": "Shop now",
  "content.ctaUrl": "/collections/all",
  "content.image.url": "",
  "discount.kind": "existing_code",
  "discount.code": "SPRING15",
  priority: "3",
  startsAt: "2026-12-01",
  endsAt: "2026-12-15",
  holdoutPercent: "20",
};

// A Cadence-created code: 12.5% off (the code itself is Cadence's to set).
const CADENCE_CODE = {
  "discount.kind": "cadence_code",
  "discount.value.type": "percentage",
  "discount.value.percent": "12.5",
};

interface EditPage {
  offer: { id: string; status: string; values: OfferFormValues };
  audiences: AudienceChoice[];
  results: OfferResults | null;
}
interface ListPage {
  offers: OfferListRow[];
}
// Either answer's fields, so a test can assert on whichever came back.
type ActionResult = {
  ok: boolean;
  errors: Record<string, string>;
  offerId?: string;
  message?: string;
  deleted?: boolean;
};

const offerData = async (id: string, shop = SHOP) => {
  const response = await app.handle(
    await adminRequest(`/app/offers/${id}.data?_routes=routes%2Fapp.offers.%24id`, shop),
  );
  return {
    response,
    data: response.status === 200 ? await singleFetchData<EditPage>(response, "routes/app.offers.$id") : undefined,
  };
};
const post = async (path: string, fields: Record<string, string>, shop = SHOP) => {
  const response = await app.handle(await adminFormRequest(path, shop, fields));
  return {
    status: response.status,
    result: (await singleFetchActionData<OfferAction>(response)).data as ActionResult | undefined,
  };
};
const stored = () => listOffers(app.prisma, shopId);

beforeAll(async () => {
  app = await appUnderTest();
  await installTestShop(app, SHOP);
  await installTestShop(app, OTHER);
  shopId = (await app.prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).id;
  otherShopId = (await app.prisma.shop.findUniqueOrThrow({ where: { domain: OTHER } })).id;
  await app.prisma.segmentDefinition.create({
    data: { shopId, key: "custom_big-spenders", name: "Big spenders", rule: {} },
  });
});

describe("offers list", () => {
  test("an empty shop has no offers; after one is created the list shows its status, audience, priority and headline", async () => {
    const path = "/app/offers.data?_routes=routes%2Fapp.offers._index";
    const empty = await singleFetchData<ListPage>(
      await app.handle(await adminRequest(path, OTHER)),
      "routes/app.offers._index",
    );
    expect(empty.offers).toEqual([]);
    await createOffer(app.prisma, otherShopId, {
      id: "listed",
      name: "Listed",
      audience: { kind: "everyone" },
      content: { headline: "Hello", ctaLabel: "Go", ctaUrl: "/" },
      priority: 4,
      status: "active",
    });
    const list = await singleFetchData<ListPage>(
      await app.handle(await adminRequest(path, OTHER)),
      "routes/app.offers._index",
    );
    expect(list.offers).toEqual([
      expect.objectContaining({
        id: "listed",
        name: "Listed",
        status: "active",
        audience: "Everyone",
        priority: 4,
        headline: "Hello",
        exposures: 0,
        lift: null,
      }),
    ]);
  });
});

describe("create and edit", () => {
  test("the new-offer page offers the shop's audiences, custom segments included", async () => {
    const response = await app.handle(await adminRequest("/app/offers/new.data?_routes=routes%2Fapp.offers.new", SHOP));
    const { audiences } = await singleFetchData<{ audiences: Array<{ value: string }> }>(
      response,
      "routes/app.offers.new",
    );
    const values = audiences.map((choice) => choice.value);
    expect(values).toEqual(
      expect.arrayContaining([
        "everyone",
        "guests",
        "segment:at_risk",
        "segment:lapsed",
        "custom_segment:custom_big-spenders",
      ]),
    );
  });

  test("creating stores a draft with every field; editing changes it; pause and resume change its status", async () => {
    const created = await post("/app/offers/new", { ...VALID, intent: "save" });
    expect(created).toMatchObject({ status: 200, result: { ok: true, offerId: "spring-sale" } });
    const [offer] = await stored();
    expect(offer).toMatchObject({
      id: "spring-sale",
      status: "draft",
      audience: { kind: "segment", segmentKey: "at_risk" },
      content: {
        headline: "Come back for 15% off",
        body: "This week only.",
        ctaLabel: "Shop now",
        ctaUrl: "/collections/all",
      },
      discount: { kind: "existing_code", code: "SPRING15" },
      priority: 3,
      holdoutPercent: 20,
      startsAt: new Date("2026-12-01T00:00:00Z"),
      endsAt: new Date("2026-12-15T00:00:00Z"),
    });

    const page = await offerData("spring-sale");
    expect(page.data?.offer.values).toMatchObject({ ...VALID, "content.image.url": "" });
    expect(page.data?.results).toBeNull();

    const edited = await post("/app/offers/spring-sale", {
      ...VALID,
      audience: "custom_segment:custom_big-spenders",
      "content.headline": "New headline",
      "content.image.url": "https://cdn.example.com/a.png",
      "content.image.alt": "A coat",
      "content.image.width": "800",
      "content.image.height": "600",
      ...CADENCE_CODE,
      "discount.minimumSubtotal": "40.50",
      "discount.oncePerCustomer": "false",
      intent: "save",
    });
    expect(edited).toMatchObject({ status: 200, result: { ok: true, message: "Offer saved" } });
    expect((await stored())[0]).toMatchObject({
      audience: { kind: "custom_segment", segmentId: "custom_big-spenders" },
      content: {
        headline: "New headline",
        image: { url: "https://cdn.example.com/a.png", alt: "A coat", width: 800, height: 600 },
      },
      discount: {
        kind: "cadence_code",
        code: null,
        value: { type: "percentage", percent: 12.5 },
        minimumSubtotalMinor: 4050,
        oncePerCustomer: false,
      },
    });
    // The form shows the amounts as typed, in the shop currency; Cadence's discount job is told to create the code.
    expect((await offerData("spring-sale")).data?.offer.values).toMatchObject({
      ...CADENCE_CODE,
      "discount.minimumSubtotal": "40.50",
      "discount.oncePerCustomer": "false",
    });
    expect(
      await app.prisma.offerDiscount.findUnique({ where: { shopId_offerId: { shopId, offerId: "spring-sale" } } }),
    ).toMatchObject({ pendingSince: expect.any(Date), discountGid: null });

    for (const [intent, status] of [
      ["activate", "active"],
      ["pause", "paused"],
      ["resume", "active"],
    ] as const) {
      expect((await post("/app/offers/spring-sale", { intent })).status).toBe(200);
      expect((await stored())[0]?.status).toBe(status);
    }
    const deleteActive = await post("/app/offers/spring-sale", { intent: "delete" });
    expect(deleteActive).toMatchObject({
      status: 400,
      result: { ok: false, errors: { id: expect.stringMatching(/Only a draft/) } },
    });
    expect(await stored()).toHaveLength(1);
  });

  test("a draft can be deleted", async () => {
    await post("/app/offers/new", { ...VALID, name: "Throwaway", intent: "save" });
    expect((await stored()).map((offer) => offer.id)).toContain("throwaway");
    expect(await post("/app/offers/throwaway", { intent: "delete" })).toMatchObject({
      status: 200,
      result: { ok: true, deleted: true },
    });
    expect((await stored()).map((offer) => offer.id)).not.toContain("throwaway");
  });
});

describe("bad input: 400 with field errors, nothing saved", () => {
  const cases: Array<[string, Record<string, string>, string]> = [
    ["an empty headline", { "content.headline": "" }, "content.headline"],
    ["a holdout above 50%", { holdoutPercent: "60" }, "holdoutPercent"],
    ["a negative holdout", { holdoutPercent: "-1" }, "holdoutPercent"],
    ["an end before the start", { startsAt: "2026-12-15", endsAt: "2026-12-01" }, "endsAt"],
    ["a CTA link that is neither a shop path nor https", { "content.ctaUrl": "javascript:alert(1)" }, "content.ctaUrl"],
    ["an audience the shop does not have", { audience: "tier:platinum" }, "audience"],
    ["a made-up audience kind", { audience: "vip:all" }, "audience"],
    ["an existing-code discount without a code", { "discount.code": "" }, "discount.code"],
  ];

  test.each(cases)("creating with %s", async (_, change, field) => {
    const before = await stored();
    const { status, result } = await post("/app/offers/new", {
      ...VALID,
      name: `Bad ${field}`,
      ...change,
      intent: "save",
    });
    expect(status).toBe(400);
    expect(result?.ok).toBe(false);
    expect(result?.errors[field]).toEqual(expect.any(String));
    expect(await stored()).toEqual(before);
  });

  test.each(cases)("editing with %s", async (_, change, field) => {
    const before = await stored();
    expect(before.map((offer) => offer.id)).toContain("spring-sale");
    const { status, result } = await post("/app/offers/spring-sale", { ...VALID, ...change, intent: "save" });
    expect(status).toBe(400);
    expect(result?.errors[field]).toEqual(expect.any(String));
    expect(await stored()).toEqual(before);
  });

  // Field names are the form's: amounts are typed in the shop currency's major units.
  const codeCases: Array<[string, Record<string, string>, string]> = [
    ["no percentage", { "discount.value.percent": "" }, "discount.value.percent"],
    ["0%", { "discount.value.percent": "0" }, "discount.value.percent"],
    ["more than 100%", { "discount.value.percent": "150" }, "discount.value.percent"],
    ["a percentage with three decimals", { "discount.value.percent": "12.345" }, "discount.value.percent"],
    [
      "an amount that is not a number",
      { "discount.value.type": "fixed_amount", "discount.value.amount": "ten" },
      "discount.value.amount",
    ],
    [
      "an amount finer than the currency's pence",
      { "discount.value.type": "fixed_amount", "discount.value.amount": "10.001" },
      "discount.value.amount",
    ],
    [
      "an amount of zero",
      { "discount.value.type": "fixed_amount", "discount.value.amount": "0.00" },
      "discount.value.amount",
    ],
    ["a negative minimum subtotal", { "discount.minimumSubtotal": "-5" }, "discount.minimumSubtotal"],
    ["an unknown kind of value", { "discount.value.type": "free_gift" }, "discount.value.type"],
    ["guests as the audience", { audience: "guests", holdoutPercent: "0" }, "discount"],
  ];

  test.each(codeCases)("a Cadence-created code with %s", async (_, change, field) => {
    const before = await stored();
    const created = await post("/app/offers/new", {
      ...VALID,
      ...CADENCE_CODE,
      name: `Code ${field}`,
      ...change,
      intent: "save",
    });
    expect(created.status).toBe(400);
    expect(created.result?.errors[field]).toEqual(expect.any(String));
    const edited = await post("/app/offers/spring-sale", { ...VALID, ...CADENCE_CODE, ...change, intent: "save" });
    expect(edited.status).toBe(400);
    expect(edited.result?.errors[field]).toEqual(expect.any(String));
    expect(await stored()).toEqual(before);
  });

  test("another shop's offer is not found: neither read nor changed", async () => {
    const before = await listOffers(app.prisma, otherShopId);
    expect(before.map((offer) => offer.id)).toContain("listed");
    expect((await offerData("listed", SHOP)).response.status).toBe(404);
    for (const intent of ["save", "pause", "delete"]) {
      const response = await app.handle(await adminFormRequest("/app/offers/listed", SHOP, { ...VALID, intent }));
      expect(response.status).toBe(404);
    }
    expect(await listOffers(app.prisma, otherShopId)).toEqual(before);
  });

  test("an unknown action is refused", async () => {
    const before = await stored();
    expect(await post("/app/offers/spring-sale", { intent: "launch-rockets" })).toMatchObject({
      status: 400,
      result: { errors: { intent: expect.any(String) } },
    });
    expect(await stored()).toEqual(before);
  });
});

describe("results", () => {
  test("the edit page's and the list's results are shopOfferReports' figures", async () => {
    await createOffer(app.prisma, shopId, {
      id: "measured",
      name: "Measured",
      audience: { kind: "everyone" },
      content: { headline: "Thanks", ctaLabel: "Shop", ctaUrl: "/" },
      status: "active",
    });
    const t0 = new Date("2026-10-01T12:00:00Z");
    let n = 0;
    const seen = (customerId: string | null, arm: "treatment" | "holdout", type: "exposure" | "click" = "exposure") =>
      recordOfferEvent(database().sql, shopId, {
        type,
        offerId: "measured",
        arm,
        surface: "block",
        customerId,
        signature: `m${(n += 1)}`,
        at: t0,
      });
    for (let i = 1; i <= 30; i += 1) await seen(`${i}`, i <= 20 ? "treatment" : "holdout");
    await seen("1", "treatment", "click");
    await seen(null, "treatment");
    await app.prisma.order.createMany({
      data: [1, 2, 3, 4, 5, 6, 21, 22].map((i) =>
        orderRow(shopId, `${i}`, new Date(t0.getTime() + 86_400_000), BigInt(1000 + i * 100)),
      ),
    });

    const reports = await shopOfferReports(app.prisma, SHOP);
    const expected = reports.offers.find((row) => row.offer.id === "measured")!;
    const { data } = await offerData("measured");
    const results = data!.results!;
    for (const arm of ["treatment", "holdout"] as const) {
      const outcome = expected.report.arms[arm];
      expect(results.arms[arm]).toEqual({
        exposures: outcome.exposures,
        shoppers: outcome.shoppers,
        conversions: outcome.conversions,
        conversionRate: outcome.conversionRate,
        revenuePerShopperMinor: outcome.revenue.mean,
        clicks: expected.clicks[arm],
      });
    }
    expect(results.arms.treatment).toMatchObject({ shoppers: 20, conversions: 6, clicks: 1 });
    expect(results.arms.holdout).toMatchObject({ shoppers: 10, conversions: 2 });
    expect(results.lift).toEqual(expected.report.lift);
    expect(results.lift!.conversionDifference.estimate).toBeCloseTo(0.3 - 0.2, 10);
    expect(results.verdict).toEqual(expected.report.verdict);
    expect(results.verdict.kind).toBe("too_early");
    expect(results.guest).toEqual({ exposures: 1, clicks: 0 });

    const list = await singleFetchData<ListPage>(
      await app.handle(await adminRequest("/app/offers.data?_routes=routes%2Fapp.offers._index", SHOP)),
      "routes/app.offers._index",
    );
    expect(list.offers.find((offer) => offer.id === "measured")).toMatchObject({
      exposures: 31,
      lift: expected.report.lift!.conversionDifference,
      verdict: "too_early",
    });
  });
});
