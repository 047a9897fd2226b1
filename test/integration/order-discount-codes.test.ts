import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { syncJobs } from "~/jobs/sync-jobs";
import { bulkOrdersQuery } from "~/shopify-admin/operations/bulk-queries";
import { bulkOrderLines, reconcileOrderNode } from "../support/admin-fixtures";
import { appUnderTest, installTestShop } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { syncHarness } from "../support/sync-harness";
import type { SyncHarness } from "../support/sync-harness";
import { completePrivacyRequests, orderBody, send } from "../support/webhook-payloads";

// The discount codes an order redeemed are kept as order facts (codes only) from every source: webhooks (REST
// `discount_codes[].code`), the bulk backfill and reconciliation (GraphQL `Order.discountCodes`). They are what the
// offer report counts as redemptions of an offer's code; customers/data_request hands them over; customers/redact
// deletes them with the order.

const SHOP = "discount-codes.myshopify.com";
let app: AppUnderTest;
let shopId: string;
let harness: SyncHarness;

const codesOf = async (orderId: string) =>
  (await app.prisma.order.findFirstOrThrow({ where: { shopId, shopifyId: orderId } })).discountCodes;

beforeAll(async () => {
  app = await appUnderTest();
  shopId = await installTestShop(app, SHOP);
  harness = syncHarness(SHOP, {
    ShopCounts: () => ({
      ordersCount: { count: 1, precision: "EXACT" },
      customersCount: { count: 0, precision: "EXACT" },
    }),
    OrdersUpdatedSince: () => ({
      orders: {
        nodes: [
          reconcileOrderNode({
            id: "5600000003",
            customerId: "7100000001",
            updatedAt: "2026-02-20T10:00:00Z",
            discountCodes: ["RECONCILED5", "reconciled5"],
          }),
        ],
        pageInfo: { hasNextPage: false, endCursor: null },
      },
    }),
    CustomersUpdatedSince: () => ({ customers: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } }),
  });
});
afterAll(() => harness.mock.stop());

describe("order discount codes", () => {
  test("a webhook's discount_codes are stored as codes, each once; a newer state replaces them, an older one does not", async () => {
    const order = { id: "5600000001", customerId: "7100000001", updatedAt: "2026-02-01T10:00:00Z" };
    expect(
      (
        await send(
          app,
          SHOP,
          "orders/create",
          orderBody({ ...order, discountCodes: ["GOLD15", " gold15 ", "FREESHIP"] }),
        )
      ).status,
    ).toBe(200);
    expect(await codesOf(order.id)).toEqual(["GOLD15", "FREESHIP"]);
    // Shopify's own sample carries an empty list: nothing is stored.
    expect(
      (await send(app, SHOP, "orders/create", orderBody({ id: "5600000009", customerId: "7100000002" }))).status,
    ).toBe(200);
    expect(await codesOf("5600000009")).toEqual([]);

    await send(
      app,
      SHOP,
      "orders/updated",
      orderBody({ ...order, updatedAt: "2026-02-02T10:00:00Z", discountCodes: ["GOLD15"] }),
    );
    expect(await codesOf(order.id)).toEqual(["GOLD15"]);
    await send(
      app,
      SHOP,
      "orders/updated",
      orderBody({ ...order, updatedAt: "2026-01-30T10:00:00Z", discountCodes: ["STALE"] }),
    );
    expect(await codesOf(order.id)).toEqual(["GOLD15"]);
  });

  test("a payload whose discount_codes are not a list of codes is refused with 400 and nothing is stored", async () => {
    const body = JSON.parse(orderBody({ id: "5600000008" }));
    body.discount_codes = [{ amount: "10.00" }];
    const answer = await send(app, SHOP, "orders/create", JSON.stringify(body));
    expect(answer.status).toBe(400);
    expect(await app.prisma.order.count({ where: { shopId, shopifyId: "5600000008" } })).toBe(0);
  });

  test("the backfill's bulk file carries Order.discountCodes into the same column", async () => {
    await syncJobs.backfillStart(harness.deps, { shopId });
    const operation = [...harness.mock.bulkOperations.values()].find(
      (candidate) => candidate.query === bulkOrdersQuery(),
    );
    expect(operation?.query).toContain("discountCodes");
    const lines = bulkOrderLines({ id: "5600000002", customerId: "7100000001", discountCodes: ["BULK10"] });
    harness.mock.completeBulk(operation!.id, () => [lines.order, ...lines.lineItems], { objects: 2, roots: 1 });
    await syncJobs.bulkImport(harness.deps, { shopId, operationId: operation!.id });
    expect(await codesOf("5600000002")).toEqual(["BULK10"]);
  });

  test("reconciliation stores the codes of the orders webhooks missed", async () => {
    await app.prisma.syncState.update({
      where: { shopId },
      data: {
        backfillState: "completed",
        ordersReconciledTo: new Date("2026-02-19T00:00:00Z"),
        customersReconciledTo: new Date("2026-02-19T00:00:00Z"),
      },
    });
    await syncJobs.reconcileShop(harness.deps, { shopId });
    expect(harness.mock.callsOf("OrdersUpdatedSince")).toHaveLength(1);
    expect(await codesOf("5600000003")).toEqual(["RECONCILED5"]);
  });

  test("customers/data_request includes each order's codes; customers/redact leaves none", async () => {
    const request = {
      shop_domain: SHOP,
      customer: { id: 7100000001 },
      orders_requested: [],
      data_request: { id: 5601 },
    };
    expect((await send(app, SHOP, "customers/data_request", JSON.stringify(request))).status).toBe(200);
    expect(await completePrivacyRequests()).toBe(1);
    const exported = await app.prisma.dataRequestExport.findUniqueOrThrow({
      where: { shopId_requestId: { shopId, requestId: "5601" } },
    });
    const orders = (exported.data as { orders: Array<{ shopifyId: string; discountCodes: string[] }> }).orders;
    expect(Object.fromEntries(orders.map((order) => [order.shopifyId, order.discountCodes]))).toEqual({
      "5600000001": ["GOLD15"],
      "5600000002": ["BULK10"],
      "5600000003": ["RECONCILED5"],
    });

    const redact = { shop_id: 1, shop_domain: SHOP, customer: { id: 7100000001 }, orders_to_redact: [] };
    expect((await send(app, SHOP, "customers/redact", JSON.stringify(redact))).status).toBe(200);
    expect(await completePrivacyRequests()).toBe(1);
    // The codes live on the customer's orders, and those are gone.
    expect(await app.prisma.order.findMany({ where: { shopId, customerShopifyId: "7100000001" } })).toEqual([]);
  });
});
