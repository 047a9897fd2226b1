import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { database } from "~/db.server";
import { formatSyncStatus, storedDataRequest, syncStatus, UnknownShopError } from "~/ingest/sync-status";
import { sharedDataPath } from "../support/shared-data";
import { appUnderTest, installTestShop, webhookRequest } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { completePrivacyRequests } from "../support/webhook-payloads";

// `npm run cadence -- sync status`: what the ledgers say about one shop, and nothing about its customers.

const SHOP = "sync-status.myshopify.com";
const OTHER = "sync-status-other.myshopify.com";
let app: AppUnderTest;

function order(id: string, customerId: string): string {
  const body = JSON.parse(readFileSync(sharedDataPath("shopify-webhooks", "2026-04", "orders", "create.json"), "utf8"));
  Object.assign(body, {
    id: Number(id),
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    test: false,
    cancelled_at: null,
  });
  for (const [index, line] of body.line_items.entries())
    line.admin_graphql_api_id = `gid://shopify/LineItem/${id}${index}`;
  body.customer.admin_graphql_api_id = `gid://shopify/Customer/${customerId}`;
  body.customer.id = Number(customerId);
  return JSON.stringify(body);
}

beforeAll(async () => {
  app = await appUnderTest();
  await installTestShop(app, SHOP);
  await installTestShop(app, OTHER);
  const send = async (shop: string, topic: string, body: string, webhookId: string) =>
    expect((await app.handle(webhookRequest({ shop, topic, body, webhookId }))).status).toBe(200);
  await send(SHOP, "orders/create", order("8300000001", "7500000001"), "w-1");
  await send(SHOP, "orders/create", order("8300000001", "7500000001"), "w-1"); // Shopify's retry: a duplicate
  await send(SHOP, "orders/create", order("8300000002", "7500000002"), "w-2");
  await send(SHOP, "orders/delete", JSON.stringify({ id: 8300000002 }), "w-3");
  await send(SHOP, "orders/updated", order("8300000002", "7500000002"), "w-4"); // a deleted order stays deleted
  await send(OTHER, "orders/create", order("8300000009", "7500000009"), "w-9");
});

describe("sync status", () => {
  test("counts facts, the last webhook per topic, outcomes of the last 24 hours and the work waiting", async () => {
    const status = await syncStatus(database().sql, SHOP);
    expect(status.shop).toEqual({ domain: SHOP, installed: true, uninstalledAt: null, redacting: false });
    expect(status.privacy).toEqual({ pending: [], finished: [] });
    expect(status.facts).toEqual({ orders: 1, countedOrders: 1, cancelledOrders: 0, testOrders: 0, customers: 2 });
    expect(status.webhooks.lastByTopic.map((row) => row.topic)).toEqual([
      "orders/create",
      "orders/delete",
      "orders/updated",
    ]);
    const outcomes = status.webhooks.last24hByOutcome;
    expect(Object.values(outcomes).reduce((a, b) => a + b, 0)).toBe(4); // the retried delivery is one row
    expect(status.webhooks.recentProblems.map((row) => row.topic)).toEqual(["orders/updated"]);
    expect(status.pending.profileRefresh).toBe(2);
    expect(status.lastFullPass).toBeNull();
  });

  test("the text names no customer or order", async () => {
    const text = formatSyncStatus(await syncStatus(database().sql, SHOP));
    expect(text).toContain(`${SHOP}: installed`);
    expect(text).toContain("Facts: 1 orders, 2 customers (1 orders counted; not counted: 0 cancelled, 0 test).");
    expect(text).toMatch(/orders\/create\s+last \d{4}-\d\d-\d\dT/);
    expect(text).toContain("Waiting: 2 customer profile refresh(es), 0 shopper(s) to publish.");
    expect(text).not.toMatch(/7500000001|8300000001/);
  });

  test("orders split into counted, cancelled and test orders, and a cancellation moves one across", async () => {
    const SPLIT = "sync-status-split.myshopify.com";
    await installTestShop(app, SPLIT);
    const send = async (topic: string, body: string, webhookId: string) =>
      expect((await app.handle(webhookRequest({ shop: SPLIT, topic, body, webhookId }))).status).toBe(200);
    const variant = (id: string, changes: Record<string, unknown>) =>
      JSON.stringify({ ...JSON.parse(order(id, "7500000031")), ...changes });
    await send("orders/create", order("8300000031", "7500000031"), "s-1");
    await send("orders/create", order("8300000032", "7500000031"), "s-2");
    await send("orders/create", variant("8300000033", { test: true }), "s-3");
    await send("orders/create", variant("8300000034", { cancelled_at: "2026-04-02T10:00:00Z" }), "s-4");
    expect((await syncStatus(database().sql, SPLIT)).facts).toMatchObject({
      orders: 4,
      countedOrders: 2,
      cancelledOrders: 1,
      testOrders: 1,
    });
    const cancelled = JSON.parse(variant("8300000032", { cancelled_at: "2026-04-03T10:00:00Z" }));
    cancelled.updated_at = "2030-01-01T00:00:00Z";
    await send("orders/cancelled", JSON.stringify(cancelled), "s-5");
    expect((await syncStatus(database().sql, SPLIT)).facts).toMatchObject({
      orders: 4,
      countedOrders: 1,
      cancelledOrders: 2,
      testOrders: 1,
    });
  });

  test("another shop's deliveries are not counted; an unknown shop is an error", async () => {
    expect((await syncStatus(database().sql, OTHER)).facts.orders).toBe(1);
    await expect(syncStatus(database().sql, "nobody.myshopify.com")).rejects.toBeInstanceOf(UnknownShopError);
  });

  test("a customers/data_request's JSON is there for the merchant to hand over", async () => {
    const request = {
      shop_id: 1,
      shop_domain: SHOP,
      customer: { id: 7500000001 },
      orders_requested: [8300000001],
      data_request: { id: 99001 },
    };
    expect(
      (
        await app.handle(
          webhookRequest({
            shop: SHOP,
            topic: "customers/data_request",
            body: JSON.stringify(request),
            webhookId: "w-dr",
          }),
        )
      ).status,
    ).toBe(200);
    expect(await completePrivacyRequests()).toBe(1);
    const data = (await storedDataRequest(database().sql, SHOP, "99001")) as {
      orders: Array<{ shopifyId: string }>;
      customer: { shopifyId: string };
    };
    expect(data.customer.shopifyId).toBe("7500000001");
    expect(data.orders.map((order) => order.shopifyId)).toEqual(["8300000001"]);
    expect(await storedDataRequest(database().sql, SHOP, "12345")).toBeNull();
    // The status says a request was answered, and when, never for whom.
    const text = formatSyncStatus(await syncStatus(database().sql, SHOP));
    expect(text).toContain("Privacy requests: 0 pending.");
    expect(text).toMatch(/Customer data request: received \d{4}-\d\d-\d\dT[^,]+, finished \d{4}-\d\d-\d\dT/);
    expect(text).not.toMatch(/7500000001|8300000001|99001/);
    await expect(storedDataRequest(database().sql, "nobody.myshopify.com", "99001")).rejects.toBeInstanceOf(
      UnknownShopError,
    );
  });
});
