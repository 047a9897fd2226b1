import { getHmac } from "@shopify/shopify-api/test-helpers";
import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { API_SECRET, APP_URL, appUnderTest, installTestShop, webhookRequest } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { orderObject, refundBody } from "../support/webhook-payloads";
import type { Json } from "../support/webhook-payloads";

// Bad input gets a clear answer and loses nothing: 401 for a bad signature, 400 with the reason (also logged) for a
// body Cadence cannot use, 200 for what Shopify should not retry (unknown topic, shop not installed). Never a 500.

process.env.CADENCE_LOG_LEVEL = "info";

const SHOP = "bad-input.myshopify.com";
let app: AppUnderTest;
let logs: Array<Record<string, unknown>>;

beforeAll(async () => {
  app = await appUnderTest();
  await installTestShop(app, SHOP);
});

beforeEach(() => {
  logs = [];
  // The app's JSON log lines are captured (and kept out of the test output).
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    for (const line of text.split("\n")) {
      if (line.startsWith("{")) logs.push(JSON.parse(line) as Record<string, unknown>);
    }
    return true;
  });
});

afterEach(() => vi.mocked(process.stdout.write).mockRestore());

async function stored() {
  return {
    deliveries: await app.prisma.webhookDelivery.count(),
    orders: await app.prisma.order.count(),
    refunds: await app.prisma.refund.count(),
    customers: await app.prisma.customer.count(),
  };
}

async function expectRejected(topic: string, body: string, reason: RegExp) {
  const before = await stored();
  const response = await app.handle(webhookRequest({ shop: SHOP, topic, body }));
  expect(response.status).toBe(400);
  expect(await response.text()).toMatch(reason);
  expect(await stored()).toEqual(before);
  expect(logs).toContainEqual(
    expect.objectContaining({
      level: "warn",
      message: "webhook rejected",
      topic,
      reason: expect.stringMatching(reason),
    }),
  );
}

const withOrder = (change: (order: Json) => void) => {
  const order = orderObject({ id: "6100000001" });
  change(order);
  return JSON.stringify(order);
};

describe("400 with the reason, nothing stored", () => {
  test.each([
    ["malformed JSON", "orders/create", '{"id": 1,', /not valid JSON/],
    ["a JSON array instead of an object", "orders/create", "[]", /order payload/],
    ["an order without line_items", "orders/create", withOrder((o) => delete o.line_items), /line_items/],
    ["an order without updated_at", "orders/create", withOrder((o) => delete o.updated_at), /updated_at/],
    [
      "an unreadable date",
      "orders/updated",
      withOrder((o) => (o.updated_at = "yesterday")),
      /updated_at: "yesterday" is not a date/,
    ],
    ["a negative quantity", "orders/create", withOrder((o) => (o.line_items[0].quantity = -1)), /quantity/],
    [
      "an amount that is not a number",
      "orders/create",
      withOrder((o) => (o.subtotal_price_set.shop_money.amount = "12,50")),
      /"12,50" is not a decimal amount/,
    ],
    [
      "an amount beyond any shop's",
      "orders/create",
      withOrder((o) => (o.total_price_set.shop_money.amount = "99999999999999999999")),
      /out of range/,
    ],
    [
      "an order ID of another type",
      "orders/create",
      withOrder((o) => (o.admin_graphql_api_id = "gid://shopify/Product/1")),
      /not a Shopify Order global ID/,
    ],
    [
      "a refund for a non-numeric order",
      "refunds/create",
      refundBody("6100000002", { id: "8100000001" }).replace('"order_id":6100000002', '"order_id":"abc"'),
      /order_id/,
    ],
    ["orders/delete without an id", "orders/delete", "{}", /orders\/delete payload: id/],
    [
      "a customer without its ID",
      "customers/update",
      JSON.stringify({ email: "x@example.com" }),
      /admin_graphql_api_id/,
    ],
    [
      "customers/redact without the customer",
      "customers/redact",
      JSON.stringify({ shop_domain: SHOP, orders_to_redact: [] }),
      /customer\.id is required/,
    ],
    [
      "customers/redact with an order ID that is not numeric",
      "customers/redact",
      JSON.stringify({ shop_domain: SHOP, customer: { id: 1 }, orders_to_redact: ["x"] }),
      /order IDs must be numeric/,
    ],
    [
      "customers/redact without shop_domain",
      "customers/redact",
      JSON.stringify({ customer: { id: 1 }, orders_to_redact: [] }),
      /shop_domain is required/,
    ],
    [
      "customers/data_request with a shop_domain that is not text",
      "customers/data_request",
      JSON.stringify({ shop_domain: 7, customer: { id: 1 } }),
      /shop_domain is required/,
    ],
    [
      "shop/redact without shop_domain",
      "shop/redact",
      JSON.stringify({ shop_id: 1 }),
      /shop\/redact payload: shop_domain is required/,
    ],
    [
      "app/scopes_update without scopes",
      "app/scopes_update",
      JSON.stringify({ current: "read_orders" }),
      /current must be a list/,
    ],
    [
      "bulk_operations/finish with a foreign ID",
      "bulk_operations/finish",
      JSON.stringify({ admin_graphql_api_id: "gid://shopify/Order/1", status: "completed" }),
      /admin_graphql_api_id/,
    ],
  ])("%s", async (_case, topic, body, reason) => {
    await expectRejected(topic, body, reason);
  });
});

describe("authentication and headers", () => {
  test("no HMAC header: 401, nothing stored", async () => {
    const before = await stored();
    const request = webhookRequest({ shop: SHOP, topic: "orders/create", body: withOrder(() => undefined) });
    request.headers.delete("X-Shopify-Hmac-Sha256");
    expect((await app.handle(request)).status).toBe(401);
    expect(await stored()).toEqual(before);
  });

  test("an HMAC made with another secret: 401", async () => {
    const body = withOrder(() => undefined);
    const response = await app.handle(
      webhookRequest({ shop: SHOP, topic: "orders/create", body, hmac: getHmac(body, "not-the-app-secret") }),
    );
    expect(response.status).toBe(401);
  });

  test("a signed delivery without X-Shopify-Webhook-Id: 400 naming the header", async () => {
    const request = webhookRequest({ shop: SHOP, topic: "orders/create", body: withOrder(() => undefined) });
    request.headers.delete("X-Shopify-Webhook-Id");
    const response = await app.handle(request);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("x-shopify-webhook-id");
  });

  test("GET on the webhook route is not a delivery", async () => {
    const response = await app.handle(new Request(`${APP_URL}/webhooks`));
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("POST");
  });

  test("the signature covers the exact bytes, multi-byte characters included", async () => {
    const body = withOrder((o) => (o.name = "#1001 — Café ☕"));
    const response = await app.handle(
      new Request(`${APP_URL}/webhooks`, {
        method: "POST",
        body: Buffer.from(body, "utf8"),
        headers: {
          "Content-Type": "application/json",
          "X-Shopify-Topic": "orders/create",
          "X-Shopify-Shop-Domain": SHOP,
          "X-Shopify-API-Version": "2026-04",
          "X-Shopify-Webhook-Id": "utf8-delivery",
          "X-Shopify-Hmac-Sha256": getHmac(body, API_SECRET),
        },
      }),
    );
    expect(response.status).toBe(200);
    expect((await app.prisma.order.findFirstOrThrow({ where: { shopifyId: "6100000001" } })).name).toBe(
      "#1001 — Café ☕",
    );
  });
});

describe("200 for what Shopify should not retry", () => {
  test("an unknown topic is answered 200 and logged", async () => {
    const response = await app.handle(webhookRequest({ shop: SHOP, topic: "products/create", body: "{}" }));
    expect(response.status).toBe(200);
    expect(logs).toContainEqual(
      expect.objectContaining({ level: "warn", message: "webhook topic not handled", topic: "products/create" }),
    );
  });

  test("a shop that is not installed: 200, dropped, logged", async () => {
    const response = await app.handle(
      webhookRequest({
        shop: "never-installed.myshopify.com",
        topic: "orders/create",
        body: withOrder(() => undefined),
      }),
    );
    expect(response.status).toBe(200);
    expect(logs).toContainEqual(
      expect.objectContaining({
        message: "webhook dropped",
        shop: "never-installed.myshopify.com",
        reason: "shop not installed",
      }),
    );
    expect(await app.prisma.shop.count({ where: { domain: "never-installed.myshopify.com" } })).toBe(0);
  });
});
