import { beforeAll, describe, expect, test } from "vitest";
import { exportCustomers } from "~/exports/customers";
import { clearDirtyCustomers, listDirtyCustomers } from "~/recompute/dirty-customers.server";
import { appUnderTest, installTestShop } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { lineAmountsByType } from "../support/orders";
import { customerBody, orderBody, refundBody, send } from "../support/webhook-payloads";
import { database } from "~/db.server";

// Webhooks into facts: every order, refund and customer change counts exactly once, whatever the order of arrival.

const SHOP = "ingest-test.myshopify.com";
let app: AppUnderTest;
let shopId: string;

beforeAll(async () => {
  app = await appUnderTest();
  shopId = await installTestShop(app, SHOP);
});

const order = (shopifyId: string) =>
  app.prisma.order.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId, shopifyId } }, include: { lines: true } });
const refundsOf = (orderShopifyId: string) =>
  app.prisma.refund.findMany({ where: { shopId, orderShopifyId }, orderBy: { shopifyId: "asc" } });
const deliveries = (webhookIds: string[]) =>
  app.prisma.webhookDelivery.findMany({ where: { shopId, webhookId: { in: webhookIds } }, orderBy: { id: "asc" } });

describe("refunds and their orders, in any order of arrival", () => {
  test("a refund that arrives before its order is kept, and counts when the order arrives", async () => {
    const refund = await send(
      app,
      SHOP,
      "refunds/create",
      refundBody("6000000001", { id: "8000000001", lines: ["30.00"], amount: "33.00" }),
    );
    expect(refund.status).toBe(200);
    expect(await refundsOf("6000000001")).toMatchObject([
      { shopifyId: "8000000001", orderId: null, merchandiseMinor: 3000n, totalMinor: 3300n },
    ]);
    const ledger = await app.prisma.webhookDelivery.findFirstOrThrow({
      where: { shopId, topic: "refunds/create" },
      orderBy: { id: "desc" },
    });
    expect(ledger).toMatchObject({ outcome: "applied", detail: "order not synced yet: refund kept for it" });

    expect(
      (
        await send(
          app,
          SHOP,
          "orders/create",
          orderBody({ id: "6000000001", customerId: "7100000001", subtotal: "100.00" }),
        )
      ).status,
    ).toBe(200);
    const stored = await order("6000000001");
    expect(stored.netMinor).toBe(7000n);
    expect(stored.refundedMinor).toBe(3000n);
    expect((await refundsOf("6000000001"))[0]?.orderId).toBe(stored.id);
  });

  test("a refund after its order reduces the net once, however many times it is delivered or embedded", async () => {
    await send(
      app,
      SHOP,
      "orders/create",
      orderBody({ id: "6000000002", customerId: "7100000002", subtotal: "80.00" }),
    );
    const body = refundBody("6000000002", { id: "8000000002", lines: ["20.00"], amount: "20.00" });
    await send(app, SHOP, "refunds/create", body);
    await send(app, SHOP, "refunds/create", body); // a retry: another delivery ID
    const updated = orderBody({
      id: "6000000002",
      customerId: "7100000002",
      subtotal: "80.00",
      updatedAt: "2026-02-02T00:00:00Z",
      refunds: [{ id: "8000000002", lines: ["20.00"], amount: "20.00" }],
    });
    await send(app, SHOP, "orders/updated", updated);
    expect((await order("6000000002")).netMinor).toBe(6000n);
    expect(await refundsOf("6000000002")).toHaveLength(1);
  });

  test("an older order state carrying a new refund: the refund counts, the state is not overwritten", async () => {
    await send(
      app,
      SHOP,
      "orders/updated",
      orderBody({ id: "6000000003", customerId: "7100000003", subtotal: "50.00", updatedAt: "2026-03-01T00:00:00Z" }),
    );
    const stale = orderBody({
      id: "6000000003",
      customerId: "7100000003",
      subtotal: "99.00",
      updatedAt: "2026-02-01T00:00:00Z",
      refunds: [{ id: "8000000003", lines: ["10.00"] }],
    });
    await send(app, SHOP, "orders/updated", stale, { webhookId: "stale-with-refund" });
    const stored = await order("6000000003");
    expect(stored.subtotalMinor).toBe(5000n);
    expect(stored.netMinor).toBe(4000n);
    expect((await deliveries(["stale-with-refund"]))[0]).toMatchObject({
      outcome: "stale",
      detail: "a newer state is stored; 1 new refund(s) kept",
    });
  });

  test("a cancelled order counts zero and its refunds are still recorded", async () => {
    await send(
      app,
      SHOP,
      "orders/create",
      orderBody({ id: "6000000004", customerId: "7100000004", subtotal: "40.00" }),
    );
    await send(
      app,
      SHOP,
      "orders/cancelled",
      orderBody({
        id: "6000000004",
        customerId: "7100000004",
        subtotal: "40.00",
        updatedAt: "2026-01-06T00:00:00Z",
        cancelledAt: "2026-01-06T00:00:00Z",
        refunds: [{ id: "8000000004", lines: ["40.00"], amount: "40.00" }],
      }),
    );
    const stored = await order("6000000004");
    expect(stored.cancelledAt).not.toBeNull();
    expect(stored.netMinor).toBe(0n);
    expect(await refundsOf("6000000004")).toHaveLength(1);
  });

  test("an order and its refund arriving at the same moment are both counted", async () => {
    const results = await Promise.all([
      send(app, SHOP, "orders/create", orderBody({ id: "6000000005", customerId: "7100000005", subtotal: "60.00" })),
      send(app, SHOP, "refunds/create", refundBody("6000000005", { id: "8000000005", lines: ["15.00"] })),
      send(app, SHOP, "refunds/create", refundBody("6000000005", { id: "8000000006", lines: ["5.00"] })),
    ]);
    expect(results.map((result) => result.status)).toEqual([200, 200, 200]);
    expect((await order("6000000005")).netMinor).toBe(4000n);
  });
});

describe("exactly once", () => {
  test("another delivery of an already recorded event is a duplicate", async () => {
    const body = orderBody({ id: "6000000010", customerId: "7100000010" });
    await send(app, SHOP, "orders/create", body, { webhookId: "event-a-1", eventId: "event-a" });
    await send(app, SHOP, "orders/create", body, { webhookId: "event-a-2", eventId: "event-a" });
    expect((await deliveries(["event-a-1", "event-a-2"])).map((row) => row.outcome)).toEqual(["applied", "duplicate"]);
  });

  test("the same event on another topic is not a duplicate", async () => {
    const body = orderBody({ id: "6000000011", customerId: "7100000011" });
    await send(app, SHOP, "orders/create", body, { webhookId: "event-b-1", eventId: "event-b" });
    await send(app, SHOP, "orders/paid", body, { webhookId: "event-b-2", eventId: "event-b" });
    expect((await deliveries(["event-b-1", "event-b-2"])).map((row) => row.outcome)).toEqual(["applied", "applied"]);
  });

  test("an edited order's line items are the payload's", async () => {
    await send(
      app,
      SHOP,
      "orders/create",
      orderBody({
        id: "6000000012",
        lines: [
          { id: "90001", price: "10.00" },
          { id: "90002", price: "20.00" },
        ],
      }),
    );
    await send(
      app,
      SHOP,
      "orders/updated",
      orderBody({
        id: "6000000012",
        updatedAt: "2026-01-07T00:00:00Z",
        lines: [
          { id: "90002", price: "20.00", quantity: 2 },
          { id: "90003", price: "5.00" },
        ],
      }),
    );
    const lines = (await order("6000000012")).lines
      .map((line) => [line.shopifyId, line.quantity, line.amountMinor])
      .sort();
    expect(lines).toEqual([
      ["90002", 2, 4000n],
      ["90003", 1, 500n],
    ]);
    const stored = await order("6000000012");
    expect(stored.lineAmountsByType).toEqual(lineAmountsByType(stored.lines));
  });
});

describe("deleted stays deleted", () => {
  test("a late orders/updated or refund for a deleted order changes nothing", async () => {
    await send(app, SHOP, "orders/create", orderBody({ id: "6000000020", customerId: "7100000020" }));
    await send(app, SHOP, "orders/delete", JSON.stringify({ id: 6000000020 }));
    expect(await app.prisma.order.count({ where: { shopId, shopifyId: "6000000020" } })).toBe(0);
    const late = await send(
      app,
      SHOP,
      "orders/updated",
      orderBody({ id: "6000000020", customerId: "7100000020", updatedAt: "2026-06-01T00:00:00Z" }),
      { webhookId: "late-update" },
    );
    await send(app, SHOP, "refunds/create", refundBody("6000000020", { id: "8000000020", lines: ["1.00"] }), {
      webhookId: "late-refund",
    });
    expect(late.status).toBe(200);
    expect(await app.prisma.order.count({ where: { shopId, shopifyId: "6000000020" } })).toBe(0);
    expect(await refundsOf("6000000020")).toEqual([]);
    expect((await deliveries(["late-update", "late-refund"])).map((row) => row.outcome)).toEqual([
      "ignored",
      "ignored",
    ]);
  });

  test("a customer Shopify deleted is not brought back by a late update, and leaves the export", async () => {
    await send(app, SHOP, "customers/create", customerBody("7100000021", "2026-01-01T00:00:00Z"));
    await send(
      app,
      SHOP,
      "customers/delete",
      JSON.stringify({ id: 7100000021, admin_graphql_api_id: "gid://shopify/Customer/7100000021" }),
    );
    await send(app, SHOP, "customers/update", customerBody("7100000021", "2026-05-01T00:00:00Z"));
    expect(
      (await app.prisma.customer.findFirstOrThrow({ where: { shopId, shopifyId: "7100000021" } })).deletedAt,
    ).not.toBeNull();
    expect((await exportCustomers(app.prisma, SHOP)).map((row) => row.customer_id)).not.toContain("7100000021");
  });

  test("an older customers/update does not overwrite a newer one", async () => {
    await send(
      app,
      SHOP,
      "customers/update",
      customerBody("7100000022", "2026-02-01T00:00:00Z", "2025-11-01T00:00:00Z"),
    );
    await send(
      app,
      SHOP,
      "customers/update",
      customerBody("7100000022", "2026-01-01T00:00:00Z", "2025-10-01T00:00:00Z"),
    );
    const stored = await app.prisma.customer.findFirstOrThrow({ where: { shopId, shopifyId: "7100000022" } });
    expect(stored.shopifyCreatedAt?.toISOString()).toBe("2025-11-01T00:00:00.000Z");
    expect(stored.sourceUpdatedAt?.toISOString()).toBe("2026-02-01T00:00:00.000Z");
    // The payload's email marketing consent is not kept (docs/decisions/0009-no-email-marketing-consent.md).
    expect(stored).not.toHaveProperty("emailMarketingConsent");
  });
});

describe("the profile-refresh outbox", () => {
  test("an order marks its customer dirty; clearing is compare-and-clear", async () => {
    const sql = database().sql;
    await send(app, SHOP, "orders/create", orderBody({ id: "6000000030", customerId: "7100000030" }));
    const listed = (await listDirtyCustomers(sql, shopId, 10_000)).filter((row) => row.shopifyId === "7100000030");
    expect(listed).toHaveLength(1);
    // A refund marks the customer again after the listing: clearing what was listed must not lose that mark.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await send(app, SHOP, "refunds/create", refundBody("6000000030", { id: "8000000030", lines: ["1.00"] }));
    expect(await clearDirtyCustomers(sql, shopId, listed)).toBe(0);
    const again = (await listDirtyCustomers(sql, shopId, 10_000)).filter((row) => row.shopifyId === "7100000030");
    expect(await clearDirtyCustomers(sql, shopId, again)).toBe(1);
    expect((await listDirtyCustomers(sql, shopId, 10_000)).map((row) => row.shopifyId)).not.toContain("7100000030");
  });

  test("an order moved to another customer marks both; a stale delivery marks nobody", async () => {
    const sql = database().sql;
    await send(app, SHOP, "orders/create", orderBody({ id: "6000000031", customerId: "7100000031" }));
    await clearDirtyCustomers(sql, shopId, await listDirtyCustomers(sql, shopId, 10_000));
    await send(
      app,
      SHOP,
      "orders/updated",
      orderBody({ id: "6000000031", customerId: "7100000032", updatedAt: "2026-01-08T00:00:00Z" }),
    );
    expect((await listDirtyCustomers(sql, shopId)).map((row) => row.shopifyId).sort()).toEqual([
      "7100000031",
      "7100000032",
    ]);
    await clearDirtyCustomers(sql, shopId, await listDirtyCustomers(sql, shopId));
    await send(
      app,
      SHOP,
      "orders/updated",
      orderBody({ id: "6000000031", customerId: "7100000031", updatedAt: "2026-01-07T00:00:00Z" }),
    );
    expect(await listDirtyCustomers(sql, shopId)).toEqual([]);
  });

  test("deleting an order and deleting a customer mark the customer", async () => {
    const sql = database().sql;
    await send(app, SHOP, "orders/create", orderBody({ id: "6000000032", customerId: "7100000033" }));
    await clearDirtyCustomers(sql, shopId, await listDirtyCustomers(sql, shopId, 10_000));
    await send(app, SHOP, "orders/delete", JSON.stringify({ id: 6000000032 }));
    expect((await listDirtyCustomers(sql, shopId)).map((row) => row.shopifyId)).toEqual(["7100000033"]);
    await clearDirtyCustomers(sql, shopId, await listDirtyCustomers(sql, shopId));
    await send(
      app,
      SHOP,
      "customers/delete",
      JSON.stringify({ id: 7100000033, admin_graphql_api_id: "gid://shopify/Customer/7100000033" }),
    );
    expect((await listDirtyCustomers(sql, shopId)).map((row) => row.shopifyId)).toEqual(["7100000033"]);
  });
});

describe("facts", () => {
  test("test orders and guest orders are kept, but count for no customer", async () => {
    await send(
      app,
      SHOP,
      "orders/create",
      orderBody({ id: "6000000040", customerId: "7100000040", subtotal: "10.00" }),
    );
    await send(
      app,
      SHOP,
      "orders/create",
      orderBody({ id: "6000000041", customerId: "7100000040", subtotal: "500.00", test: true }),
    );
    await send(app, SHOP, "orders/create", orderBody({ id: "6000000042", customerId: null, subtotal: "25.00" }));
    const row = (await exportCustomers(app.prisma, SHOP)).find((entry) => entry.customer_id === "7100000040");
    expect(row).toMatchObject({ orders_count: 1, net_spend: "10.00" });
    expect(await order("6000000042")).toMatchObject({ customerShopifyId: null, netMinor: 2500n });
  });

  test("the total basis counts shipping and tax, less money refunded", async () => {
    const other = "total-basis.myshopify.com";
    await installTestShop(app, other);
    await app.prisma.shop.update({ where: { domain: other }, data: { netRevenueBasis: "total" } });
    const otherId = (await app.prisma.shop.findUniqueOrThrow({ where: { domain: other } })).id;
    await send(app, other, "orders/create", orderBody({ id: "6000000050", subtotal: "100.00", total: "125.00" }));
    await send(
      app,
      other,
      "refunds/create",
      refundBody("6000000050", { id: "8000000050", lines: ["100.00"], amount: "110.00" }),
    );
    const stored = await app.prisma.order.findUniqueOrThrow({
      where: { shopId_shopifyId: { shopId: otherId, shopifyId: "6000000050" } },
    });
    expect(stored).toMatchObject({ netMinor: 1500n, refundedMinor: 11000n });
  });

  test("no name, email, phone or address from a payload is stored anywhere", async () => {
    await send(app, SHOP, "customers/create", customerBody("7100000060"));
    await send(app, SHOP, "orders/create", orderBody({ id: "6000000060", customerId: "7100000060" }));
    const { rows } = await database().sql.query<{ dump: string }>(
      `SELECT concat_ws('|', (SELECT string_agg(t::text, '|') FROM "Customer" t), (SELECT string_agg(t::text, '|') FROM "Order" t),
         (SELECT string_agg(t::text, '|') FROM "OrderLine" t), (SELECT string_agg(t::text, '|') FROM "Refund" t),
         (SELECT string_agg(t::text, '|') FROM "WebhookDelivery" t)) AS dump`,
    );
    const dump = rows[0]?.dump ?? "";
    expect(dump).toContain("7100000060");
    for (const personal of [
      "bob@biller.com",
      "Biller",
      "O'Connor",
      "555-555-5555",
      "john@example.com",
      "Smith",
      "123 Amoebobacterium St",
    ]) {
      expect(dump).not.toContain(personal);
    }
  });
});
