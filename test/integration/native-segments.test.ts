import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { NativeSegmentStatus } from "~/admin-data/native-segment-status";
import { listSegments } from "~/admin-data/segments.server";
import { memberCondition, parseSegmentKey } from "~/segments/segment-key";
import { database } from "~/db.server";
import { DEMO_ACCESS_TOKEN } from "~/dev-shell/demo-session";
import { nativeSegmentJobs } from "~/jobs/native-segment-jobs";
import type { PublishJobDeps } from "~/jobs/publish-jobs";
import { JOBS } from "~/queue/queue.server";
import { setPersonalised } from "~/offers/opt-out.server";
import { archiveCustomSegment, saveCustomSegment } from "~/recompute/custom-segments.server";
import { runFullPass } from "~/recompute/full-pass.server";
import { metafieldsClient } from "~/publish/metafields-client";
import { publishShop } from "~/publish/publisher.server";
import {
  adminFormRequest,
  adminRequest,
  appUnderTest,
  installTestShop,
  singleFetchActionData,
  singleFetchData,
} from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { APP_NAMESPACE, FakeShopifyDiscounts, segmentMembers } from "../support/shopify-discounts";
import { fakeShopify } from "../support/shopify-metafields";
import type { FakeShopify } from "../support/shopify-metafields";
import { syncHarness } from "../support/sync-harness";
import type { SyncHarness } from "../support/sync-harness";
import { AS_OF, seedGeneratedShop } from "./generated-shop";

// "Use in Shopify" on a segment's page, against the Admin API mock (documents validated against both schemas,
// variables coerced, answers shape-checked): turning it on creates a native segment whose ShopifyQL selects the
// segment's published metafield value; turning it off deletes it; Shopify's refusal shows with Retry; the demo's shop
// waits for Shopify. And on a generated shop's history, the customers Shopify's segment selects from the metafields
// the publisher wrote are exactly Cadence's members of the segment (less those who opted out), and follow them.

const SHOP = "native-segments.myshopify.com";
let app: AppUnderTest;
let shopId: string;
let shopify: FakeShopifyDiscounts;
let harness: SyncHarness;
let deps: PublishJobDeps;
let storefront: FakeShopify;

const record = (segmentKey: string) =>
  app.prisma.nativeSegment.findUnique({ where: { shopId_segmentKey: { shopId, segmentKey } } });
const sync = (segmentKey: string) => nativeSegmentJobs.syncNativeSegment(deps, { shopId, segmentKey });
const calls = (operation: string) => harness.mock.callsOf(operation).filter((call) => call.answer === "data");
const segmentPath = (key: string) => `/app/segments/${encodeURIComponent(key)}`;

async function statusOnPage(key: string, shop = SHOP): Promise<NativeSegmentStatus> {
  const response = await app.handle(
    await adminRequest(`${segmentPath(key)}.data?_routes=routes%2Fapp.segments.%24key`, shop),
  );
  return (await singleFetchData<{ inShopify: NativeSegmentStatus }>(response, "routes/app.segments.$key")).inShopify;
}

async function press(key: string, intent: string, shop = SHOP) {
  const response = await app.handle(await adminFormRequest(segmentPath(key), shop, { intent }));
  return { status: response.status, ...(await singleFetchActionData<{ ok: boolean; message: string }>(response)) };
}

/** Cadence's own members of a segment, from the profiles the full pass wrote. */
async function cadenceMembers(key: string): Promise<Set<string>> {
  const condition = memberCondition(parseSegmentKey(key)!, "$2");
  const rows = await app.prisma.$queryRawUnsafe<{ id: string }[]>(
    `SELECT p."customerShopifyId" AS id FROM "CustomerListing" p WHERE p."shopId" = $1 AND ${condition.sql}`,
    shopId,
    condition.value,
  );
  return new Set(rows.map((row) => row.id));
}

const publish = () =>
  publishShop(app.prisma, { id: shopId, domain: SHOP, currencyCode: "GBP" }, metafieldsClient(storefront.graphql));

/** The customers Shopify's native segment for this Cadence segment selects, from what Cadence published. */
async function shopifyMembers(key: string): Promise<Set<string>> {
  const gid = (await record(key))?.segmentGid;
  const segment = gid ? shopify.segments.get(gid) : undefined;
  if (!segment) throw new Error(`no native segment for ${key}`);
  return segmentMembers(segment.query, storefront.metafields);
}

beforeAll(async () => {
  app = await appUnderTest();
  await installTestShop(app, SHOP, "GBP");
  shopId = (await app.prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).id;
  await seedGeneratedShop(app, SHOP, 60);
  await runFullPass(app.database, shopId, { asOf: AS_OF });
  await saveCustomSegment(app.database, shopId, {
    slug: "repeat-buyers",
    name: "Repeat buyers",
    rule: { field: "orders", op: "gte", value: 3 },
  });
  shopify = new FakeShopifyDiscounts();
  harness = syncHarness(SHOP, shopify.resolvers());
  deps = { database: database(), access: harness.deps.access, enqueue: harness.deps.enqueue, log: harness.deps.log };
  storefront = fakeShopify({ appNamespace: APP_NAMESPACE });
  await publish();
}, 240_000);
afterAll(() => harness.mock.stop());
beforeEach(() => {
  harness.mock.calls.splice(0);
  harness.queued.splice(0);
});

describe("turning Use in Shopify on and off", () => {
  test("a segment not used in Shopify says what using it does; bad intents are refused and change nothing", async () => {
    expect(await statusOnPage("tier:gold")).toMatchObject({
      state: "off",
      action: "turn_on",
      adminUrl: null,
      message: expect.stringMatching(/Shopify Email/),
    });
    expect(await press("tier:gold", "delete-everything")).toMatchObject({ status: 400, data: { ok: false } });
    expect(
      (await app.handle(await adminFormRequest(segmentPath("tier:nope"), SHOP, { intent: "use-in-shopify" }))).status,
    ).toBe(404);
    expect(await record("tier:gold")).toBeNull();
  });

  test("on: the segment is created in Shopify filtering on the tier metafield; the page links to it", async () => {
    expect(await press("tier:gold", "use-in-shopify")).toMatchObject({ status: 200, data: { ok: true } });
    expect(await record("tier:gold")).toMatchObject({
      enabled: true,
      pendingSince: expect.any(Date),
      segmentGid: null,
    });
    expect(await statusOnPage("tier:gold")).toMatchObject({ state: "creating", action: "turn_off" });

    await sync("tier:gold");
    expect(calls("SegmentCreate").map((call) => call.variables)).toEqual([
      { name: "Cadence: Gold (tier:gold)", query: `metafields.${APP_NAMESPACE}.tier = 'gold'` },
    ]);
    const row = (await record("tier:gold"))!;
    expect(row).toMatchObject({
      segmentGid: expect.stringMatching(/^gid:\/\/shopify\/Segment\/\d+$/),
      pendingSince: null,
      lastError: null,
      shopifyName: "Cadence: Gold (tier:gold)",
    });
    expect(shopify.segments.get(row.segmentGid!)?.query).toBe(`metafields.${APP_NAMESPACE}.tier = 'gold'`);
    const id = row.segmentGid!.split("/").pop();
    expect(await statusOnPage("tier:gold")).toMatchObject({
      state: "in_shopify",
      tone: "success",
      shopifyName: "Cadence: Gold (tier:gold)",
      adminUrl: `https://admin.shopify.com/store/native-segments/customers/segments/${id}`,
      action: "turn_off",
    });
  });

  test("a re-run finds the segment by its GID and creates nothing twice", async () => {
    await sync("tier:gold");
    expect(calls("SegmentCreate")).toEqual([]);
    expect(calls("SegmentUpdate")).toEqual([]);
    expect(
      [...shopify.segments.values()].filter((segment) => segment.name === "Cadence: Gold (tier:gold)"),
    ).toHaveLength(1);
  });

  test.each([
    ["at_risk", "Cadence: At risk (win-back) (at_risk)", "segments CONTAINS 'at_risk'"],
    ["rfm:champions", "Cadence: Champions (rfm:champions)", "segments CONTAINS 'rfm_champions'"],
    ["lifecycle:new", "Cadence: New (lifecycle stage) (lifecycle:new)", "segments CONTAINS 'new'"],
    [
      "custom:repeat-buyers",
      "Cadence: Repeat buyers (custom:repeat-buyers)",
      "custom_segments CONTAINS 'repeat-buyers'",
    ],
  ])("%s: created as %s, filtering on %s", async (key, name, filter) => {
    await press(key, "use-in-shopify");
    await sync(key);
    expect(calls("SegmentCreate").map((call) => call.variables)).toEqual([
      { name, query: `metafields.${APP_NAMESPACE}.${filter}` },
    ]);
    expect(await statusOnPage(key)).toMatchObject({ state: "in_shopify" });
  });

  test("off: the native segment is deleted in Shopify and forgotten", async () => {
    await press("lifecycle:new", "use-in-shopify");
    await sync("lifecycle:new");
    const { segmentGid } = (await record("lifecycle:new"))!;
    expect(await press("lifecycle:new", "stop-using-in-shopify")).toMatchObject({ status: 200, data: { ok: true } });
    expect(await statusOnPage("lifecycle:new")).toMatchObject({ state: "removing" });
    await sync("lifecycle:new");
    expect(calls("SegmentDelete").map((call) => call.variables)).toEqual([{ id: segmentGid }]);
    expect(shopify.segments.has(segmentGid!)).toBe(false);
    expect(await record("lifecycle:new")).toBeNull();
    expect(await statusOnPage("lifecycle:new")).toMatchObject({ state: "off", action: "turn_on" });
  });
});

describe("failures and the demo", () => {
  test("Shopify's refusal shows on the page with its reason and Retry; the sweep waits for the merchant; Retry succeeds", async () => {
    shopify.refuseNext("SegmentCreate", [{ field: ["query"], message: "Query contains an invalid filter" }]);
    await press("lapsed", "use-in-shopify");
    await sync("lapsed"); // a refusal is stored, not retried by the queue: the job does not throw
    expect(await record("lapsed")).toMatchObject({
      segmentGid: null,
      lastErrorTemporary: false,
      pendingSince: expect.any(Date),
    });
    expect(await statusOnPage("lapsed")).toMatchObject({
      state: "failed",
      tone: "critical",
      message: expect.stringContaining("Shopify refused the customer segment: query: Query contains an invalid filter"),
      canRetry: true,
    });
    expect((await nativeSegmentJobs.syncNativeSegmentsAll(deps), harness.take(JOBS.nativeSegmentSync))).toEqual([]);

    expect(await press("lapsed", "retry-in-shopify")).toMatchObject({ status: 200 });
    expect(await record("lapsed")).toMatchObject({ lastError: null, pendingSince: expect.any(Date) });
    await sync("lapsed");
    expect(await statusOnPage("lapsed")).toMatchObject({ state: "in_shopify" });
  });

  test("an answer lost after Shopify created the segment: the re-run finds it by name, so there is still one", async () => {
    shopify.loseNextAnswer("SegmentCreate");
    await press("lost", "use-in-shopify");
    await expect(sync("lost")).rejects.toThrow(/SegmentCreate/); // left to the queue's retries
    expect(await statusOnPage("lost")).toMatchObject({ state: "waiting", title: "Waiting for Shopify" });
    await sync("lost");
    expect(
      [...shopify.segments.values()].filter((segment) => segment.name === "Cadence: Lost (win-back) (lost)"),
    ).toHaveLength(1);
    expect(await statusOnPage("lost")).toMatchObject({ state: "in_shopify" });
  });

  test("the demo's shop (no Shopify store): nothing is sent, the page says it waits for Shopify", async () => {
    const DEMO = "native-segments-demo.myshopify.com";
    await installTestShop(app, DEMO);
    const demoId = (await app.prisma.shop.findUniqueOrThrow({ where: { domain: DEMO } })).id;
    await app.prisma.session.update({ where: { id: `offline_${DEMO}` }, data: { accessToken: DEMO_ACCESS_TOKEN } });
    await press("at_risk", "use-in-shopify", DEMO);
    const { offlineAccess } = await import("~/jobs/background.server");
    await nativeSegmentJobs.syncNativeSegment(
      { ...deps, access: offlineAccess },
      { shopId: demoId, segmentKey: "at_risk" },
    );
    expect(harness.mock.calls).toEqual([]);
    expect(await statusOnPage("at_risk", DEMO)).toMatchObject({
      state: "waiting",
      tone: "warning",
      message: expect.stringMatching(/not connected to a Shopify store/),
      adminUrl: null,
    });
  });

  test("the sweep follows a renamed custom segment and deletes the native segment of an archived one", async () => {
    const { segmentGid } = (await record("custom:repeat-buyers"))!;
    await saveCustomSegment(app.database, shopId, {
      slug: "repeat-buyers",
      name: "Regulars",
      rule: { field: "orders", op: "gte", value: 3 },
    });
    await nativeSegmentJobs.syncNativeSegmentsAll(deps);
    expect(harness.take(JOBS.nativeSegmentSync).map((job) => job.data)).toContainEqual({
      shopId,
      segmentKey: "custom:repeat-buyers",
    });
    await sync("custom:repeat-buyers");
    expect(calls("SegmentUpdate").map((call) => call.variables)).toEqual([
      {
        id: segmentGid,
        name: "Cadence: Regulars (custom:repeat-buyers)",
        query: `metafields.${APP_NAMESPACE}.custom_segments CONTAINS 'repeat-buyers'`,
      },
    ]);

    await archiveCustomSegment(app.prisma, shopId, "custom:repeat-buyers");
    await nativeSegmentJobs.syncNativeSegmentsAll(deps);
    await sync("custom:repeat-buyers");
    expect(calls("SegmentDelete").map((call) => call.variables)).toEqual([{ id: segmentGid }]);
    expect(await record("custom:repeat-buyers")).toBeNull();
    // Put back for the membership tests below.
    await saveCustomSegment(app.database, shopId, {
      slug: "repeat-buyers",
      name: "Repeat buyers",
      rule: { field: "orders", op: "gte", value: 3 },
    });
  });
});

describe("who is in Shopify's segment: the customers whose published metafield puts them in it", () => {
  test("for every segment the shop has, Shopify's members are exactly Cadence's members", async () => {
    await publish();
    const { segments } = await listSegments(app.prisma, shopId);
    let nonEmpty = 0;
    for (const { key } of segments) {
      await press(key, "use-in-shopify");
      await sync(key);
      const cadence = await cadenceMembers(key);
      expect(await shopifyMembers(key), key).toEqual(cadence);
      if (cadence.size > 0) nonEmpty += 1;
    }
    expect(segments.map((segment) => segment.group)).toEqual(
      expect.arrayContaining(["tiers", "winback", "custom", "rfm", "lifecycle"]),
    );
    expect(nonEmpty).toBeGreaterThanOrEqual(8);
  });

  test("membership follows what Cadence publishes: an opt-out leaves every native segment, a changed rule moves customers, with no change in Shopify's segments", async () => {
    const gold = [...(await cadenceMembers("tier:gold"))][0]!;
    const before = [...shopify.segments.values()].map((segment) => ({ ...segment }));
    await setPersonalised(app.prisma, shopId, gold, false);
    await publish();
    expect((await shopifyMembers("tier:gold")).has(gold)).toBe(false);
    for (const segment of shopify.segments.values())
      expect(segmentMembers(segment.query, storefront.metafields).has(gold)).toBe(false);
    await setPersonalised(app.prisma, shopId, gold, true);
    await publish();
    expect((await shopifyMembers("tier:gold")).has(gold)).toBe(true);

    const repeatBefore = await shopifyMembers("custom:repeat-buyers");
    await saveCustomSegment(app.database, shopId, {
      slug: "repeat-buyers",
      name: "Repeat buyers",
      rule: { field: "orders", op: "gte", value: 2 },
    });
    await publish();
    const repeatAfter = await shopifyMembers("custom:repeat-buyers");
    expect(repeatAfter).toEqual(await cadenceMembers("custom:repeat-buyers"));
    expect(repeatAfter.size).toBeGreaterThan(repeatBefore.size);
    for (const id of repeatBefore) expect(repeatAfter.has(id)).toBe(true);
    expect([...shopify.segments.values()]).toEqual(before);
  });
});
