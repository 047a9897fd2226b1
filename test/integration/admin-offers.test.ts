import { beforeAll, describe, expect, test } from "vitest";
import { runFullPass } from "../../app/profiles/full-pass.server";
import { adminFormRequest, adminRequest, appUnderTest, installTestShop, singleFetchActionData, singleFetchData, type AppUnderTest } from "../support/app-under-test";
import { AS_OF, seedGeneratedShop } from "./generated-shop";

// The offers pages through the real request handler: create, edit, activate, pause, resume, archive, delete a
// draft; bad input refused field by field with nothing stored; another shop's offer out of reach; results.

const SHOP = "admin-offers.myshopify.com";
const OTHER = "admin-offers-other.myshopify.com";
let app: AppUnderTest;
let shopId: string;

beforeAll(async () => {
  app = await appUnderTest();
  await installTestShop(app, SHOP);
  await installTestShop(app, OTHER);
  shopId = (await app.prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).id;
  await seedGeneratedShop(app, SHOP, 20);
  await runFullPass(app.prisma, shopId, { asOf: AS_OF });
}, 120_000);

const FORM = {
  name: "Gold thank-you",
  audience: "tier:gold",
  headline: "Thank you for being Gold",
  body: "Free shipping this week.",
  ctaLabel: "Shop now",
  ctaUrl: "/collections/all",
  discountKind: "existing_code",
  code: "GOLD10",
  priority: "5",
  startsAt: "",
  endsAt: "",
  holdoutPercent: "10",
};

async function post(path: string, fields: Record<string, string>, shop = SHOP) {
  const response = await app.handle(await adminFormRequest(path, shop, fields));
  return { status: response.status, result: await singleFetchActionData<{ errors?: Record<string, string>; saved?: string }>(response) };
}

const offers = () => app.prisma.offer.findMany({ where: { shopId }, orderBy: { id: "asc" } });

describe("offers admin", () => {
  test("bad input: each problem under its field, nothing stored", async () => {
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ headline: " " }, "headline", /./],
      [{ holdoutPercent: "75" }, "holdoutPercent", /0 to 50/],
      [{ startsAt: "2026-12-10", endsAt: "2026-12-01" }, "endsAt", /end after it starts/],
      [{ ctaUrl: "javascript:alert(1)" }, "ctaUrl", /path on the shop|https/],
      [{ audience: "tier:platinum" }, "audience", /Choose an audience/],
      [{ startsAt: "next week" }, "startsAt", /date like/],
      [{ audience: "guests", discountKind: "cadence_code" }, "discountKind", /guests/],
      [{ name: "" }, "name", /./],
    ];
    for (const [change, field, message] of cases) {
      const { status, result } = await post("/app/offers/new", { intent: "save", ...FORM, ...change });
      expect(status, field).toBe(400);
      expect(result.data?.errors?.[field], `${field}: ${JSON.stringify(result.data)}`).toMatch(message);
    }
    expect(await offers()).toEqual([]);
  });

  test("create, edit, activate, pause and resume", async () => {
    const created = await app.handle(await adminFormRequest("/app/offers/new", SHOP, { intent: "save", ...FORM }));
    const redirect = await singleFetchActionData(created);
    expect(redirect.redirect).toBe("/app/offers/gold-thank-you?saved=created");
    const [stored] = await offers();
    expect(stored).toMatchObject({ id: "gold-thank-you", status: "draft", priority: 5, holdoutPercent: 10, audience: { kind: "tier", tierKey: "gold" }, discount: { kind: "existing_code", code: "GOLD10" } });

    const edited = await post("/app/offers/gold-thank-you", { intent: "save", ...FORM, headline: "Gold members: thank you", endsAt: "2027-01-31" });
    expect(edited.status).toBe(200);
    const afterEdit = (await offers())[0]!;
    expect(afterEdit.content).toMatchObject({ headline: "Gold members: thank you" });
    expect(afterEdit.endsAt?.toISOString()).toBe("2027-01-31T00:00:00.000Z");

    const badEdit = await post("/app/offers/gold-thank-you", { intent: "save", ...FORM, headline: "" });
    expect(badEdit.status).toBe(400);
    expect((await offers())[0]!.content).toEqual(afterEdit.content);

    for (const [intent, status] of [["activate", "active"], ["pause", "paused"], ["activate", "active"]] as const) {
      expect((await post("/app/offers/gold-thank-you", { intent })).status).toBe(200);
      expect((await offers())[0]!.status).toBe(status);
    }
    const list = await singleFetchData<{ offers: { id: string; status: string }[] }>(await app.handle(await adminRequest("/app/offers.data?_routes=routes%2Fapp.offers._index", SHOP)), "routes/app.offers._index");
    expect(list.offers).toEqual([expect.objectContaining({ id: "gold-thank-you", status: "active" })]);
    // An active offer is archived, not deleted: its results stay readable.
    expect((await post("/app/offers/gold-thank-you", { intent: "delete" })).status).toBe(400);
  });

  test("results count each exposed shopper once per arm, with the verdict", async () => {
    const profiles = await app.prisma.customerProfile.findMany({ where: { shopId }, take: 6 });
    const now = Date.now();
    await app.prisma.offerEvent.createMany({
      data: profiles.flatMap((p, i) => [0, 1].map((n) => ({ shopId, offerId: "gold-thank-you", type: "exposure", arm: i < 4 ? "treatment" : "holdout", surface: "block", customerShopifyId: p.customerShopifyId, requestKey: `${p.customerShopifyId}-${n}`, occurredAt: new Date(now - 3600_000) }))),
    });
    const response = await app.handle(await adminRequest("/app/offers/gold-thank-you.data?_routes=routes%2Fapp.offers.%24id", SHOP));
    const data = await singleFetchData<{ report: { report: { arms: Record<string, { shoppers: number; exposures: number }>; verdict: { kind: string } } } }>(response, "routes/app.offers.$id");
    expect(data.report.report.arms.treatment).toMatchObject({ shoppers: 4, exposures: 8 });
    expect(data.report.report.arms.holdout).toMatchObject({ shoppers: 2, exposures: 4 });
    expect(data.report.report.verdict.kind).toBe("too_early");
  });

  test("another shop cannot see or change this shop's offer", async () => {
    const page = await app.handle(await adminRequest("/app/offers/gold-thank-you.data?_routes=routes%2Fapp.offers.%24id", OTHER));
    expect(page.status).toBe(404);
    const { status } = await post("/app/offers/gold-thank-you", { intent: "pause" }, OTHER);
    expect(status).toBe(404);
    expect((await offers())[0]!.status).toBe("active");
  });

  test("a draft can be deleted", async () => {
    await post("/app/offers/new", { intent: "save", ...FORM, name: "Lapsed nudge", audience: "segment:lapsed", discountKind: "none", code: "" });
    const response = await app.handle(await adminFormRequest("/app/offers/lapsed-nudge", SHOP, { intent: "delete" }));
    expect((await singleFetchActionData(response)).redirect).toBe("/app/offers?saved=deleted");
    expect((await offers()).map((offer) => offer.id)).toEqual(["gold-thank-you"]);
  });
});
