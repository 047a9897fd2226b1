import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createAdminClient } from "~/shopify-admin/client";
import type { AdminClient } from "~/shopify-admin/client";
import { createCostBuckets } from "~/shopify-admin/cost-bucket";
import { AdminApiError, assertNoUserErrors } from "~/shopify-admin/errors";
import { BULK_OPERATION_RUN_QUERY } from "~/shopify-admin/operations/bulk-operation";
import { SHOP_COUNTS } from "~/shopify-admin/operations/counts";
import { CUSTOMERS_UPDATED_SINCE, customersUpdatedSince } from "~/shopify-admin/operations/customers";
import { SHOP_INFO } from "~/shopify-admin/operations/shop";
import { createLogger } from "~/logging/logger";
import { AdminApiMock } from "../../support/shopify-admin-mock";

const SHOP = "client-test.myshopify.com";
const TOKEN = "shpat_client_test_secret_token";

let clock: number;
let sleeps: number[];
let logLines: string[];
let mock: AdminApiMock;

function customersPage(count: number, after: unknown) {
  const offset = typeof after === "string" ? Number(after) : 0;
  const nodes = Array.from({ length: Math.min(count, 600 - offset) }, (_, index) => ({
    id: `gid://shopify/Customer/${offset + index + 1}`,
    createdAt: "2026-01-01T00:00:00Z",
    updatedAt: "2026-01-02T00:00:00Z",
  }));
  const end = offset + nodes.length;
  return { customers: { nodes, pageInfo: { hasNextPage: end < 600, endCursor: String(end) } } };
}

function client(options: { token?: string; maxAttempts?: number } = {}): AdminClient {
  return createAdminClient({
    shop: SHOP,
    accessToken: options.token ?? TOKEN,
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    random: () => 0.5,
    buckets: createCostBuckets(),
    logger: createLogger("debug", (line) => logLines.push(line)),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  });
}

beforeEach(() => {
  clock = 1_000_000;
  sleeps = [];
  logLines = [];
  mock = new AdminApiMock({
    shop: SHOP,
    accessToken: TOKEN,
    // Half a Standard shop's bucket, so three pages of customers (252 points each) run it dry.
    bucket: { maximumAvailable: 500, restoreRate: 50 },
    now: () => clock,
    resolvers: {
      ShopInfo: () => ({
        shop: { id: "gid://shopify/Shop/1", currencyCode: "GBP", ianaTimezone: "Europe/London", myshopifyDomain: SHOP },
      }),
      ShopCounts: () => ({
        ordersCount: { count: 12, precision: "EXACT" },
        customersCount: { count: 3, precision: "EXACT" },
      }),
      CustomersUpdatedSince: (variables) => customersPage(Number(variables.first), variables.after),
    },
  }).start();
});

afterEach(() => {
  mock.stop();
  expect(mock.invalidDocuments).toEqual([]);
});

describe("requests", () => {
  test("returns the data and sends the variables, with the access token in Shopify's header", async () => {
    const data = await client().request(SHOP_INFO);
    expect(data.shop.currencyCode).toBe("GBP");
    expect(mock.calls).toEqual([{ operationName: "ShopInfo", variables: {}, answer: "data" }]);
  });

  test("pages through a connection with its cursor", async () => {
    const ids: string[] = [];
    for await (const customer of customersUpdatedSince(client(), "2026-01-01T00:00:00Z")) ids.push(customer.id);
    expect(ids).toHaveLength(600);
    expect(new Set(ids).size).toBe(600);
    expect(mock.callsOf("CustomersUpdatedSince").map((call) => call.variables.after ?? null)).toEqual([
      null,
      "250",
      "500",
    ]);
    expect(mock.callsOf("CustomersUpdatedSince")[0]?.variables.query).toBe("updated_at:>'2026-01-01T00:00:00Z'");
  });
});

describe("cost-based throttling", () => {
  test("waits for the bucket to refill instead of being throttled", async () => {
    const admin = client();
    // Each page requests 2 + 250 × 1 = 252 points; the bucket holds 500 and refills 50 per second.
    for await (const customer of customersUpdatedSince(admin, "2026-01-01T00:00:00Z")) void customer;
    expect(mock.calls.map((call) => call.answer)).toEqual(["data", "data", "data"]);
    // After the first page 248 points are left: the second waits for 4 more (80 ms), the third for all 252 (5.04 s).
    expect(sleeps.length).toBeGreaterThanOrEqual(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(80);
    expect(sleeps[1]).toBeGreaterThanOrEqual(5040);
    expect(admin.throttleStatus()).toMatchObject({ maximumAvailable: 500, restoreRate: 50 });
  });

  test("a THROTTLED answer is retried once the bucket holds the requested cost", async () => {
    mock.drainBucket();
    const data = await client().request(CUSTOMERS_UPDATED_SINCE, { first: 250, query: "updated_at:>'2026-01-01'" });
    expect(data.customers.nodes).toHaveLength(250);
    expect(mock.calls.map((call) => call.answer)).toEqual(["throttled", "data"]);
    // 252 points at 50 per second: the wait covers the whole requested cost.
    expect(Math.max(...sleeps)).toBeGreaterThanOrEqual(5040);
  });

  test("HTTP 429 is retried after Retry-After", async () => {
    mock.failNext("ShopInfo", { status: 429, retryAfter: "2.0" });
    await client().request(SHOP_INFO);
    expect(mock.calls.map((call) => call.answer)).toEqual(["http-429", "data"]);
    expect(sleeps.some((ms) => ms >= 2000)).toBe(true);
  });

  test("still throttled after every attempt: a 'throttled' error that a job can retry later", async () => {
    for (let i = 0; i < 3; i += 1)
      mock.failNext("ShopInfo", { graphQLError: { message: "Throttled", code: "THROTTLED" } });
    const error = await client({ maxAttempts: 3 })
      .request(SHOP_INFO)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AdminApiError);
    expect(error).toMatchObject({ kind: "throttled", attempts: 3, retryLater: true });
  });

  test("a query over Shopify's single-query ceiling is refused, not retried", async () => {
    const error = await client()
      .request(CUSTOMERS_UPDATED_SINCE, { first: 1000, query: "x" })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: "graphql", attempts: 1 });
    expect((error as Error).message).toContain("exceeds the single query max cost");
  });
});

describe("retries", () => {
  test("a query is retried after a 5xx and after a dropped connection", async () => {
    mock.failNext("ShopCounts", { status: 502 }).failNext("ShopCounts", { networkError: true });
    const data = await client().request(SHOP_COUNTS);
    expect(data.ordersCount?.count).toBe(12);
    expect(mock.calls.map((call) => call.answer)).toEqual(["http-502", "network-error", "data"]);
    // Exponential back-off with jitter: the second wait is longer than the first.
    expect(sleeps[1]).toBeGreaterThan(sleeps[0]!);
  });

  test("a mutation is not retried after a 5xx: Shopify may have run it", async () => {
    mock.failNext("BulkOperationRunQuery", { status: 500 });
    const error = await client()
      .request(BULK_OPERATION_RUN_QUERY, { query: "{ shop { id } }" })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: "server", status: 500, attempts: 1, retryLater: true });
    expect(mock.callsOf("BulkOperationRunQuery")).toHaveLength(1);
  });

  test("a mutation is retried after THROTTLED: Shopify did not run it", async () => {
    mock.failNext("BulkOperationRunQuery", { graphQLError: { message: "Throttled", code: "THROTTLED" } });
    mock.resolve("BulkOperationRunQuery", () => ({
      bulkOperationRunQuery: {
        bulkOperation: { id: "gid://shopify/BulkOperation/1", status: "CREATED" },
        userErrors: [],
      },
    }));
    const data = await client().request(BULK_OPERATION_RUN_QUERY, { query: "{ shop { id } }" });
    expect(data.bulkOperationRunQuery?.bulkOperation?.id).toBe("gid://shopify/BulkOperation/1");
    expect(mock.callsOf("BulkOperationRunQuery").map((call) => call.answer)).toEqual(["graphql-error", "data"]);
  });

  test("a rejected token is not retried, and the token appears in no error or log line", async () => {
    const error = await client({ token: "shpat_wrong_token" })
      .request(SHOP_INFO)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: "unauthorized", status: 401, attempts: 1, retryLater: false });
    expect(JSON.stringify({ message: (error as Error).message, logs: logLines })).not.toContain("shpat_");
  });

  test("a GraphQL error other than THROTTLED is not retried", async () => {
    mock.failNext("ShopInfo", { graphQLError: { message: "Access denied for shop field.", code: "ACCESS_DENIED" } });
    const error = await client()
      .request(SHOP_INFO)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: "graphql", attempts: 1 });
    expect((error as AdminApiError).graphQLErrors[0]).toMatchObject({ code: "ACCESS_DENIED" });
  });

  test("retries are logged with the operation and the reason, never the variables", async () => {
    mock.failNext("CustomersUpdatedSince", { status: 503 });
    await client().request(CUSTOMERS_UPDATED_SINCE, { first: 1, query: "updated_at:>'secret-looking'" });
    const retry = logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.message === "shopify-admin: retrying");
    expect(retry).toMatchObject({
      shop: SHOP,
      operation: "CustomersUpdatedSince",
      kind: "server",
      status: 503,
      attempt: 1,
    });
    expect(logLines.join("\n")).not.toContain("secret-looking");
  });
});

describe("mutation user errors", () => {
  test("are thrown with their fields and codes", () => {
    expect(() =>
      assertNoUserErrors(
        { userErrors: [{ field: ["query"], message: "Invalid bulk query", code: "INVALID" }] },
        "BulkOperationRunQuery",
      ),
    ).toThrow(/query: Invalid bulk query \[INVALID\]/);
  });
});
