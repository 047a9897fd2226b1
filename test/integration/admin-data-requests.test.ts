import { beforeAll, describe, expect, test } from "vitest";
import { database } from "~/db.server";
import { purgeExpiredRecords } from "~/retention/purge.server";
import {
  adminFormRequest,
  adminRequest,
  APP_URL,
  appUnderTest,
  installTestShop,
  singleFetchActionData,
  singleFetchData,
} from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { completePrivacyRequests, customerBody, orderBody, refundBody, send } from "../support/webhook-payloads";

// Issue 15, item 8: Settings › Privacy lists the customers' data requests; each export downloads as JSON and can be
// marked as handed over, through the real request handler with session tokens; the retention purge deletes exports
// 30 days after their hand-over, and 90 days after they were prepared in any case.

const SHOP = "data-requests.myshopify.com";
const OTHER = "data-requests-other.myshopify.com";
const CUSTOMER = "7300000001";
let app: AppUnderTest;
let shopId: string;

beforeAll(async () => {
  app = await appUnderTest();
  shopId = await installTestShop(app, SHOP);
  await installTestShop(app, OTHER);
  await send(app, SHOP, "customers/create", customerBody(CUSTOMER));
  await send(app, SHOP, "orders/create", orderBody({ id: "6300000001", customerId: CUSTOMER, subtotal: "42.00" }));
  await send(app, SHOP, "orders/create", orderBody({ id: "6300000002", customerId: CUSTOMER, subtotal: "18.00" }));
  await send(app, SHOP, "refunds/create", refundBody("6300000002", { id: "8300000002", lines: ["3.00"] }));
});

interface Row {
  id: string | null;
  requestId: string;
  customerId: string;
  customerAdminUrl: string;
  readyAt: string | null;
  handedOverAt: string | null;
  orders: number | null;
}

async function listed(shop = SHOP): Promise<Row[]> {
  const response = await app.handle(await adminRequest("/app/settings.data?_routes=routes%2Fapp.settings", shop));
  expect(response.status).toBe(200);
  return (await singleFetchData<{ dataRequests: Row[] }>(response, "routes/app.settings")).dataRequests;
}

const download = async (id: string, shop = SHOP) => app.handle(await adminRequest(`/app/data-requests/${id}`, shop));
const handOver = async (id: string, shop = SHOP) =>
  app.handle(await adminFormRequest(`/app/data-requests/${id}`, shop, {}));
const dataRequest = (id: number) =>
  JSON.stringify({
    shop_id: 1,
    shop_domain: SHOP,
    customer: { id: Number(CUSTOMER), email: "ann@example.com", phone: "555-0100" },
    orders_requested: [],
    data_request: { id },
  });

describe("Settings › Privacy: data requests", () => {
  test("a request is listed while it is prepared, then with its JSON to download", async () => {
    expect(await listed()).toEqual([]);
    expect((await send(app, SHOP, "customers/data_request", dataRequest(4242))).status).toBe(200);
    expect(await listed()).toEqual([
      expect.objectContaining({ id: null, requestId: "4242", customerId: CUSTOMER, readyAt: null }),
    ]);

    expect(await completePrivacyRequests()).toBe(1);
    const [row] = await listed();
    expect(row).toMatchObject({
      requestId: "4242",
      customerId: CUSTOMER,
      orders: 2,
      handedOverAt: null,
      customerAdminUrl: `https://admin.shopify.com/store/data-requests/customers/${CUSTOMER}`,
    });
    expect(row?.id).toMatch(/^\d+$/);

    const response = await download(row!.id!);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="cadence-data-request-4242.json"');
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const text = await response.text();
    const data = JSON.parse(text) as {
      shop: string;
      customer: { shopifyId: string };
      orders: Array<{ shopifyId: string; netMinor: string; refunds: unknown[] }>;
    };
    expect(data.shop).toBe(SHOP);
    expect(data.customer.shopifyId).toBe(CUSTOMER);
    expect(data.orders.map((order) => [order.shopifyId, order.netMinor, order.refunds.length])).toEqual([
      ["6300000001", "4200", 0],
      ["6300000002", "1500", 1],
    ]);
    expect(text).not.toMatch(/ann@example\.com|555-0100/);
  });

  test("marking it handed over is recorded once and shown; another shop can neither download nor mark it", async () => {
    const [row] = await listed();
    const id = row!.id!;
    expect((await download(id, OTHER)).status).toBe(404);
    expect((await handOver(id, OTHER)).status).toBe(404);
    expect((await app.prisma.dataRequestExport.findFirstOrThrow({ where: { shopId } })).handedOverAt).toBeNull();
    expect(await listed(OTHER)).toEqual([]);

    const first = await handOver(id);
    expect(first.status).toBe(200);
    const { data } = await singleFetchActionData<{ handedOverAt: string }>(first);
    expect(Date.parse(data!.handedOverAt)).toBeGreaterThan(Date.now() - 60_000);
    expect((await listed())[0]).toMatchObject({ id, handedOverAt: data!.handedOverAt });
    // A second click keeps the first hand-over's time.
    const again = await singleFetchActionData<{ handedOverAt: string }>(await handOver(id));
    expect(again.data?.handedOverAt).toBe(data!.handedOverAt);
  });

  test("bad export numbers get 400, unknown ones 404, and nothing is served without a session token", async () => {
    for (const bad of ["abc", "0", "-1", "12345678901234567890"]) {
      const response = await download(bad);
      expect(response.status, bad).toBe(400);
      expect(await response.text()).toMatch(/is not a data request export number/);
    }
    expect((await download("999999")).status).toBe(404);
    expect((await handOver("999999")).status).toBe(404);
    const anonymous = await app.handle(new Request(`${APP_URL}/app/data-requests/1`));
    expect(anonymous.status).not.toBe(200);
    expect(await anonymous.text()).not.toContain(CUSTOMER);
  });
});

describe("retention of data request exports", () => {
  test("deleted 30 days after their hand-over, and 90 days after they were prepared in any case", async () => {
    expect((await send(app, SHOP, "customers/data_request", dataRequest(4343))).status).toBe(200);
    expect(await completePrivacyRequests()).toBe(1);
    const requestIds = async () =>
      (await app.prisma.dataRequestExport.findMany({ where: { shopId }, orderBy: { id: "asc" } })).map(
        (row) => row.requestId,
      );
    expect(await requestIds()).toEqual(["4242", "4343"]);
    const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

    expect((await purgeExpiredRecords(database().sql, shopId, inDays(29))).dataRequestExports).toBe(0);
    // 4242 was handed over (above); 4343 never was.
    expect((await purgeExpiredRecords(database().sql, shopId, inDays(31))).dataRequestExports).toBe(1);
    expect(await requestIds()).toEqual(["4343"]);
    expect((await purgeExpiredRecords(database().sql, shopId, inDays(89))).dataRequestExports).toBe(0);
    expect((await purgeExpiredRecords(database().sql, shopId, inDays(91))).dataRequestExports).toBe(1);
    expect(await requestIds()).toEqual([]);
    expect(await listed()).toEqual([]);
  });
});
