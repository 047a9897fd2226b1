import { beforeAll, describe, expect, test } from "vitest";
import { database } from "~/db.server";
import { exportCustomers } from "~/exports/customers";
import { runFullPass } from "~/recompute/full-pass.server";
import { orderRow } from "../support/orders";
import { appUnderTest, installTestShop } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { completePrivacyRequests, customerBody, orderBody, refundBody, send } from "../support/webhook-payloads";

// Shopify's privacy webhooks. Redaction is proved by searching every table for the identifiers afterwards: no row
// may remain that names the customer or their orders (or, for shop/redact, the shop). Each webhook is answered once
// its request is recorded; completePrivacyRequests() then runs the privacy job's work (privacy-requests.test.ts
// covers what happens in between).

const SHOP = "privacy-test.myshopify.com";
const OTHER_SHOP = "privacy-other.myshopify.com";
let app: AppUnderTest;
let shopId: string;

beforeAll(async () => {
  app = await appUnderTest();
  await installTestShop(app, SHOP);
  await installTestShop(app, OTHER_SHOP);
  shopId = (await app.prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).id;
});

/** Every row of every application table, as text (the migration bookkeeping aside). */
async function everyRow(): Promise<string[]> {
  const sql = database().sql;
  const { rows: tables } = await sql.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`,
  );
  const dump: string[] = [];
  for (const { name } of tables) {
    const { rows } = await sql.query<{ row: string }>(`SELECT t::text AS row FROM "${name}" t`);
    dump.push(...rows.map((row) => `${name}: ${row.row}`));
  }
  return dump;
}

async function rowsOfShop(id: string): Promise<string[]> {
  const sql = database().sql;
  const { rows: tables } = await sql.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'shopId'`,
  );
  const found: string[] = [];
  for (const { name } of tables) {
    const { rows } = await sql.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM "${name}" WHERE "shopId" = $1`,
      [id],
    );
    if ((rows[0]?.count ?? 0) > 0) found.push(`${name}: ${rows[0]?.count}`);
  }
  return found;
}

describe("customers/redact", () => {
  test("no row that identifies the customer or their orders remains; other customers are untouched", async () => {
    const customer = "7200000001";
    await send(app, SHOP, "customers/create", customerBody(customer));
    await send(app, SHOP, "orders/create", orderBody({ id: "6200000001", customerId: customer, subtotal: "30.00" }));
    await send(app, SHOP, "orders/create", orderBody({ id: "6200000002", customerId: customer, subtotal: "20.00" }));
    await send(app, SHOP, "refunds/create", refundBody("6200000002", { id: "8200000002", lines: ["5.00"] }));
    // A guest checkout by the same person, known to Shopify only through orders_to_redact.
    await send(app, SHOP, "orders/create", orderBody({ id: "6200000003", customerId: null, subtotal: "15.00" }));
    // A refund still waiting for an order that never arrived, and a deleted order's tombstone.
    await send(app, SHOP, "refunds/create", refundBody("6200000004", { id: "8200000004", lines: ["1.00"] }));
    await send(app, SHOP, "orders/create", orderBody({ id: "6200000005", customerId: customer }));
    await send(app, SHOP, "orders/delete", JSON.stringify({ id: 6200000005 }));
    await send(
      app,
      SHOP,
      "customers/data_request",
      JSON.stringify({
        shop_domain: SHOP,
        customer: { id: Number(customer) },
        orders_requested: [6200000003],
        data_request: { id: 41 },
      }),
    );
    expect(await completePrivacyRequests()).toBe(1);
    expect(await app.prisma.dataRequestExport.count({ where: { shopId, customerShopifyId: customer } })).toBe(1);
    // Someone else's order, which must survive.
    await send(
      app,
      SHOP,
      "orders/create",
      orderBody({ id: "6200000010", customerId: "7200000010", subtotal: "99.00" }),
    );
    const before = await exportCustomers(app.prisma, SHOP);

    const redact = {
      shop_id: 1,
      shop_domain: SHOP,
      customer: { id: Number(customer), email: "x@example.com" },
      orders_to_redact: [6200000001, 6200000003, 6200000004, 6200000005],
    };
    expect((await send(app, SHOP, "customers/redact", JSON.stringify(redact))).status).toBe(200);
    // Small batches: the job's steps each take several.
    expect(await completePrivacyRequests({ batchRows: 1 })).toBe(1);

    const identifiers = [
      customer,
      "6200000001",
      "6200000002",
      "6200000003",
      "6200000004",
      "6200000005",
      "8200000002",
      "8200000004",
    ];
    const remaining = (await everyRow()).filter((row) => identifiers.some((id) => row.includes(id)));
    // The ledger records that a redaction happened (topic and time), never whom it was for.
    expect(remaining.filter((row) => !row.startsWith("WebhookDelivery:"))).toEqual([]);
    expect(
      remaining.filter((row) => row.startsWith("WebhookDelivery:") && identifiers.some((id) => row.includes(id))),
    ).toEqual([]);

    const after = await exportCustomers(app.prisma, SHOP);
    expect(after.map((row) => row.customer_id)).not.toContain(customer);
    expect(after.find((row) => row.customer_id === "7200000010")).toEqual(
      before.find((row) => row.customer_id === "7200000010"),
    );
  });
});

describe("customers/data_request", () => {
  test("everything stored about the customer is assembled as JSON for the merchant, without personal data", async () => {
    const customer = "7200000020";
    await send(app, SHOP, "customers/create", customerBody(customer));
    await send(
      app,
      SHOP,
      "orders/create",
      orderBody({
        id: "6200000020",
        customerId: customer,
        subtotal: "42.00",
        lines: [{ id: "92001", price: "42.00", productId: "555" }],
      }),
    );
    await send(
      app,
      SHOP,
      "refunds/create",
      refundBody("6200000020", { id: "8200000020", lines: ["2.00"], amount: "2.00" }),
    );
    const request = {
      shop_domain: SHOP,
      customer: { id: Number(customer), email: "bob@biller.com", phone: "555-625-1199" },
      orders_requested: [6200000020],
      data_request: { id: 9999 },
    };
    expect((await send(app, SHOP, "customers/data_request", JSON.stringify(request))).status).toBe(200);
    expect(await completePrivacyRequests()).toBe(1);

    const stored = await app.prisma.dataRequestExport.findUniqueOrThrow({
      where: { shopId_requestId: { shopId, requestId: "9999" } },
    });
    const data = stored.data as { customer: { shopifyId: string }; orders: Array<Record<string, unknown>> };
    expect(data.customer).toMatchObject({ shopifyId: customer, optedOut: false });
    expect(data.customer).not.toHaveProperty("emailMarketingConsent");
    expect(data.orders).toEqual([
      expect.objectContaining({
        shopifyId: "6200000020",
        netMinor: "4000",
        lines: [expect.objectContaining({ productId: "555", quantity: 1, amountMinor: "4200" })],
        refunds: [expect.objectContaining({ refundId: "8200000020", merchandiseMinor: "200", totalMinor: "200" })],
      }),
    ]);
    expect(JSON.stringify(data)).not.toMatch(/bob@biller\.com|555-625-1199|Biller/);
  });
});

describe("app/uninstalled and shop/redact", () => {
  test("uninstall deletes the sessions and stops the shop's sync; compliance topics are still honoured", async () => {
    await send(app, OTHER_SHOP, "orders/create", orderBody({ id: "6200000030", customerId: "7200000030" }));
    const otherId = (await app.prisma.shop.findUniqueOrThrow({ where: { domain: OTHER_SHOP } })).id;
    await app.prisma.syncState.create({ data: { shopId: otherId, backfillState: "importing" } });
    await app.prisma.bulkImport.create({
      data: { shopId: otherId, operationId: "gid://shopify/BulkOperation/1", kind: "orders", status: "importing" },
    });

    expect((await send(app, OTHER_SHOP, "app/uninstalled", JSON.stringify({ id: 1, domain: OTHER_SHOP }))).status).toBe(
      200,
    );
    expect(await app.prisma.session.count({ where: { shop: OTHER_SHOP } })).toBe(0);
    expect((await app.prisma.shop.findUniqueOrThrow({ where: { domain: OTHER_SHOP } })).uninstalledAt).not.toBeNull();
    expect((await app.prisma.syncState.findUniqueOrThrow({ where: { shopId: otherId } })).backfillState).toBe(
      "stopped",
    );
    expect((await app.prisma.bulkImport.findFirstOrThrow({ where: { shopId: otherId } })).status).toBe("stopped");

    // Orders after uninstall are dropped; a redaction request is still carried out.
    expect(
      (await send(app, OTHER_SHOP, "orders/create", orderBody({ id: "6200000031", customerId: "7200000031" }))).status,
    ).toBe(200);
    expect(await app.prisma.order.count({ where: { shopId: otherId, shopifyId: "6200000031" } })).toBe(0);
    await send(
      app,
      OTHER_SHOP,
      "customers/redact",
      JSON.stringify({ shop_domain: OTHER_SHOP, customer: { id: 7200000030 }, orders_to_redact: [6200000030] }),
    );
    expect(await completePrivacyRequests()).toBe(1);
    expect(await app.prisma.order.count({ where: { shopId: otherId } })).toBe(0);
  });

  test("shop/redact leaves no row of the shop in any table, and another shop's rows alone", async () => {
    const otherId = (await app.prisma.shop.findUniqueOrThrow({ where: { domain: OTHER_SHOP } })).id;
    await app.prisma.dataRequestExport.create({
      data: { shopId: otherId, requestId: "r1", customerShopifyId: "1", data: {} },
    });
    // Segmentation rows too: the tables a full pass fills have no foreign key to cascade from (schema.prisma).
    await app.prisma.customer.create({ data: { shopId: otherId, shopifyId: "7200000040" } });
    await app.prisma.order.create({ data: orderRow(otherId, "7200000040", new Date("2026-01-10T10:00:00Z"), 4000n) });
    expect((await runFullPass(database(), otherId, {})).status).toBe("done");
    const theirs = await rowsOfShop(otherId);
    for (const table of [
      "CustomerProfile",
      "CustomerListing",
      "LoyaltyStatus",
      "SegmentMembership",
      "SegmentTransition",
      "TierChange",
    ]) {
      expect(
        theirs.some((row) => row.startsWith(`${table}:`)),
        table,
      ).toBe(true);
    }
    const mineBefore = await rowsOfShop(shopId);
    expect(mineBefore.length).toBeGreaterThan(3);

    expect(
      (await send(app, OTHER_SHOP, "shop/redact", JSON.stringify({ shop_id: 954889, shop_domain: OTHER_SHOP }))).status,
    ).toBe(200);
    expect(await completePrivacyRequests({ batchRows: 2 })).toBe(1);
    expect(await rowsOfShop(otherId)).toEqual([]);
    expect(await app.prisma.shop.count({ where: { domain: OTHER_SHOP } })).toBe(0);
    expect(await app.prisma.session.count({ where: { shop: OTHER_SHOP } })).toBe(0);
    expect((await everyRow()).filter((row) => row.includes(otherId) || row.includes(OTHER_SHOP))).toEqual([]);
    expect(await rowsOfShop(shopId)).toEqual(mineBefore);

    // A second shop/redact (Shopify retries) finds nothing and is still a 200.
    expect(
      (await send(app, OTHER_SHOP, "shop/redact", JSON.stringify({ shop_id: 954889, shop_domain: OTHER_SHOP }))).status,
    ).toBe(200);
  });
});
