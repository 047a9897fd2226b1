import { createHmac } from "node:crypto";
import { proxyParams as signedParams, signProxyQuery } from "~/storefront-proxy/sign";
import { beforeAll, describe, expect, test } from "vitest";
import {
  adminRequest,
  API_SECRET,
  APP_URL,
  appUnderTest,
  installTestShop,
  singleFetchData,
  webhookRequest,
} from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { sharedDataPath } from "../support/shared-data";

const SHOP = "admin-test.myshopify.com";
let app: AppUnderTest;

beforeAll(async () => {
  app = await appUnderTest();
  await installTestShop(app, SHOP);
});

describe("embedded admin", () => {
  test("the dashboard's data request with a valid session token returns the shop's synced counts", async () => {
    const order = JSON.parse(
      await import("node:fs").then((fs) =>
        fs.readFileSync(sharedDataPath("shopify-webhooks", "2026-04", "orders", "create.json"), "utf8"),
      ),
    );
    order.test = false;
    await app.handle(webhookRequest({ shop: SHOP, topic: "orders/create", body: JSON.stringify(order) }));
    const response = await app.handle(await adminRequest("/app.data?_routes=routes%2Fapp._index", SHOP));
    expect(response.status).toBe(200);
    const data = await singleFetchData(response, "routes/app._index");
    // Shopify's sample order is a cancelled one: synced, but not among the orders every figure counts.
    expect(data).toMatchObject({
      shop: SHOP,
      orderCounts: { orders: 1, countedOrders: 0, cancelledOrders: 1 },
      figures: { customers: 1, orders: 0 },
    });
  });

  test("a request without a session token is not served the shop's data", async () => {
    const response = await app.handle(new Request(`${APP_URL}/app.data?_routes=routes%2Fapp._index`));
    expect(response.status).not.toBe(200);
    expect(await response.text()).not.toContain("orderCounts");
  });

  test("a session token signed with another secret is refused", async () => {
    const forged = await adminRequest("/app.data?_routes=routes%2Fapp._index", SHOP);
    const [header, payload] = (forged.headers.get("Authorization") ?? "").replace("Bearer ", "").split(".");
    const signature = createHmac("sha256", "not-the-secret").update(`${header}.${payload}`).digest("base64url");
    const request = new Request(forged.url, { headers: { Authorization: `Bearer ${header}.${payload}.${signature}` } });
    const response = await app.handle(request);
    expect(response.status).toBe(401);
  });

  test("the dev shell is off unless CADENCE_DEV_SHELL is set", async () => {
    const response = await app.handle(new Request(`${APP_URL}/dev/session-token?shop=${SHOP}`));
    expect(response.status).toBe(404);
  });
});

function proxyQuery(params: Record<string, string>, secret = API_SECRET): string {
  return signProxyQuery(Object.entries(params), secret);
}

function proxyParams(shop: string, customer = ""): Record<string, string> {
  return Object.fromEntries(signedParams(shop, customer || null));
}

describe("app proxy", () => {
  test("a correctly signed request is answered", async () => {
    const response = await app.handle(new Request(`${APP_URL}/proxy/status?${proxyQuery(proxyParams(SHOP, "7001"))}`));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ installed: true, shopper: "customer" });
  });

  test("a bad signature is refused", async () => {
    const query = proxyQuery(proxyParams(SHOP), "wrong-secret");
    const response = await app.handle(new Request(`${APP_URL}/proxy/status?${query}`));
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });

  test("a signature made for one shop does not work for another", async () => {
    const query = proxyQuery(proxyParams(SHOP)).replace(
      `shop=${encodeURIComponent(SHOP)}`,
      "shop=victim.myshopify.com",
    );
    const response = await app.handle(new Request(`${APP_URL}/proxy/status?${query}`));
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});
