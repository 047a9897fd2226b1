import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { database } from "~/db.server";
import { purgeExpiredRecords } from "~/retention/purge.server";
import {
  adminFormRequest,
  adminRequest,
  appUnderTest,
  installTestShop,
  singleFetchActionData,
  singleFetchData,
  webhookRequest,
} from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { sharedDataPath } from "../support/shared-data";

// The settings and sync pages through the real request handler: all-or-nothing saves with field errors, a change
// of net-revenue basis recounting stored orders, retention purging old logs, and the sync page's ledger figures.

const SHOP = "admin-settings.myshopify.com";
let app: AppUnderTest;
let shopId: string;

const order = JSON.parse(readFileSync(sharedDataPath("shopify-webhooks", "2026-04", "orders", "create.json"), "utf8"));

beforeAll(async () => {
  app = await appUnderTest();
  shopId = await installTestShop(app, SHOP);
  const response = await app.handle(
    webhookRequest({
      shop: SHOP,
      topic: "orders/create",
      body: JSON.stringify({
        ...order,
        test: false,
        cancelled_at: null,
        cancel_reason: null,
        financial_status: "paid",
      }),
    }),
  );
  expect(response.status).toBe(200);
}, 60_000);

type Values = Record<string, string>;

async function settingsPage(): Promise<{ values: Values; optedOut: number }> {
  const response = await app.handle(await adminRequest("/app/settings.data?_routes=routes%2Fapp.settings", SHOP));
  expect(response.status).toBe(200);
  return singleFetchData(response, "routes/app.settings");
}

async function save(values: Values) {
  const response = await app.handle(await adminFormRequest("/app/settings", SHOP, values));
  return {
    status: response.status,
    result: await singleFetchActionData<{ errors?: Record<string, string>; saved?: string }>(response),
  };
}

const storedState = async () => ({
  shop: await app.prisma.shop.findUniqueOrThrow({
    where: { id: shopId },
    select: { netRevenueBasis: true, dataRetentionDays: true },
  }),
  segment: await app.prisma.segmentSettings.findUnique({ where: { shopId } }),
  offers: await app.prisma.offerSettings.findUnique({ where: { shopId } }),
});

describe("settings", () => {
  test("defaults are shown", async () => {
    const { values, optedOut } = await settingsPage();
    expect(values).toMatchObject({
      netRevenueBasis: "merchandise",
      attributionWindowDays: "14",
      dataRetentionDays: "365",
      "lifecycle.atRiskMultiple": "2",
      "winback.unhappyDays": "60",
    });
    // Shares are typed as percentages: the stored 0.2 and 0.1 read as 20 and 10.
    expect(values).toMatchObject({ "winback.highValueTopShare": "20", "predictions.annualDiscountRate": "10" });
    expect(optedOut).toBe(0);
  });

  test("one bad field saves nothing, and says which", async () => {
    const { values } = await settingsPage();
    const before = await storedState();
    const cases: [Values, string, RegExp][] = [
      [{ attributionWindowDays: "0" }, "attributionWindowDays", /1 to 365/],
      [{ dataRetentionDays: "7" }, "dataRetentionDays", /30 to 3650/],
      [{ "lifecycle.lapsedMultiple": "1.5" }, "lifecycle.lapsedMultiple", /before lapsed/],
      [{ "winback.upsellMaxDays": "1" }, "winback.upsellMaxDays", /close on or after the day it opens/],
      [{ "winback.highValueTopShare": "many" }, "winback.highValueTopShare", /percentage from 0 to 100/],
      [{ "winback.highValueTopShare": "120" }, "winback.highValueTopShare", /percentage from 0 to 100/],
      [{ "winback.unhappyDays": "6.5" }, "winback.unhappyDays", /whole number of days/],
      [{ netRevenueBasis: "gross" }, "netRevenueBasis", /Choose/],
    ];
    for (const [change, field, message] of cases) {
      const { status, result } = await save({ ...values, attributionWindowDays: "30", ...change });
      expect(status, field).toBe(400);
      expect(result.data?.errors?.[field], `${field}: ${JSON.stringify(result.data)}`).toMatch(message);
    }
    expect(await storedState()).toEqual(before);
  });

  test("a valid save stores every field, and a new revenue basis recounts the stored orders", async () => {
    const stored = await app.prisma.order.findFirstOrThrow({ where: { shopId } });
    expect(stored.netMinor).toBe(stored.subtotalMinor);
    // Shipping and tax on top of the merchandise, so the two bases differ.
    const before = await app.prisma.order.update({
      where: { id: stored.id },
      data: { totalMinor: stored.subtotalMinor + 1250n },
    });
    const { values } = await settingsPage();
    const { status, result } = await save({
      ...values,
      netRevenueBasis: "total",
      attributionWindowDays: "30",
      dataRetentionDays: "90",
      "lifecycle.atRiskMultiple": "2.5",
      "winback.highValueTopShare": "12.5",
    });
    expect(status).toBe(200);
    expect(result.data?.saved).toMatch(/recounted/);
    const after = await settingsPage();
    expect(after.values).toMatchObject({
      netRevenueBasis: "total",
      attributionWindowDays: "30",
      dataRetentionDays: "90",
      "lifecycle.atRiskMultiple": "2.5",
      "winback.highValueTopShare": "12.5",
    });
    expect((await app.prisma.segmentSettings.findUniqueOrThrow({ where: { shopId } })).settings).toMatchObject({
      winback: { highValueTopShare: 0.125 },
    });
    const recounted = await app.prisma.order.findFirstOrThrow({ where: { shopId } });
    expect(recounted.netMinor).toBe(before.totalMinor);
    expect(recounted.netMinor).toBe(before.netMinor + 1250n);
  });
});

describe("retention", () => {
  test("logs older than the retention period are deleted; the webhook ledger keeps at least 30 days", async () => {
    const old = (days: number) => new Date(Date.now() - days * 86_400_000);
    await app.prisma.offerEvent.createMany({
      data: [
        {
          shopId,
          offerId: "o",
          type: "exposure",
          arm: "treatment",
          surface: "block",
          customerShopifyId: "1",
          requestKey: "old",
          occurredAt: old(100),
        },
        {
          shopId,
          offerId: "o",
          type: "exposure",
          arm: "treatment",
          surface: "block",
          customerShopifyId: "1",
          requestKey: "new",
          occurredAt: old(10),
        },
      ],
    });
    await app.prisma.webhookDelivery.createMany({
      data: [
        { shopId, webhookId: "w-old", topic: "orders/create", outcome: "applied", receivedAt: old(100) },
        { shopId, webhookId: "w-mid", topic: "orders/create", outcome: "applied", receivedAt: old(20) },
      ],
    });
    const purged = await purgeExpiredRecords(database().sql, shopId);
    expect(purged).toMatchObject({ offerEvents: 1, webhookDeliveries: 1 });
    expect((await app.prisma.offerEvent.findMany({ where: { shopId } })).map((e) => e.requestKey)).toEqual(["new"]);
    expect(await app.prisma.webhookDelivery.count({ where: { shopId, webhookId: "w-mid" } })).toBe(1);
  });
});

describe("sync page", () => {
  test("shows the ledger's last delivery per topic and the synced counts", async () => {
    const response = await app.handle(await adminRequest("/app/sync.data?_routes=routes%2Fapp.sync", SHOP));
    expect(response.status).toBe(200);
    const { status } = await singleFetchData<{
      status: { facts: { orders: number }; webhooks: { lastByTopic: { topic: string; outcome: string }[] } };
    }>(response, "routes/app.sync");
    expect(status.facts.orders).toBe(1);
    expect(status.webhooks.lastByTopic).toEqual(
      expect.arrayContaining([expect.objectContaining({ topic: "orders/create", outcome: "applied" })]),
    );
  });
});
