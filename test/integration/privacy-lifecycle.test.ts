import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { appUnderTest, installTestShop, webhookRequest } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { completePrivacyRequests, orderBody, send } from "../support/webhook-payloads";

// Issue 15, item 7: a privacy webhook acts on the shop its payload names, never on another one the header names;
// an uninstall or shop redaction that belongs to an earlier install (triggered before the latest one) is acknowledged
// and ignored; a shop/redact for a shop that has the app installed is ignored. Each refusal is logged.

process.env.CADENCE_LOG_LEVEL = "info";

const VICTIM = "lifecycle-victim.myshopify.com";
const OTHER = "lifecycle-other.myshopify.com";
const RETURNING = "lifecycle-returning.myshopify.com";
let app: AppUnderTest;
let logs: Array<Record<string, unknown>>;

function captureLogs() {
  logs = [];
  // The app's JSON log lines are captured (and kept out of the test output).
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    for (const line of text.split("\n")) {
      if (line.startsWith("{")) logs.push(JSON.parse(line) as Record<string, unknown>);
    }
    return true;
  });
}

beforeAll(async () => {
  app = await appUnderTest();
  await installTestShop(app, VICTIM);
  await installTestShop(app, OTHER);
  captureLogs();
  expect(
    (await send(app, VICTIM, "orders/create", orderBody({ id: "6700000001", customerId: "7700000001" }))).status,
  ).toBe(200);
  vi.mocked(process.stdout.write).mockRestore();
});

beforeEach(captureLogs);
afterEach(() => vi.mocked(process.stdout.write).mockRestore());

async function victimState() {
  const shop = await app.prisma.shop.findUnique({
    where: { domain: VICTIM },
    select: { id: true, uninstalledAt: true },
  });
  return {
    installed: shop !== null && shop.uninstalledAt === null,
    orders: shop ? await app.prisma.order.count({ where: { shopId: shop.id } }) : 0,
    customers: shop ? await app.prisma.customer.count({ where: { shopId: shop.id } }) : 0,
    sessions: await app.prisma.session.count({ where: { shop: VICTIM } }),
    requests: shop ? await app.prisma.privacyRequest.count({ where: { shopId: shop.id } }) : 0,
  };
}

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

describe("the shop a privacy webhook names", () => {
  test.each([
    ["shop/redact", JSON.stringify({ shop_id: 954889, shop_domain: OTHER })],
    [
      "customers/redact",
      JSON.stringify({
        shop_id: 954889,
        shop_domain: OTHER,
        customer: { id: 7700000001 },
        orders_to_redact: [6700000001],
      }),
    ],
    [
      "customers/data_request",
      JSON.stringify({ shop_id: 954889, shop_domain: OTHER, customer: { id: 7700000001 }, data_request: { id: 1 } }),
    ],
    ["app/uninstalled", JSON.stringify({ id: 954889, myshopify_domain: OTHER })],
  ])(
    "%s whose payload names another shop than the header: 400, logged, and neither shop changes",
    async (topic, body) => {
      const before = await victimState();
      const response = await app.handle(webhookRequest({ shop: VICTIM, topic, body }));
      expect(response.status).toBe(400);
      expect(await response.text()).toBe(`the payload names shop ${OTHER} but X-Shopify-Shop-Domain says ${VICTIM}`);
      expect(logs).toContainEqual(
        expect.objectContaining({
          level: "warn",
          message: "webhook rejected",
          shop: VICTIM,
          topic,
          reason: expect.stringContaining(OTHER),
        }),
      );
      expect(await completePrivacyRequests()).toBe(0);
      expect(await victimState()).toEqual(before);
      expect(await app.prisma.shop.count({ where: { domain: OTHER, uninstalledAt: null } })).toBe(1);
      expect(before).toMatchObject({ installed: true, orders: 1, sessions: 1 });
    },
  );

  test("the same comparison ignores letter case, as domains do", async () => {
    const body = JSON.stringify({
      shop_domain: VICTIM.toUpperCase(),
      customer: { id: 7700000099 },
      data_request: { id: 2 },
    });
    expect((await app.handle(webhookRequest({ shop: VICTIM, topic: "customers/data_request", body }))).status).toBe(
      200,
    );
    expect(await completePrivacyRequests()).toBe(1);
  });
});

describe("a shop/redact for a shop that has the app installed", () => {
  test("is acknowledged, ignored and logged: nothing is deleted", async () => {
    const before = await victimState();
    const response = await send(app, VICTIM, "shop/redact", JSON.stringify({ shop_id: 954889, shop_domain: VICTIM }), {
      webhookId: "installed-redact",
    });
    expect(response.status).toBe(200);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: "warn",
        message: "webhook ignored",
        shop: VICTIM,
        topic: "shop/redact",
        detail: expect.stringMatching(/installed/),
      }),
    );
    expect(await completePrivacyRequests()).toBe(0);
    expect(await victimState()).toEqual(before);
    const ledger = await app.prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId: "installed-redact" } });
    expect(ledger).toMatchObject({ topic: "shop/redact", outcome: "ignored" });
  });
});

describe("deliveries triggered before the latest install", () => {
  test("a late app/uninstalled from before a reinstall is acknowledged and ignored; a current one uninstalls", async () => {
    await installTestShop(app, RETURNING);
    const late = await send(app, RETURNING, "app/uninstalled", JSON.stringify({ id: 1, myshopify_domain: RETURNING }), {
      triggeredAt: hoursAgo(3),
    });
    expect(late.status).toBe(200);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: "warn",
        message: "webhook ignored",
        topic: "app/uninstalled",
        detail: expect.stringMatching(/before the latest install/),
      }),
    );
    expect(await app.prisma.shop.findUniqueOrThrow({ where: { domain: RETURNING } })).toMatchObject({
      uninstalledAt: null,
    });
    expect(await app.prisma.session.count({ where: { shop: RETURNING } })).toBe(1);

    expect(
      (await send(app, RETURNING, "app/uninstalled", JSON.stringify({ id: 1, myshopify_domain: RETURNING }))).status,
    ).toBe(200);
    expect((await app.prisma.shop.findUniqueOrThrow({ where: { domain: RETURNING } })).uninstalledAt).not.toBeNull();
    expect(await app.prisma.session.count({ where: { shop: RETURNING } })).toBe(0);
  });

  test("a shop/redact triggered before a reinstall is ignored even after the next uninstall; a current one is carried out", async () => {
    // Uninstalled (above), installed again with an order, and uninstalled again a moment later.
    const shopId = await installTestShop(app, RETURNING);
    expect(
      (await send(app, RETURNING, "orders/create", orderBody({ id: "6700000010", customerId: "7700000010" }))).status,
    ).toBe(200);
    expect(
      (await send(app, RETURNING, "app/uninstalled", JSON.stringify({ id: 1, myshopify_domain: RETURNING }))).status,
    ).toBe(200);

    // The redaction Shopify triggered for the first uninstall, delivered late (its retries run for hours).
    const stale = await send(app, RETURNING, "shop/redact", JSON.stringify({ shop_domain: RETURNING }), {
      triggeredAt: hoursAgo(1),
    });
    expect(stale.status).toBe(200);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: "warn",
        message: "webhook ignored",
        topic: "shop/redact",
        detail: expect.stringMatching(/before the latest install/),
      }),
    );
    expect(await completePrivacyRequests()).toBe(0);
    expect(await app.prisma.order.count({ where: { shopId } })).toBe(1);

    // The one for this uninstall (48 hours later in real life) deletes everything.
    expect((await send(app, RETURNING, "shop/redact", JSON.stringify({ shop_domain: RETURNING }))).status).toBe(200);
    expect(await completePrivacyRequests()).toBe(1);
    expect(await app.prisma.shop.count({ where: { id: shopId } })).toBe(0);
    expect(await app.prisma.order.count({ where: { shopId } })).toBe(0);
  });
});
