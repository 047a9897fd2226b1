import { createHmac } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { createOffer } from "~/offers/store.server";
import { proxyParams, signProxyQuery } from "~/storefront-proxy/sign";
import {
  adminFormRequest,
  adminRequest,
  API_SECRET,
  APP_URL,
  appUnderTest,
  installTestShop,
  singleFetchData,
  webhookRequest,
} from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { countedBody, CHUNK, withBody } from "../support/request-bodies";
import { largeOrderObject } from "../support/webhook-payloads";

// Request bodies are limited before and while they are read (docs/security.md "Limits"): a webhook may be 16 MB, an
// app-proxy request has no body, an admin form 64 KB. Over the limit is 413 with a message, and the app stops reading
// there: the bodies here are produced on demand and count what was pulled. The production server's own reading is
// tested over HTTP in server-body-limits.test.ts.

const SHOP = "body-limits.myshopify.com";
const MB = 1024 * 1024;
const WEBHOOK_LIMIT = 16 * MB;
let app: AppUnderTest;
let shopId: string;

beforeAll(async () => {
  app = await appUnderTest();
  shopId = await installTestShop(app, SHOP);
  await createOffer(app.prisma, shopId, {
    id: "welcome",
    name: "Welcome",
    audience: { kind: "everyone" },
    content: { headline: "Hi", ctaLabel: "Shop", ctaUrl: "/" },
    status: "active",
    holdoutPercent: 0,
  });
});

// A header in Shopify's format whose digest is not this body's: a forger's delivery.
const forgedHmac = createHmac("sha256", "not-the-secret").update("x").digest("base64");

describe("webhooks", () => {
  test("an order of 1,000 line items, every one refunded (3 MB, twice Shopify's largest order), is stored whole", async () => {
    const body = JSON.stringify(largeOrderObject("9100000001", 1000));
    expect(Buffer.byteLength(body)).toBeGreaterThan(3_000_000);
    const response = await app.handle(webhookRequest({ shop: SHOP, topic: "orders/updated", body }));
    expect([response.status, await response.text()]).toEqual([200, ""]);
    const order = await app.prisma.order.findFirstOrThrow({
      where: { shopId, shopifyId: "9100000001" },
      include: { lines: true, refunds: true },
    });
    expect(order.lines).toHaveLength(1000);
    expect(order.subtotalMinor).toBe(100_000n);
    expect(order.refunds.map((refund) => refund.merchandiseMinor)).toEqual([100_000n]);
  });

  test("a body declared over the limit is refused with 413 before a byte of it is read", async () => {
    const body = countedBody(64 * MB);
    const request = withBody(
      webhookRequest({ shop: SHOP, topic: "orders/create", body: "", hmac: forgedHmac }),
      body,
      64 * MB,
    );
    const response = await app.handle(request);
    expect(response.status).toBe(413);
    expect(await response.text()).toBe("Request body too large: a Shopify webhook may be at most 16 MB.");
    expect(body.pulled()).toBe(0);
  });

  test("a body without a declared length is cut off once it passes the limit: the rest is never read", async () => {
    const body = countedBody(64 * MB);
    const response = await app.handle(
      withBody(webhookRequest({ shop: SHOP, topic: "orders/create", body: "", hmac: forgedHmac }), body),
    );
    expect(response.status).toBe(413);
    expect(await response.text()).toMatch(/at most 16 MB/);
    expect(body.pulled()).toBeGreaterThan(WEBHOOK_LIMIT);
    expect(body.pulled()).toBeLessThanOrEqual(WEBHOOK_LIMIT + CHUNK);
  });

  test("a delivery without a signature is refused (401) before its body is read", async () => {
    const body = countedBody(64 * MB);
    const request = withBody(webhookRequest({ shop: SHOP, topic: "orders/create", body: "" }), body);
    request.headers.delete("X-Shopify-Hmac-Sha256");
    expect((await app.handle(request)).status).toBe(401);
    expect(body.pulled()).toBe(0);
  });
});

describe("app proxy: no body at all", () => {
  const signed = (path: string, pairs: Array<[string, string]>) =>
    new Request(`${APP_URL}/proxy/${path}?${signProxyQuery(pairs, API_SECRET)}`, { method: "POST" });
  const beacon = (): Array<[string, string]> => [
    ...proxyParams(SHOP, "5001"),
    ["type", "exposure"],
    ["offer", "welcome"],
    ["arm", "treatment"],
    ["surface", "block"],
  ];
  const routes: Array<[string, () => Request]> = [
    ["events", () => signed("events", beacon())],
    ["preferences", () => signed("preferences", [...proxyParams(SHOP, "5001"), ["personalised", "0"]])],
  ];

  test.each(routes)(
    "/proxy/%s refuses a 300 MB body with 413 at its first chunk, declared or not, and stores nothing",
    async (_path, make) => {
      for (const declared of [300 * MB, undefined]) {
        const body = countedBody(300 * MB);
        const response = await app.handle(withBody(make(), body, declared));
        expect(response.status).toBe(413);
        expect(await response.text()).toMatch(/Request bodies are not accepted/);
        expect(body.pulled()).toBeLessThanOrEqual(CHUNK);
      }
      expect(await app.prisma.offerEvent.count({ where: { shopId } })).toBe(0);
      expect(await app.prisma.shopperOptOut.count({ where: { shopId } })).toBe(0);
    },
  );

  test("the same requests without a body are served", async () => {
    expect((await app.handle(routes[0]![1]())).status).toBe(204);
    expect((await app.handle(routes[1]![1]())).status).toBe(303);
  });
});

describe("admin actions: forms of 64 KB at most", () => {
  test("a settings form over 64 KB is refused with 413 and changes nothing; the same form within it is saved", async () => {
    const page = await app.handle(await adminRequest("/app/settings.data?_routes=routes%2Fapp.settings", SHOP));
    const { values } = await singleFetchData<{ values: Record<string, string> }>(page, "routes/app.settings");
    const fields = { ...values, attributionWindowDays: "21" };
    const tooLarge = await app.handle(
      await adminFormRequest("/app/settings", SHOP, { ...fields, padding: "x".repeat(70 * 1024) }),
    );
    expect(tooLarge.status).toBe(413);
    expect(await app.prisma.offerSettings.count({ where: { shopId } })).toBe(0);
    const saved = await app.handle(
      await adminFormRequest("/app/settings", SHOP, { ...fields, padding: "x".repeat(60 * 1024) }),
    );
    expect(saved.status).toBe(200);
    expect(await app.prisma.offerSettings.findUnique({ where: { shopId } })).toMatchObject({
      attributionWindowDays: 21,
    });
  });

  test("an endless form is cut off at the limit", async () => {
    const body = countedBody(64 * MB);
    const request = withBody(await adminFormRequest("/app/offers/new", SHOP, {}), body);
    const response = await app.handle(request);
    expect(response.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(64 * 1024 + CHUNK);
  });
});
