import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { recordOfferEvent } from "~/offers/events.server";
import { setPersonalised } from "~/offers/opt-out.server";
import { createOffer } from "~/offers/store.server";
import { database } from "~/db.server";
import { appUnderTest, installTestShop, webhookRequest } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { sharedDataPath } from "../support/shared-data";
import { completePrivacyRequests } from "../support/webhook-payloads";

// Shopify's privacy webhooks reach the offers' rows: customers/data_request includes them, customers/redact
// removes every one about the customer (and nothing of anyone else's), guests' anonymous events stay.

const SHOP = "offers-privacy.myshopify.com";
const REDACTED = "191167"; // the customer in Shopify's samples
let app: AppUnderTest;
let shopId: string;

const sample = (topic: string) =>
  readFileSync(sharedDataPath("shopify-webhooks", "2026-04", `${topic}.json`), "utf8").replaceAll(
    "{shop}.myshopify.com",
    SHOP,
  );

async function seedOfferRows(customerId: string | null, signature: string) {
  await recordOfferEvent(database().sql, shopId, {
    type: "exposure",
    offerId: "thanks",
    arm: "treatment",
    surface: "block",
    customerId,
    signature,
  });
  if (!customerId) return;
  await setPersonalised(app.prisma, shopId, customerId, false);
  await app.prisma.offerAssignment.create({
    data: { shopId, offerId: "thanks", customerShopifyId: customerId, arm: "holdout" },
  });
  await app.prisma.publishedMetafields.create({
    data: {
      shopId,
      owner: `customer:${customerId}`,
      values: { opted_out: true },
      digest: "d",
      publishedAt: new Date(),
    },
  });
}

beforeAll(async () => {
  app = await appUnderTest();
  shopId = await installTestShop(app, SHOP);
  await createOffer(app.prisma, shopId, {
    id: "thanks",
    name: "Thanks",
    audience: { kind: "everyone" },
    content: { headline: "Thanks", ctaLabel: "Shop", ctaUrl: "/" },
    status: "active",
  });
  await seedOfferRows(REDACTED, "sig-redacted");
  await seedOfferRows("7000000001", "sig-other");
  await seedOfferRows(null, "sig-guest");
});

describe("privacy webhooks and offers", () => {
  test("customers/data_request includes the customer's offer rows", async () => {
    expect(
      (
        await app.handle(
          webhookRequest({ shop: SHOP, topic: "customers/data_request", body: sample("customers/data_request") }),
        )
      ).status,
    ).toBe(200);
    expect(await completePrivacyRequests()).toBe(1);
    const exported = await app.prisma.dataRequestExport.findFirstOrThrow({
      where: { shopId, customerShopifyId: REDACTED },
    });
    expect((exported.data as { offers: unknown }).offers).toMatchObject({
      optOut: { optedOut: true },
      assignments: [{ offerId: "thanks", arm: "holdout" }],
      events: [{ offerId: "thanks", type: "exposure", arm: "treatment", surface: "block" }],
      published: { values: { opted_out: true } },
    });
  });

  test("customers/redact removes them, and only them", async () => {
    expect(
      (await app.handle(webhookRequest({ shop: SHOP, topic: "customers/redact", body: sample("customers/redact") })))
        .status,
    ).toBe(200);
    expect(await completePrivacyRequests()).toBe(1);
    const about = (customerShopifyId: string) => ({ shopId, customerShopifyId });
    for (const customer of [REDACTED, "7000000001"]) {
      const expected = customer === REDACTED ? 0 : 1;
      expect(await app.prisma.offerEvent.count({ where: about(customer) })).toBe(expected);
      expect(await app.prisma.offerAssignment.count({ where: about(customer) })).toBe(expected);
      expect(await app.prisma.shopperOptOut.count({ where: about(customer) })).toBe(expected);
      expect(await app.prisma.publishQueueItem.count({ where: about(customer) })).toBe(expected);
      expect(await app.prisma.publishedMetafields.count({ where: { shopId, owner: `customer:${customer}` } })).toBe(
        expected,
      );
    }
    expect(await app.prisma.offerEvent.count({ where: { shopId, customerShopifyId: null } })).toBe(1);
  });
});
