import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { DiscountStatus } from "~/admin-data/offer-discount-status";
import { database } from "~/db.server";
import { DEMO_ACCESS_TOKEN } from "~/dev-shell/demo-session";
import { discountJobs } from "~/jobs/discount-jobs";
import { publishJobs } from "~/jobs/publish-jobs";
import type { PublishJobDeps } from "~/jobs/publish-jobs";
import { JOBS } from "~/queue/queue.server";
import { isLive } from "~/offers/model";
import type { OfferInput } from "~/offers/model";
import { createOffer, deleteDraftOffer, getOffer, setOfferStatus, updateOffer } from "~/offers/store.server";
import {
  adminFormRequest,
  adminRequest,
  appUnderTest,
  installTestShop,
  singleFetchActionData,
  singleFetchData,
} from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { APP_NAMESPACE, FakeShopifyDiscounts } from "../support/shopify-discounts";
import { syncHarness } from "../support/sync-harness";
import type { SyncHarness } from "../support/sync-harness";

// The discount job against the Admin API mock (every document validated against both schemas, variables coerced,
// answers shape-checked): a Cadence-created code becomes a native segment mirroring the audience and a code discount
// restricted to it; pausing deactivates it, deleting removes it; Shopify's refusals show on the offer's page with
// Retry and nothing is marked ready; a re-run, even after a lost answer, creates nothing twice.

const SHOP = "discount-sync.myshopify.com";
let app: AppUnderTest;
let shopId: string;
let shopify: FakeShopifyDiscounts;
let harness: SyncHarness;
let deps: PublishJobDeps;

const record = (offerId: string) =>
  app.prisma.offerDiscount.findUnique({ where: { shopId_offerId: { shopId, offerId } } });
const sync = (offerId: string) => discountJobs.syncDiscount(deps, { shopId, offerId });
const calls = (operation: string) => harness.mock.callsOf(operation).filter((call) => call.answer === "data");

async function codedOffer(id: string, overrides: Partial<OfferInput> = {}) {
  const created = await createOffer(app.prisma, shopId, {
    id,
    name: `Offer ${id}`,
    audience: { kind: "tier", tierKey: "gold" },
    content: { headline: "15% off for Gold members", ctaLabel: "Shop", ctaUrl: "/collections/all" },
    discount: { kind: "cadence_code", code: null, value: { type: "percentage", percent: 15 } },
    status: "active",
    ...overrides,
  });
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  return created.offer;
}

async function discountStatusOnPage(offerId: string): Promise<DiscountStatus | null> {
  const response = await app.handle(
    await adminRequest(`/app/offers/${offerId}.data?_routes=routes%2Fapp.offers.%24id`, SHOP),
  );
  return (await singleFetchData<{ discount: DiscountStatus | null }>(response, "routes/app.offers.$id")).discount;
}

beforeAll(async () => {
  app = await appUnderTest();
  await installTestShop(app, SHOP, "GBP");
  shopId = (await app.prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).id;
  shopify = new FakeShopifyDiscounts({ withoutDefinitions: ["custom_segments"] });
  harness = syncHarness(SHOP, shopify.resolvers());
  deps = { database: database(), access: harness.deps.access, enqueue: harness.deps.enqueue, log: harness.deps.log };
});
afterAll(() => harness.mock.stop());
beforeEach(() => {
  harness.mock.calls.splice(0);
  harness.queued.splice(0);
});

describe("activating an offer with a Cadence-created code", () => {
  test("a draft creates nothing in Shopify; the page says the code comes with activation", async () => {
    await codedOffer("gold", { status: "draft" });
    expect(await record("gold")).toMatchObject({
      pendingSince: expect.any(Date),
      segmentGid: null,
      discountGid: null,
      code: expect.stringMatching(/^GOLD-[A-HJ-NP-Z2-9]{6}$/),
    });
    await sync("gold");
    expect(harness.mock.calls).toEqual([]);
    expect(await record("gold")).toMatchObject({ pendingSince: null, active: false });
    expect(await discountStatusOnPage("gold")).toMatchObject({
      tone: "info",
      title: expect.stringMatching(/when the offer is activated/),
    });
  });

  test("activation: the segment from the tier metafield, then the discount restricted to it; both GIDs and the code stored; the offer is ready and published", async () => {
    await setOfferStatus(app.prisma, shopId, "gold", "active");
    expect((await getOffer(app.prisma, shopId, "gold"))?.discount).toMatchObject({ code: null });
    expect(await discountStatusOnPage("gold")).toMatchObject({ tone: "warning", title: "Waiting for Shopify" });

    await sync("gold");
    const { code, segmentGid, discountGid, pendingSince, active, lastError } = (await record("gold"))!;
    expect(calls("SegmentCreate").map((call) => call.variables)).toEqual([
      { name: "Cadence offer gold", query: `metafields.${APP_NAMESPACE}.tier = 'gold'` },
    ]);
    expect(calls("DiscountCodeBasicCreate").map((call) => call.variables.discount)).toEqual([
      {
        title: code,
        code,
        startsAt: expect.any(String),
        endsAt: null,
        context: { customerSegments: { add: [segmentGid] } },
        customerGets: { value: { percentage: 0.15 }, items: { all: true } },
        minimumRequirement: null,
        appliesOncePerCustomer: true,
        usageLimit: null,
      },
    ]);
    expect(harness.mock.calls.map((call) => call.operationName)).toEqual([
      "AppCustomerMetafieldDefinitions",
      "SegmentsByName",
      "SegmentCreate",
      "CodeDiscountByCode",
      "DiscountCodeBasicCreate",
    ]);
    expect(segmentGid).toBe([...shopify.segments.keys()][0]);
    expect(discountGid).toBe(shopify.discountByCode(code)?.id);
    expect({ pendingSince, active, lastError }).toEqual({ pendingSince: null, active: true, lastError: null });

    const offer = await getOffer(app.prisma, shopId, "gold");
    expect(offer?.discount).toMatchObject({ kind: "cadence_code", code });
    expect(isLive(offer!, new Date())).toBe(true);
    expect(harness.take(JOBS.publish).map((job) => job.data)).toEqual([{ shopId }]);
    expect(await discountStatusOnPage("gold")).toMatchObject({
      tone: "success",
      title: `Code ${code} is live in Shopify`,
      segmentName: "Cadence offer gold",
    });
  });

  test("a re-run finds both again by their GIDs and creates nothing twice", async () => {
    await sync("gold");
    expect(calls("SegmentCreate")).toEqual([]);
    expect(calls("DiscountCodeBasicCreate")).toEqual([]);
    expect(harness.mock.calls.map((call) => call.operationName)).toEqual([
      "AppCustomerMetafieldDefinitions",
      "SegmentById",
      "CodeDiscountById",
      "DiscountCodeBasicUpdate",
    ]);
    expect(shopify.segments.size).toBe(1);
    expect(shopify.discounts.size).toBe(1);
  });

  test("a content edit keeps the code shown; a new value waits for Shopify and updates the same discount", async () => {
    const { code } = (await record("gold"))!;
    await updateOffer(app.prisma, shopId, "gold", {
      content: { headline: "Gold: 15% off", ctaLabel: "Shop", ctaUrl: "/" },
    });
    expect((await getOffer(app.prisma, shopId, "gold"))?.discount).toMatchObject({ code });

    await updateOffer(app.prisma, shopId, "gold", {
      discount: {
        kind: "cadence_code",
        code: null,
        value: { type: "fixed_amount", amountMinor: 1050 },
        minimumSubtotalMinor: 4000,
      },
    });
    expect((await getOffer(app.prisma, shopId, "gold"))?.discount).toMatchObject({ code: null });
    await sync("gold");
    expect(calls("DiscountCodeBasicUpdate").map((call) => call.variables.discount)).toEqual([
      expect.objectContaining({
        customerGets: {
          value: { discountAmount: { amount: "10.50", appliesOnEachItem: false } },
          items: { all: true },
        },
        minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: "40.00" } },
      }),
    ]);
    expect(shopify.discounts.size).toBe(1);
    expect((await getOffer(app.prisma, shopId, "gold"))?.discount).toMatchObject({ code });
  });
});

describe("pausing, resuming, changing the audience", () => {
  test("pausing deactivates the discount in Shopify; resuming waits until it is active again", async () => {
    const { code, discountGid } = (await record("gold"))!;
    await setOfferStatus(app.prisma, shopId, "gold", "paused");
    await sync("gold");
    expect(calls("DiscountCodeDeactivate").map((call) => call.variables)).toEqual([{ id: discountGid }]);
    expect(shopify.status(shopify.discounts.get(discountGid!)!)).toBe("EXPIRED");
    expect(await record("gold")).toMatchObject({ active: false, pendingSince: null });
    expect(await discountStatusOnPage("gold")).toMatchObject({
      title: "The code is deactivated in Shopify while the offer is paused",
    });

    await setOfferStatus(app.prisma, shopId, "gold", "active");
    expect((await getOffer(app.prisma, shopId, "gold"))?.discount).toMatchObject({ code: null });
    await sync("gold");
    expect(shopify.status(shopify.discounts.get(discountGid!)!)).toBe("ACTIVE");
    expect((await getOffer(app.prisma, shopId, "gold"))?.discount).toMatchObject({ code });
  });

  test("a new audience updates the same segment's query; 'everyone' opens the code to all and deletes the segment", async () => {
    const { segmentGid } = (await record("gold"))!;
    await updateOffer(app.prisma, shopId, "gold", { audience: { kind: "segment", segmentKey: "at_risk" } });
    await sync("gold");
    expect(calls("SegmentUpdate").map((call) => call.variables)).toEqual([
      { id: segmentGid, name: "Cadence offer gold", query: `metafields.${APP_NAMESPACE}.segments CONTAINS 'at_risk'` },
    ]);
    expect(shopify.segments.get(segmentGid!)?.query).toBe(`metafields.${APP_NAMESPACE}.segments CONTAINS 'at_risk'`);

    await updateOffer(app.prisma, shopId, "gold", { audience: { kind: "everyone" } });
    harness.mock.calls.splice(0);
    await sync("gold");
    expect(
      calls("DiscountCodeBasicUpdate").map((call) => (call.variables.discount as { context: unknown }).context),
    ).toEqual([{ all: "ALL" }]);
    expect(calls("SegmentDelete").map((call) => call.variables)).toEqual([{ id: segmentGid }]);
    expect(shopify.segments.size).toBe(0);
    expect(await record("gold")).toMatchObject({ segmentGid: null, discountGid: expect.any(String) });
  });

  test("a custom segment on a shop installed before its metafield existed: the definition is created, then the segment filters on it", async () => {
    await codedOffer("vip", { audience: { kind: "custom_segment", segmentId: "custom:vip" } });
    await sync("vip");
    const created = harness.mock
      .callsOf("CadenceMetafieldDefinitionCreate")
      .map((call) => (call.variables.definition as { key: string }).key);
    expect(created).toContain("custom_segments");
    expect(calls("SegmentCreate").map((call) => call.variables.query)).toEqual([
      `metafields.${APP_NAMESPACE}.custom_segments CONTAINS 'vip'`,
    ]);
    expect((await getOffer(app.prisma, shopId, "vip"))?.discount).toMatchObject({ code: (await record("vip"))?.code });
  });
});

describe("failures", () => {
  test("Shopify's userErrors: the page shows them with Retry, nothing is marked ready, nothing half-made goes unrecorded; Retry then succeeds", async () => {
    await codedOffer("lapsed", { audience: { kind: "segment", segmentKey: "lapsed" } });
    shopify.refuseNext("DiscountCodeBasicCreate", [
      { field: ["basicCodeDiscount", "customerGets"], message: "Value must be greater than 0", code: "GREATER_THAN" },
    ]);
    await sync("lapsed"); // a refusal is stored, not retried by the queue: the job does not throw
    const failed = (await record("lapsed"))!;
    expect(failed).toMatchObject({
      lastError: expect.stringContaining("Value must be greater than 0"),
      lastErrorTemporary: false,
      pendingSince: expect.any(Date),
      discountGid: null,
    });
    // The segment Shopify did create is recorded, so the retry reuses it.
    expect(failed.segmentGid).toBe(
      [...shopify.segments.values()].find((segment) => segment.name === "Cadence offer lapsed")?.id,
    );
    expect((await getOffer(app.prisma, shopId, "lapsed"))?.discount).toMatchObject({ code: null });
    expect(harness.take(JOBS.publish)).toEqual([]);
    expect(await discountStatusOnPage("lapsed")).toMatchObject({
      tone: "critical",
      message: expect.stringContaining(
        "Shopify refused the discount code: basicCodeDiscount.customerGets: Value must be greater than 0",
      ),
      canRetry: true,
    });
    // Waiting for the merchant: the sweep leaves it alone.
    expect((await discountJobs.syncDiscountsAll(deps), harness.take(JOBS.discountSync))).toEqual([]);

    const retried = await singleFetchActionData<{ ok: boolean }>(
      await app.handle(await adminFormRequest("/app/offers/lapsed", SHOP, { intent: "retry-discount" })),
    );
    expect(retried.data).toMatchObject({ ok: true });
    expect(await record("lapsed")).toMatchObject({ lastError: null, pendingSince: expect.any(Date) });
    harness.mock.calls.splice(0);
    await sync("lapsed");
    expect(calls("SegmentCreate")).toEqual([]);
    expect((await getOffer(app.prisma, shopId, "lapsed"))?.discount).toMatchObject({ code: failed.code });
    expect([...shopify.segments.values()].filter((segment) => segment.name === "Cadence offer lapsed")).toHaveLength(1);
  });

  test("an answer lost after Shopify created the segment, then the discount: each re-run finds what was made by name or code", async () => {
    await codedOffer("lost", { audience: { kind: "tier", tierKey: "silver" } });
    shopify.loseNextAnswer("SegmentCreate");
    await expect(sync("lost")).rejects.toThrow(/SegmentCreate/); // left to the queue's retries
    expect(await record("lost")).toMatchObject({
      segmentGid: null,
      lastErrorTemporary: true,
      lastError: expect.stringMatching(/could not be reached/),
    });
    expect(await discountStatusOnPage("lost")).toMatchObject({ tone: "warning", title: "Waiting for Shopify" });

    shopify.loseNextAnswer("DiscountCodeBasicCreate");
    await expect(sync("lost")).rejects.toThrow(/DiscountCodeBasicCreate/);
    const segment = [...shopify.segments.values()].find((candidate) => candidate.name === "Cadence offer lost");
    expect(await record("lost")).toMatchObject({ segmentGid: segment?.id, discountGid: null });

    await sync("lost");
    const { code, discountGid } = (await record("lost"))!;
    expect(discountGid).toBe(shopify.discountByCode(code)?.id);
    expect([...shopify.segments.values()].filter((candidate) => candidate.name === "Cadence offer lost")).toHaveLength(
      1,
    );
    expect([...shopify.discounts.values()].filter((candidate) => candidate.input.code === code)).toHaveLength(1);
    expect((await getOffer(app.prisma, shopId, "lost"))?.discount).toMatchObject({ code });
  });

  test("the demo's shop (no Shopify store): nothing is sent, the offer waits for Shopify and is not shown", async () => {
    const DEMO = "discount-sync-demo.myshopify.com";
    await installTestShop(app, DEMO);
    const demoId = (await app.prisma.shop.findUniqueOrThrow({ where: { domain: DEMO } })).id;
    await app.prisma.session.update({ where: { id: `offline_${DEMO}` }, data: { accessToken: DEMO_ACCESS_TOKEN } });
    const created = await createOffer(app.prisma, demoId, {
      id: "demo-gold",
      name: "Gold",
      audience: { kind: "tier", tierKey: "gold" },
      content: { headline: "15% off", ctaLabel: "Shop", ctaUrl: "/" },
      discount: { kind: "cadence_code", code: null, value: { type: "percentage", percent: 15 } },
      status: "active",
    });
    expect(created.ok).toBe(true);
    // The real background access, as the demo's server runs it (imported now: it loads Shopify's library, whose
    // session storage opens the database this test file was given).
    const { offlineAccess } = await import("~/jobs/background.server");
    await discountJobs.syncDiscount({ ...deps, access: offlineAccess }, { shopId: demoId, offerId: "demo-gold" });
    expect(harness.mock.calls).toEqual([]);
    const row = await app.prisma.offerDiscount.findUniqueOrThrow({
      where: { shopId_offerId: { shopId: demoId, offerId: "demo-gold" } },
    });
    expect(row).toMatchObject({
      lastErrorTemporary: true,
      lastError: expect.stringMatching(/not connected to a Shopify store/),
      segmentGid: null,
      discountGid: null,
    });
    expect(isLive((await getOffer(app.prisma, demoId, "demo-gold"))!, new Date())).toBe(false);
    const page = await app.handle(
      await adminRequest(`/app/offers/demo-gold.data?_routes=routes%2Fapp.offers.%24id`, DEMO),
    );
    expect((await singleFetchData<{ discount: DiscountStatus }>(page, "routes/app.offers.$id")).discount).toMatchObject(
      { tone: "warning", title: "Waiting for Shopify" },
    );
    // Publishing skips the shop too, instead of sending a token Shopify never issued.
    await publishJobs.publish({ ...deps, access: offlineAccess }, { shopId: demoId });
    expect(harness.mock.calls).toEqual([]);
  });

  test("no network at all: the offer waits for Shopify, and the sweep tries again later", async () => {
    await codedOffer("offline", { audience: { kind: "tier", tierKey: "bronze" } });
    for (let attempt = 0; attempt < 5; attempt += 1)
      harness.mock.failNext("AppCustomerMetafieldDefinitions", { networkError: true });
    await expect(sync("offline")).rejects.toThrow(/network/);
    expect(await record("offline")).toMatchObject({ segmentGid: null, discountGid: null, lastErrorTemporary: true });
    expect((await getOffer(app.prisma, shopId, "offline"))?.discount).toMatchObject({ code: null });
    expect(await discountStatusOnPage("offline")).toMatchObject({
      tone: "warning",
      title: "Waiting for Shopify",
      canRetry: true,
    });
    expect((await discountJobs.syncDiscountsAll(deps), harness.take(JOBS.discountSync))).toEqual([]);
    await app.prisma.offerDiscount.update({
      where: { shopId_offerId: { shopId, offerId: "offline" } },
      data: { lastErrorAt: new Date(Date.now() - 16 * 60_000) },
    });
    await discountJobs.syncDiscountsAll(deps);
    expect(harness.take(JOBS.discountSync).map((job) => job.data)).toEqual([{ shopId, offerId: "offline" }]);
  });
});

describe("removing", () => {
  test("switching to an existing code deletes the discount and the segment Cadence made, and forgets them", async () => {
    const { segmentGid, discountGid } = (await record("vip"))!;
    await updateOffer(app.prisma, shopId, "vip", { discount: { kind: "existing_code", code: "VIP10" } });
    await sync("vip");
    expect(calls("DiscountCodeDelete").map((call) => call.variables)).toEqual([{ id: discountGid }]);
    expect(calls("SegmentDelete").map((call) => call.variables)).toEqual([{ id: segmentGid }]);
    expect(shopify.discounts.has(discountGid!)).toBe(false);
    expect(shopify.segments.has(segmentGid!)).toBe(false);
    expect(await record("vip")).toBeNull();
  });

  test("deleting a draft removes what Cadence created for it", async () => {
    await setOfferStatus(app.prisma, shopId, "lost", "draft");
    await sync("lost");
    const { segmentGid, discountGid } = (await record("lost"))!;
    expect(await deleteDraftOffer(app.prisma, shopId, "lost")).toEqual({ ok: true });
    await sync("lost");
    expect(shopify.discounts.has(discountGid!)).toBe(false);
    expect(shopify.segments.has(segmentGid!)).toBe(false);
    expect(await record("lost")).toBeNull();
  });
});
