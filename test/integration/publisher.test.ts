import { beforeAll, describe, expect, test } from "vitest";
import { assignArm } from "~/offers/holdout";
import { setPersonalised } from "~/offers/opt-out.server";
import { createOffer, setOfferStatus } from "~/offers/store.server";
import { encodeCustomerMetafields } from "~/storefront-contract/metafields";
import { ensureMetafieldDefinitions } from "~/publish/definitions";
import { metafieldsClient } from "~/publish/metafields-client";
import { publishShop } from "~/publish/publisher.server";
import type { PublishShop } from "~/publish/audience.server";
import { runFullPass } from "~/recompute/full-pass.server";
import { appUnderTest, installTestShop } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { seedOrders } from "../support/orders";
import { fakeShopify, SHOP_GID } from "../support/shopify-metafields";

// The publisher against a faithful double of Shopify's metafield mutations (documents validated against the Admin
// schema): only changes are written, whole customers per call of at most 25, opt-outs first, and a restart
// writes nothing twice.

let app: AppUnderTest;
const content = { headline: "Thanks for shopping with us", ctaLabel: "Shop", ctaUrl: "/collections/all" };

async function shopWithCustomers(domain: string, count: number): Promise<PublishShop> {
  await installTestShop(app, domain);
  const shop = await app.prisma.shop.findUniqueOrThrow({
    where: { domain },
    select: { id: true, domain: true, currencyCode: true },
  });
  await seedOrders(
    app.prisma,
    shop.id,
    Array.from({ length: count }, (_, index) => ({
      id: String(9000 + index),
      orders: [{ daysAgo: 400, amountMinor: 1000 }],
    })),
  );
  // Profiles from those orders (issue 4's full pass): a single order over a year ago is no tier, so each customer
  // publishes the offer and their segment keys.
  await runFullPass(app.database, shop.id);
  await createOffer(app.prisma, shop.id, {
    id: "thanks",
    name: "Thanks",
    audience: { kind: "everyone" },
    content,
    status: "active",
    holdoutPercent: 50,
  });
  await createOffer(app.prisma, shop.id, {
    id: "hello",
    name: "Hello",
    audience: { kind: "guests" },
    content: { ...content, headline: "Hello" },
    status: "active",
    priority: 1,
  });
  return shop;
}

const gid = (id: string) => `gid://shopify/Customer/${id}`;

beforeAll(async () => {
  app = await appUnderTest();
});

describe("publishing metafields", () => {
  test("first publish writes every customer in calls of at most 25, records arms; the next writes nothing", async () => {
    const shop = await shopWithCustomers("publish-a.myshopify.com", 20);
    const shopify = fakeShopify();
    const first = await publishShop(app.prisma, shop, metafieldsClient(shopify.graphql));
    expect(first).toMatchObject({
      customersWritten: 20,
      customersUnchanged: 0,
      metafieldsSet: 41,
      metafieldsDeleted: 0,
      guestOffer: "written",
    });
    // Each customer has two metafields (offer, segments): 12 customers fill a call (24), so 12 + 8, then the guest offer.
    expect(shopify.calls.map((call) => call.operation)).toEqual([
      "CadenceMetafieldsSet",
      "CadenceMetafieldsSet",
      "CadenceShopId",
      "CadenceMetafieldsSet",
    ]);
    expect(shopify.calls.map((call) => (call.variables.metafields as unknown[] | undefined)?.length ?? 0)).toEqual([
      24, 16, 0, 1,
    ]);
    for (const call of shopify.calls)
      expect(((call.variables.metafields as unknown[]) ?? []).length).toBeLessThanOrEqual(25);
    const assignments = await app.prisma.offerAssignment.findMany({ where: { shopId: shop.id } });
    expect(assignments).toHaveLength(20);
    for (const row of assignments) {
      const arm = assignArm({
        shop: shop.domain,
        offerId: "thanks",
        holdoutPercent: 50,
        shopper: { kind: "customer", customerId: row.customerShopifyId, segmentKeys: [], customSegmentIds: [] },
      });
      expect(row.arm).toBe(arm);
      const offer = JSON.parse(shopify.metafields.get(gid(row.customerShopifyId))?.get("offer")?.value ?? "null");
      expect(offer).toMatchObject({ offer_id: "thanks", holdout: arm === "holdout" });
      expect(offer.headline).toBe(arm === "holdout" ? undefined : "Thanks for shopping with us");
      // Labels from the customer's profile: lifecycle stage and RFM group (no tier: the one order is over a year old).
      const segments = JSON.parse(shopify.metafields.get(gid(row.customerShopifyId))?.get("segments")?.value ?? "[]");
      const profile = await app.prisma.customerProfile.findUniqueOrThrow({
        where: { shopId_customerShopifyId: { shopId: shop.id, customerShopifyId: row.customerShopifyId } },
      });
      expect(segments).toEqual(
        [...new Set([...profile.segments, profile.lifecycle, `rfm_${profile.rfmGroup}`])].sort(),
      );
    }
    expect(new Set(assignments.map((row) => row.arm))).toEqual(new Set(["treatment", "holdout"]));
    expect(JSON.parse(shopify.metafields.get(SHOP_GID)?.get("guest_offer")?.value ?? "null")).toMatchObject({
      offer_id: "hello",
      headline: "Hello",
    });

    const second = await publishShop(app.prisma, shop, metafieldsClient(shopify.graphql));
    expect(second).toMatchObject({ customersWritten: 0, customersUnchanged: 20, calls: 0, guestOffer: "unchanged" });
    expect(shopify.calls).toHaveLength(4);

    await setOfferStatus(app.prisma, shop.id, "hello", "paused");
    await setOfferStatus(app.prisma, shop.id, "thanks", "paused");
    const third = await publishShop(app.prisma, shop, metafieldsClient(shopify.graphql));
    expect(third).toMatchObject({
      customersWritten: 20,
      metafieldsSet: 0,
      metafieldsDeleted: 21,
      guestOffer: "deleted",
    });
    expect(
      [...shopify.metafields.entries()].every(
        ([owner, fields]) => fields.size === (owner === SHOP_GID ? 0 : 1) && !fields.has("offer"),
      ),
    ).toBe(true);
  });

  test("an opt-out goes through the queue first: opted_out is set before the rest is deleted; opting back in republishes", async () => {
    const shop = await shopWithCustomers("publish-b.myshopify.com", 3);
    const shopify = fakeShopify();
    await publishShop(app.prisma, shop, metafieldsClient(shopify.graphql));
    const callsBefore = shopify.calls.length;
    await setPersonalised(app.prisma, shop.id, "9001", false);
    const queued = await publishShop(app.prisma, shop, metafieldsClient(shopify.graphql), { queuedOnly: true });
    expect(queued).toMatchObject({ customersWritten: 1, metafieldsSet: 1, metafieldsDeleted: 2 });
    const [set, remove] = shopify.calls.slice(callsBefore);
    expect(set).toEqual({
      operation: "CadenceMetafieldsSet",
      variables: {
        metafields: [{ ownerId: gid("9001"), namespace: "$app", key: "opted_out", type: "boolean", value: "true" }],
      },
    });
    expect(remove).toEqual({
      operation: "CadenceMetafieldsDelete",
      variables: { metafields: ["segments", "offer"].map((key) => ({ ownerId: gid("9001"), namespace: "$app", key })) },
    });
    expect([...(shopify.metafields.get(gid("9001"))?.keys() ?? [])]).toEqual(["opted_out"]);
    expect(await app.prisma.publishQueueItem.count({ where: { shopId: shop.id } })).toBe(0);

    await setPersonalised(app.prisma, shop.id, "9001", true);
    await publishShop(app.prisma, shop, metafieldsClient(shopify.graphql), { queuedOnly: true });
    expect([...(shopify.metafields.get(gid("9001"))?.keys() ?? [])].sort()).toEqual(["offer", "segments"]);
  });

  test("a publish interrupted by a failed call resumes after a restart and writes nothing twice", async () => {
    const shop = await shopWithCustomers("publish-c.myshopify.com", 60);
    // Two metafields per customer: 12 customers per call. From the second call on the connection is lost before
    // Shopify applies anything; the Admin client retries, then gives up.
    const shopify = fakeShopify({ failFromCall: 2 });
    await expect(publishShop(app.prisma, shop, metafieldsClient(shopify.graphql))).rejects.toMatchObject({
      name: "AdminApiError",
      kind: "network",
    });
    expect(await app.prisma.publishedMetafields.count({ where: { shopId: shop.id } })).toBe(12);
    shopify.reconnect();
    const resumed = await publishShop(app.prisma, shop, metafieldsClient(shopify.graphql));
    expect(resumed).toMatchObject({ customersWritten: 48, customersUnchanged: 12 });
    expect(shopify.writes.size).toBe(60 * 2 + 1);
    expect([...shopify.writes.values()].every((times) => times === 1)).toBe(true);
  });

  test("a small cost bucket slows the publish down through the Admin client's pacing, and nothing is lost or written twice", async () => {
    const shop = await shopWithCustomers("publish-d.myshopify.com", 75);
    const shopify = fakeShopify({ bucket: { maximumAvailable: 20, restoreRate: 5 } });
    const summary = await publishShop(app.prisma, shop, metafieldsClient(shopify.graphql));
    expect(summary).toMatchObject({ customersWritten: 75, calls: 8, guestOffer: "written" });
    // 20 points hold two 10-point calls; at 5 points a second, every later call waits about 2 s for its points.
    expect(shopify.slept.length).toBeGreaterThanOrEqual(6);
    expect(shopify.slept.reduce((total, ms) => total + ms, 0)).toBeGreaterThanOrEqual(6 * 2000);
    // At most the first call that met an empty bucket was THROTTLED: the client learns each call's cost from it.
    expect(shopify.throttled).toBeLessThanOrEqual(1);
    expect(shopify.metafields.size).toBe(76);
    expect([...shopify.writes.values()].every((times) => times === 1)).toBe(true);
  });

  test("the metafield definitions are created with valid documents, and existing ones count as done", async () => {
    const shopify = fakeShopify();
    expect(await ensureMetafieldDefinitions(metafieldsClient(shopify.graphql))).toEqual({ created: 10, existing: 0 });
    expect(shopify.calls.every((call) => call.operation === "CadenceMetafieldDefinitionCreate")).toBe(true);
    expect(shopify.calls[0]?.variables.definition).toMatchObject({
      namespace: "$app",
      access: { storefront: "PUBLIC_READ" },
    });
  });

  test("values Shopify would refuse never leave Cadence: encoded values are never blank", () => {
    const { set, remove } = encodeCustomerMetafields({ segments: [] });
    expect(set).toEqual([]);
    expect(remove).toContain("segments");
  });
});
