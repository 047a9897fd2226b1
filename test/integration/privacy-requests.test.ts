import { beforeAll, describe, expect, test } from "vitest";
import { database } from "~/db.server";
import { recordOfferEvent } from "~/offers/events.server";
import { createOffer } from "~/offers/store.server";
import { classifyBatch } from "~/recompute/classify-batch.server";
import { loadCustomerStates } from "~/recompute/customer-state.server";
import { loadShop, readOrders } from "~/recompute/facts.server";
import { runFullPass } from "~/recompute/full-pass.server";
import { loadSegmentConfig, modelOrEmpty } from "~/recompute/segment-config.server";
import { writeResults } from "~/recompute/write-results.server";
import { loadCustomerFacts } from "~/publish/audience.server";
import { BUILTIN_SEGMENTS } from "~/segments/winback/occasions";
import { proxyParams, signProxyQuery } from "~/storefront-proxy/sign";
import { syncStatus } from "~/ingest/sync-status";
import {
  adminRequest,
  API_SECRET,
  APP_URL,
  appUnderTest,
  installTestShop,
  singleFetchData,
} from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { completePrivacyRequests, orderBody, send } from "../support/webhook-payloads";
import { AS_OF, seedGeneratedShop } from "./generated-shop";

// Issue 21: a privacy webhook is answered as soon as its request is recorded; the work is the privacy job's. These
// tests stop between the two and look at what every reader sees meanwhile (the customer or shop is already gone),
// then let the job run (completePrivacyRequests, the job's own function) and look again.

const SHOP = "privacy-requests.myshopify.com";
const LEAVING = "privacy-leaving.myshopify.com";
let app: AppUnderTest;
let shopId: string;

beforeAll(async () => {
  app = await appUnderTest();
  shopId = await installTestShop(app, SHOP);
  await seedGeneratedShop(app, SHOP, 40);
  await runFullPass(app.database, shopId, { asOf: AS_OF });
  await createOffer(app.prisma, shopId, {
    id: "everyone",
    name: "Everyone",
    audience: { kind: "everyone" },
    content: { headline: "Hi", ctaLabel: "Shop", ctaUrl: "/" },
    status: "active",
    holdoutPercent: 0,
  });
}, 180_000);

const route = (id: string) => `_routes=${encodeURIComponent(id)}`;

async function adminStatus(path: string, routeId: string): Promise<number> {
  return (await app.handle(await adminRequest(`${path}.data?${route(routeId)}`, SHOP))).status;
}

async function adminData<T>(path: string, routeId: string): Promise<T> {
  const response = await app.handle(await adminRequest(`${path}.data?${route(routeId)}`, SHOP));
  expect(response.status).toBe(200);
  return singleFetchData<T>(response, routeId);
}

async function proxyOffer(customerId: string): Promise<{ shopper: string }> {
  const response = await app.handle(
    new Request(`${APP_URL}/proxy/offer?${signProxyQuery(proxyParams(SHOP, customerId), API_SECRET)}`),
  );
  expect(response.status).toBe(200);
  return (await response.json()) as { shopper: string };
}

/** The customers with the most counted orders first (profiles from the full pass). */
async function customersByOrders(): Promise<string[]> {
  const rows = await app.prisma.customerProfile.findMany({
    where: { shopId },
    orderBy: [{ orders: "desc" }, { customerShopifyId: "asc" }],
    select: { customerShopifyId: true },
  });
  return rows.map((row) => row.customerShopifyId);
}

const countedOrders = (customer: string) =>
  app.prisma.order.count({ where: { shopId, customerShopifyId: customer, test: false, cancelledAt: null } });

/** Every row of every application table that mentions one of these values (the migration bookkeeping aside). */
async function rowsMentioning(values: string[]): Promise<string[]> {
  const sql = database().sql;
  const { rows: tables } = await sql.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`,
  );
  const found: string[] = [];
  for (const { name } of tables) {
    const { rows } = await sql.query<{ row: string }>(`SELECT t::text AS row FROM "${name}" t`);
    found.push(
      ...rows.map((row) => `${name}: ${row.row}`).filter((row) => values.some((value) => row.includes(value))),
    );
  }
  return found;
}

async function queuedPrivacyJob(requestId: string): Promise<Record<string, unknown> | null> {
  const { rows } = await database().sql.query<{ data: Record<string, unknown> }>(
    `SELECT data FROM pgboss.job WHERE name = 'privacy-request' AND data->>'requestId' = $1`,
    [requestId],
  );
  return rows[0]?.data ?? null;
}

describe("customers/redact", () => {
  test("is answered before its work; from that answer on the customer is gone from every reader; the job removes the rest", async () => {
    const [customer] = await customersByOrders();
    if (!customer) throw new Error("the generated shop has no profiles");
    const orders = await app.prisma.order.findMany({
      where: { shopId, customerShopifyId: customer },
      select: { shopifyId: true },
    });
    expect(orders.length).toBeGreaterThan(1);
    await recordOfferEvent(database().sql, shopId, {
      type: "exposure",
      offerId: "everyone",
      arm: "treatment",
      surface: "block",
      customerId: customer,
      signature: "seen-once",
    });
    const before = await adminData<{ figures: { orders: number } }>("/app", "routes/app._index");
    expect(await adminStatus(`/app/customers/${customer}`, "routes/app.customers.$id")).toBe(200);
    expect(await proxyOffer(customer)).toMatchObject({ shopper: "customer" });
    const shop = { id: shopId, domain: SHOP, currencyCode: "GBP" };
    expect((await loadCustomerFacts(app.prisma, shop)).map((facts) => facts.shopper.customerId)).toContain(customer);
    const counted = await countedOrders(customer);

    const redact = {
      shop_id: 1,
      shop_domain: SHOP,
      customer: { id: Number(customer), email: "x@example.com" },
      orders_to_redact: orders.map((order) => Number(order.shopifyId)),
    };
    expect((await send(app, SHOP, "customers/redact", JSON.stringify(redact))).status).toBe(200);

    // Answered with the work still to do: the orders are there, the request is pending and queued for the job.
    const request = await app.prisma.privacyRequest.findFirstOrThrow({ where: { shopId, kind: "customer-redact" } });
    expect(request.finishedAt).toBeNull();
    expect(await app.prisma.order.count({ where: { shopId, customerShopifyId: customer } })).toBe(orders.length);
    await expect
      .poll(() => queuedPrivacyJob(String(request.id)), { timeout: 15_000 })
      .toEqual({ requestId: String(request.id) });

    // Meanwhile, gone: the customer page, the dashboard's figures, the storefront, publishing.
    expect(await adminStatus(`/app/customers/${customer}`, "routes/app.customers.$id")).toBe(404);
    const during = await adminData<{ figures: { orders: number } }>("/app", "routes/app._index");
    expect(during.figures.orders).toBe(before.figures.orders - counted);
    expect(await proxyOffer(customer)).toMatchObject({ shopper: "guest" });
    expect((await loadCustomerFacts(app.prisma, shop)).map((facts) => facts.shopper.customerId)).not.toContain(
      customer,
    );
    // Sync status shows the request, never whom it is for.
    const { status } = await adminData<{ status: Awaited<ReturnType<typeof syncStatus>> }>(
      "/app/sync",
      "routes/app.sync",
    );
    expect(status.privacy.pending).toEqual([expect.objectContaining({ kind: "customer-redact", finishedAt: null })]);
    expect(JSON.stringify(status)).not.toContain(customer);

    expect(await completePrivacyRequests({ batchRows: 3 })).toBe(1);

    const identifiers = [customer, ...orders.map((order) => order.shopifyId)];
    expect((await rowsMentioning(identifiers)).filter((row) => !row.startsWith("WebhookDelivery:"))).toEqual([]);
    const after = await adminData<{ status: Awaited<ReturnType<typeof syncStatus>> }>("/app/sync", "routes/app.sync");
    expect(after.status.privacy.pending).toEqual([]);
    expect(after.status.privacy.finished).toEqual([
      expect.objectContaining({ kind: "customer-redact", outcome: "done", finishedAt: expect.any(String) }),
    ]);
    expect(after.status.privacy.finished[0]?.rowsDeleted).toBeGreaterThanOrEqual(orders.length * 2);
    expect((await adminData<{ figures: { orders: number } }>("/app", "routes/app._index")).figures.orders).toBe(
      before.figures.orders - counted,
    );
  });

  test("a segmentation write that read the customer before the redaction arrived writes nothing for them", async () => {
    const customer = (await customersByOrders())[1] as string;
    // A refresh's read and classification, as refreshCustomers does them, finished just before the webhook ...
    const db = app.database;
    const shop = await loadShop(db.prisma, { id: shopId });
    const config = await loadSegmentConfig(db.prisma, shop);
    const context = {
      asOf: AS_OF,
      currency: shop.currency,
      settings: config.settings,
      model: modelOrEmpty(config, shop, AS_OF),
      program: config.program?.program ?? null,
      customSegments: config.customSegments,
    };
    const ids = { ids: [customer], contiguous: false };
    const classified = classifyBatch(
      [customer],
      await readOrders(db.sql, shop, ids, true),
      await loadCustomerStates(db.sql, shopId, ids, AS_OF),
      config,
      context,
    );
    const readAt = new Date();
    expect(classified[0]?.record.segments.length).toBeGreaterThan(0);

    expect(
      (
        await send(
          app,
          SHOP,
          "customers/redact",
          JSON.stringify({ shop_domain: SHOP, customer: { id: Number(customer) }, orders_to_redact: [] }),
        )
      ).status,
    ).toBe(200);
    // ... and its write after it (the profile's row was deleted with the webhook; nothing may bring it back).
    const summary = await db.transaction((sql) =>
      writeResults(
        sql,
        { shopId, program: config.program, readAt, segmentKeys: new Set(BUILTIN_SEGMENTS) },
        classified,
      ),
    );
    expect(summary.written).toBe(0);
    const where = { shopId, customerShopifyId: customer };
    expect(await app.prisma.customerProfile.count({ where })).toBe(0);
    expect(await app.prisma.customerListing.count({ where })).toBe(0);

    expect(await completePrivacyRequests()).toBe(1);
    expect((await rowsMentioning([customer])).filter((row) => !row.startsWith("WebhookDelivery:"))).toEqual([]);
  });
});

describe("customers/data_request", () => {
  test("is assembled by the job; a redaction of the same customer that arrives first makes it unnecessary", async () => {
    const [first, second] = (await customersByOrders()).slice(2, 4) as [string, string];
    const ask = (customer: string, id: number) =>
      JSON.stringify({
        shop_domain: SHOP,
        customer: { id: Number(customer) },
        orders_requested: [],
        data_request: { id },
      });
    expect((await send(app, SHOP, "customers/data_request", ask(first, 7001))).status).toBe(200);
    expect(await app.prisma.dataRequestExport.count({ where: { shopId, requestId: "7001" } })).toBe(0);
    const settings = await adminData<{ dataRequests: Array<{ requestId: string; id: string | null }> }>(
      "/app/settings",
      "routes/app.settings",
    );
    expect(settings.dataRequests).toEqual([expect.objectContaining({ requestId: "7001", id: null })]);

    expect((await send(app, SHOP, "customers/data_request", ask(second, 7002))).status).toBe(200);
    expect(
      (
        await send(
          app,
          SHOP,
          "customers/redact",
          JSON.stringify({ shop_domain: SHOP, customer: { id: Number(second) }, orders_to_redact: [] }),
        )
      ).status,
    ).toBe(200);
    expect(await completePrivacyRequests()).toBe(3);

    const exported = await app.prisma.dataRequestExport.findFirstOrThrow({ where: { shopId, requestId: "7001" } });
    expect((exported.data as { orders: unknown[] }).orders).toHaveLength(
      await app.prisma.order.count({ where: { shopId, customerShopifyId: first } }),
    );
    expect(await app.prisma.dataRequestExport.count({ where: { shopId, requestId: "7002" } })).toBe(0);
    const finished = await app.prisma.privacyRequest.findMany({
      where: { shopId, kind: "data-request" },
      orderBy: { id: "asc" },
    });
    expect(finished.map((row) => [row.outcome, row.customerShopifyId])).toEqual([
      ["done", null],
      ["superseded", null],
    ]);
  });
});

describe("shop/redact", () => {
  test("takes the shop out of reach at once; a reinstall meanwhile starts a new shop that the old one's deletion leaves alone", async () => {
    const oldId = await installTestShop(app, LEAVING);
    expect(
      (await send(app, LEAVING, "orders/create", orderBody({ id: "6900000001", customerId: "7900000001" }))).status,
    ).toBe(200);
    expect(
      (await send(app, LEAVING, "app/uninstalled", JSON.stringify({ id: 1, myshopify_domain: LEAVING }))).status,
    ).toBe(200);
    const redact = JSON.stringify({ shop_id: 954889, shop_domain: LEAVING });
    expect((await send(app, LEAVING, "shop/redact", redact, { webhookId: "redact-1" })).status).toBe(200);

    // The work is queued; the rows are still there, but nothing finds the shop by its domain any more.
    expect(await app.prisma.order.count({ where: { shopId: oldId } })).toBe(1);
    expect(await app.prisma.shop.count({ where: { domain: LEAVING } })).toBe(0);
    expect(await app.prisma.session.count({ where: { shop: LEAVING } })).toBe(0);
    const pending = await syncStatus(database().sql, LEAVING);
    expect(pending.shop).toMatchObject({ redacting: true, installed: false });
    expect(pending.privacy.pending).toEqual([expect.objectContaining({ kind: "shop-redact" })]);
    // Shopify's retry of the same request, and a later customer request for the shop: answered, nothing more to do.
    expect((await send(app, LEAVING, "shop/redact", redact, { webhookId: "redact-2" })).status).toBe(200);
    expect(
      (
        await send(
          app,
          LEAVING,
          "customers/redact",
          JSON.stringify({ shop_domain: LEAVING, customer: { id: 7900000001 } }),
        )
      ).status,
    ).toBe(200);
    expect(await app.prisma.privacyRequest.count({ where: { shopId: oldId } })).toBe(1);

    // The merchant installs again before the job has run: a new shop, with a new order.
    const newId = await installTestShop(app, LEAVING);
    expect(newId).not.toBe(oldId);
    expect(
      (await send(app, LEAVING, "orders/create", orderBody({ id: "6900000002", customerId: "7900000002" }))).status,
    ).toBe(200);

    expect(await completePrivacyRequests({ batchRows: 1 })).toBe(1);
    expect(await rowsMentioning([oldId])).toEqual([]);
    expect(await app.prisma.order.findMany({ where: { shopId: newId }, select: { shopifyId: true } })).toEqual([
      { shopifyId: "6900000002" },
    ]);
    expect(await app.prisma.session.count({ where: { shop: LEAVING } })).toBe(1);
    expect((await syncStatus(database().sql, LEAVING)).shop).toMatchObject({ redacting: false, installed: true });
  });
});
