import { beforeAll, describe, expect, test } from "vitest";
import { exportCustomers, UnknownShopError } from "~/exports/customers";
import { dayFromIsoDate } from "~/profiles/days";
import { runFullPass } from "~/recompute/full-pass.server";
import { orderBody } from "../support/webhook-payloads";
import type { OrderSpec } from "../support/webhook-payloads";
import { appUnderTest, installTestShop, webhookRequest } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";

// What `npm run cadence -- export customers` prints, from orders that arrived as signed webhooks.

const SHOP = "export-test.myshopify.com";
let app: AppUnderTest;

// A live order of the given customer (null: a guest), amount and date.
const order = (id: string, customerId: string | null, amount: string, at: string, extra: Partial<OrderSpec> = {}) =>
  orderBody({ id, customerId, subtotal: amount, createdAt: at, ...extra });

beforeAll(async () => {
  app = await appUnderTest();
  await installTestShop(app, SHOP, "USD");
  const deliveries = [
    order("9100", "18446744073709551557", "10.00", "2026-01-05T10:00:00Z"),
    order("9101", "18446744073709551557", "25.50", "2026-03-01T10:00:00Z"),
    order("9102", "501", "99.99", "2026-02-01T10:00:00Z"),
    order("9103", "501", "500.00", "2026-02-02T10:00:00Z", { test: true }),
    order("9104", "501", "70.00", "2026-02-03T10:00:00Z", { cancelledAt: "2026-02-04T10:00:00Z" }),
    order("9105", null, "42.00", "2026-02-05T10:00:00Z"),
  ];
  for (const body of deliveries) {
    expect((await app.handle(webhookRequest({ shop: SHOP, topic: "orders/create", body }))).status).toBe(200);
  }
});

describe("export customers", () => {
  test("one row per customer, by exact Shopify ID, counting only real purchases", async () => {
    const rows = await exportCustomers(app.prisma, SHOP);
    const byId = new Map(rows.map((row) => [row.customer_id, row]));
    expect(byId.get("18446744073709551557")).toMatchObject({
      customer_id: "18446744073709551557",
      orders_count: 2,
      net_spend: "35.50",
      first_order_at: "2026-01-05T10:00:00.000Z",
      last_order_at: "2026-03-01T10:00:00.000Z",
    });
    // Labels come from the segmentation pass; before the first one they are empty, not invented.
    expect(byId.get("18446744073709551557")).toMatchObject({
      tier: null,
      lifecycle: null,
      rfm_group: null,
      segments: null,
    });
    // The test order and the cancelled order are not purchases.
    expect(byId.get("501")).toMatchObject({ orders_count: 1, net_spend: "99.99" });
    expect(rows).toHaveLength(2);
  });

  test("after a full pass, every row carries its labels and the reasons behind them", async () => {
    const shop = await app.prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    const pass = await runFullPass(app.database, shop.id, { asOf: dayFromIsoDate("2026-03-10") });
    expect(pass.status).toBe("done");
    const rows = await exportCustomers(app.prisma, SHOP);
    expect(rows).toHaveLength(2);
    const repeat = rows.find((row) => row.customer_id === "18446744073709551557");
    expect(repeat).toMatchObject({ x: 1, t_x: 55, T: 64, lifecycle: "active", confidence: "low" });
    for (const row of rows) {
      expect(row.tier, String(row.customer_id)).toEqual(expect.any(String));
      expect(row.rfm_group, String(row.customer_id)).toEqual(expect.any(String));
      expect(String(row.explanations)).toContain(String(row.tier));
    }
  });

  test("an unknown shop is an error, not an empty export", async () => {
    await expect(exportCustomers(app.prisma, "nobody.myshopify.com")).rejects.toBeInstanceOf(UnknownShopError);
  });
});
