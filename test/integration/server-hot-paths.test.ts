import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createOffer } from "~/offers/store.server";
import { proxyParams, signProxyQuery } from "~/storefront-proxy/sign";
import { startServer } from "../../server/start-server";
import type { RunningServer } from "../../server/start-server";
import { API_SECRET, APP_URL, appUnderTest, installTestShop, webhookRequest } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { orderBody as webhookOrder } from "../support/webhook-payloads";

// The production server answers the hot resource routes (webhooks, app proxy) straight from their route modules
// (server/resource-routes.ts). Every request here goes both ways, through that server over HTTP and through
// Remix's own request handler, and the answers must be the same, good and bad input alike.

const SHOP = "hot-paths.myshopify.com";
let app: AppUnderTest;
let server: RunningServer;

beforeAll(async () => {
  app = await appUnderTest();
  await installTestShop(app, SHOP);
  const shopId = (await app.prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).id;
  await createOffer(app.prisma, shopId, {
    id: "welcome",
    name: "Welcome",
    audience: { kind: "guests" },
    content: { headline: "Hello visitor", ctaLabel: "Shop", ctaUrl: "/collections/all" },
    status: "active",
  });
  server = await startServer({ port: 0, backgroundWork: false });
});
afterAll(() => server?.close());

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

async function answer(response: Response): Promise<Answer> {
  const headers = Object.fromEntries(
    [...response.headers].filter(
      ([name]) => !["date", "connection", "keep-alive", "transfer-encoding", "content-length"].includes(name),
    ),
  );
  return { status: response.status, body: await response.text(), headers };
}

/** The same request through the HTTP server and through Remix; both answers. */
async function bothWays(make: () => Request): Promise<[viaServer: Answer, viaRemix: Answer]> {
  const direct = make();
  const url = new URL(direct.url);
  const overHttp = await fetch(`${server.url}${url.pathname}${url.search}`, {
    method: direct.method,
    headers: direct.headers,
    body: direct.method === "GET" || direct.method === "HEAD" ? undefined : await direct.arrayBuffer(),
  });
  return [await answer(overHttp), await answer(await app.handle(make()))];
}

const orderBody = (id: string) => webhookOrder({ id });

describe("webhooks", () => {
  test("a signed order is stored once whichever way it arrives, and its duplicate is acknowledged", async () => {
    const webhookId = randomUUID();
    const body = orderBody("9400000001");
    const [first, again] = await bothWays(() =>
      webhookRequest({ shop: SHOP, topic: "orders/create", body, webhookId }),
    );
    expect(first).toEqual({ status: 200, body: "", headers: {} });
    expect(again).toEqual(first);
    expect(await app.prisma.order.count({ where: { shopifyId: "9400000001" } })).toBe(1);
    expect(await app.prisma.webhookDelivery.count({ where: { webhookId } })).toBe(1);
  });

  test.each([
    [
      "a wrong HMAC",
      () => webhookRequest({ shop: SHOP, topic: "orders/create", body: orderBody("9400000002"), hmac: "d3Jvbmc=" }),
      401,
    ],
    ["malformed JSON", () => webhookRequest({ shop: SHOP, topic: "orders/create", body: "{not json" }), 400],
    ["a payload without its order ID", () => webhookRequest({ shop: SHOP, topic: "orders/create", body: "{}" }), 400],
    ["a GET", () => new Request(`${APP_URL}/webhooks`), 405],
  ])("%s gets the same answer both ways", async (_case, make, status) => {
    const [viaServer, viaRemix] = await bothWays(make);
    expect(viaServer.status).toBe(status);
    expect(viaServer).toEqual(viaRemix);
  });

  test("a request without the Shopify headers is refused both ways (400), after its HMAC", async () => {
    const make = () => {
      const request = webhookRequest({ shop: SHOP, topic: "orders/create", body: orderBody("9400000003") });
      const headers = new Headers(request.headers);
      headers.delete("X-Shopify-Topic");
      return new Request(request.url, { method: "POST", headers, body: orderBody("9400000003") });
    };
    const [viaServer, viaRemix] = await bothWays(make);
    expect(viaServer).toMatchObject({ status: 400, body: expect.stringContaining("x-shopify-topic") });
    expect(viaServer).toEqual(viaRemix);
    expect(await app.prisma.order.count({ where: { shopifyId: "9400000003" } })).toBe(0);
  });
});

describe("app proxy", () => {
  const signed =
    (path: string, pairs: Array<[string, string]>, init: RequestInit = {}) =>
    () =>
      new Request(`${APP_URL}/proxy/${path}?${signProxyQuery(pairs, API_SECRET)}`, init);

  test("the guest offer, a bad signature and a wrong method answer alike both ways", async () => {
    const [offer, offerViaRemix] = await bothWays(signed("offer", proxyParams(SHOP, null)));
    expect(offer.status).toBe(200);
    expect(JSON.parse(offer.body)).toMatchObject({ shopper: "guest", offer: { headline: "Hello visitor" } });
    expect(offer).toEqual(offerViaRemix);

    const forged = () =>
      new Request(`${APP_URL}/proxy/offer?${signProxyQuery(proxyParams(SHOP, null), "not-the-secret")}`);
    const [refused, refusedViaRemix] = await bothWays(forged);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused).toEqual(refusedViaRemix);

    const [wrongMethod, wrongMethodViaRemix] = await bothWays(
      signed("events", [...proxyParams(SHOP, null), ["type", "exposure"]]),
    );
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod).toEqual(wrongMethodViaRemix);
  });
});

describe("everything else", () => {
  test("goes to Remix: pages and routes that are not hot are served as before", async () => {
    const root = await fetch(`${server.url}/`, { redirect: "manual" });
    expect(root.status).toBe((await app.handle(new Request(`${APP_URL}/`))).status);
  });
});
