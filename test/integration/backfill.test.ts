import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { database } from "~/db.server";
import { exportCustomers } from "~/exports/customers";
import { JOBS, jobQueue, stopJobQueue } from "~/queue/queue.server";
import { syncJobs } from "~/jobs/sync-jobs";
import { bulkCustomersQuery, bulkOrdersQuery } from "~/shopify-admin/operations/bulk-queries";
import { bulkOrderLines, graphqlCustomer, refundsNode } from "../support/admin-fixtures";
import type { GraphqlOrderSpec } from "../support/admin-fixtures";
import { appUnderTest, installTestShop } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { syncHarness } from "../support/sync-harness";
import type { SyncHarness } from "../support/sync-harness";
import { lineAmountsByType } from "../support/orders";
import { customerBody, orderBody, send } from "../support/webhook-payloads";

// The install backfill end to end: shop info, two bulk queries, completion by webhook or by polling, the JSONL files
// streamed in batches (lines in any order), refund details by regular query, hand-over to reconciliation. Shopify is
// the Admin API mock; everything else is real, the job queue included (its own tests are at the end).

let app: AppUnderTest;

beforeAll(async () => {
  app = await appUnderTest();
});

afterAll(() => stopJobQueue());

async function shopIdOf(domain: string): Promise<string> {
  return (await app.prisma.shop.findUniqueOrThrow({ where: { domain } })).id;
}

function bulkIdOf(harness: SyncHarness, query: string): string {
  const operation = [...harness.mock.bulkOperations.values()].find((candidate) => candidate.query === query);
  if (!operation) throw new Error(`no bulk operation ran ${query.slice(0, 40)}…`);
  return operation.id;
}

const finishBody = (operationId: string, status = "completed") =>
  JSON.stringify({
    admin_graphql_api_id: operationId,
    completed_at: "2026-03-01T00:10:00Z",
    created_at: "2026-03-01T00:00:00Z",
    error_code: null,
    status,
    type: "query",
  });

describe("a shop's first backfill", () => {
  const SHOP = "backfill-test.myshopify.com";
  const orders: GraphqlOrderSpec[] = [
    {
      id: "3000000001",
      customerId: "9000000001",
      subtotal: "50.00",
      lines: [
        { id: "40001", amount: "20.00" },
        { id: "40002", amount: "30.00" },
      ],
    },
    {
      id: "3000000002",
      customerId: "9000000002",
      subtotal: "80.00",
      lines: [{ id: "40003", amount: "80.00", productType: "Coffee" }],
    },
    {
      id: "3000000003",
      customerId: "9000000001",
      subtotal: "40.00",
      refunds: [{ id: "5000000003", lines: ["10.00"], amount: "12.00" }],
    },
    {
      id: "3000000004",
      customerId: "9000000002",
      subtotal: "10.00",
      updatedAt: "2025-06-01T10:00:00Z",
      lines: [{ id: "40005", amount: "10.00" }],
    },
    { id: "3000000005", customerId: "9000000002", subtotal: "500.00", test: true },
    { id: "3000000006", customerId: null, subtotal: "25.00" },
  ];
  let harness: SyncHarness;
  let shopId: string;

  beforeAll(async () => {
    await installTestShop(app, SHOP, "USD");
    shopId = await shopIdOf(SHOP);
    harness = syncHarness(SHOP, {
      ShopInfo: () => ({
        shop: {
          id: "gid://shopify/Shop/77",
          currencyCode: "GBP",
          ianaTimezone: "Europe/London",
          myshopifyDomain: SHOP,
        },
      }),
      ShopCounts: () => ({
        ordersCount: { count: orders.length, precision: "EXACT" },
        customersCount: { count: 4, precision: "EXACT" },
      }),
      OrderRefunds: (variables) => ({
        nodes: (variables.ids as string[]).map((gid) => {
          const spec = orders.find((order) => `gid://shopify/Order/${order.id}` === gid);
          return spec ? refundsNode(spec) : null;
        }),
      }),
    });
  });
  afterAll(() => harness.mock.stop());

  test("setup records the shop's currency and time zone, then queues the backfill", async () => {
    await syncJobs.shopSetup(harness.deps, { shopId });
    expect(await app.prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).toMatchObject({
      currencyCode: "GBP",
      ianaTimezone: "Europe/London",
    });
    expect(harness.take(JOBS.backfillStart)).toEqual([
      { name: JOBS.backfillStart, data: { shopId }, options: { singletonKey: shopId } },
    ]);
  });

  test("the backfill starts one bulk query for orders and one for customers, and polls both", async () => {
    await syncJobs.backfillStart(harness.deps, { shopId });
    expect(harness.mock.callsOf("BulkOperationRunQuery").map((call) => call.variables.query)).toEqual([
      bulkOrdersQuery(),
      bulkCustomersQuery(),
    ]);
    const imports = await app.prisma.bulkImport.findMany({ where: { shopId }, orderBy: { id: "asc" } });
    expect(imports.map((row) => [row.kind, row.status, row.objectsTotal])).toEqual([
      ["orders", "running", 6],
      ["customers", "running", 4],
    ]);
    expect((await app.prisma.syncState.findUniqueOrThrow({ where: { shopId } })).backfillState).toBe("running");
    expect(harness.take(JOBS.bulkPoll).map((job) => [job.data.operationId, job.options?.startAfterSeconds])).toEqual([
      [bulkIdOf(harness, bulkOrdersQuery()), 30],
      [bulkIdOf(harness, bulkCustomersQuery()), 30],
    ]);
    // Started again (a retried job), nothing is started twice.
    await syncJobs.backfillStart(harness.deps, { shopId });
    expect(harness.mock.callsOf("BulkOperationRunQuery")).toHaveLength(2);
  });

  test("bulk_operations/finish records the completion and queues the import in the job queue", async () => {
    // While the operations run, webhooks keep arriving: a newer state of order 4, and a customer deletion.
    await send(
      app,
      SHOP,
      "orders/updated",
      orderBody({
        id: "3000000004",
        customerId: "9000000002",
        subtotal: "99.00",
        updatedAt: "2026-02-01T00:00:00Z",
        lines: [{ id: "40099", price: "99.00" }],
      }),
    );
    await send(app, SHOP, "customers/create", customerBody("9000000004"));
    await send(
      app,
      SHOP,
      "customers/delete",
      JSON.stringify({ id: 9000000004, admin_graphql_api_id: "gid://shopify/Customer/9000000004" }),
    );

    const ordersOperation = bulkIdOf(harness, bulkOrdersQuery());
    harness.mock.completeBulk(
      ordersOperation,
      () => {
        // Ungrouped output: order 2's line item comes before order 2, the rest after their orders.
        const [first, second, ...rest] = orders.map(bulkOrderLines);
        return [
          first!.order,
          ...first!.lineItems,
          ...second!.lineItems,
          ...rest.flatMap((order) => [order.order, ...order.lineItems]),
          second!.order,
        ];
      },
      { objects: 13, roots: 6 },
    );
    expect((await send(app, SHOP, "bulk_operations/finish", finishBody(ordersOperation))).status).toBe(200);
    expect(
      (await app.prisma.bulkImport.findFirstOrThrow({ where: { shopId, operationId: ordersOperation } })).status,
    ).toBe("completed");
    const { rows } = await database().sql.query<{ data: { operationId: string } }>(
      `SELECT data FROM pgboss.job WHERE name = $1`,
      [JOBS.bulkImport],
    );
    expect(rows.map((row) => row.data.operationId)).toEqual([ordersOperation]);
  });

  test("without a webhook, polling finds the finished operation and queues its import", async () => {
    const customersOperation = bulkIdOf(harness, bulkCustomersQuery());
    await syncJobs.bulkPoll(harness.deps, { shopId, operationId: customersOperation, attempt: 0 });
    expect(harness.take(JOBS.bulkPoll).map((job) => job.data.attempt)).toEqual([1]); // still running: polled again later
    harness.mock.completeBulk(
      customersOperation,
      () => ["9000000001", "9000000002", "9000000003", "9000000004"].map((id) => JSON.stringify(graphqlCustomer(id))),
      { objects: 4, roots: 4 },
    );
    await syncJobs.bulkPoll(harness.deps, { shopId, operationId: customersOperation, attempt: 1 });
    expect(harness.take(JOBS.bulkImport).map((job) => job.data.operationId)).toEqual([customersOperation]);
  });

  test("the orders file is imported whatever the order of its lines; a newer webhook state is kept", async () => {
    const operationId = bulkIdOf(harness, bulkOrdersQuery());
    await syncJobs.bulkImport(harness.deps, { shopId, operationId });
    const imported = await app.prisma.bulkImport.findFirstOrThrow({ where: { shopId, operationId } });
    expect(imported).toMatchObject({ status: "imported", objectsDone: 6, objectsTotal: 6, linesDone: 13, error: null });
    expect(harness.mock.downloads).toEqual([operationId]);
    const stored = await app.prisma.order.findMany({
      where: { shopId },
      include: { lines: true },
      orderBy: { shopifyId: "asc" },
    });
    expect(
      stored.map((order) => [order.shopifyId, order.netMinor, order.lines.map((line) => line.shopifyId).sort()]),
    ).toEqual([
      ["3000000001", 5000n, ["40001", "40002"]],
      ["3000000002", 8000n, ["40003"]],
      ["3000000003", 4000n, ["30000000031"]],
      ["3000000004", 9900n, ["40099"]],
      ["3000000005", 50000n, ["30000000051"]],
      ["3000000006", 2500n, ["30000000061"]],
    ]);
    expect(stored.find((order) => order.shopifyId === "3000000002")?.lines[0]?.productType).toBe("Coffee");
    // Each order carries its lines' amounts by product type, however its lines arrived (before it or after it).
    expect(stored.find((order) => order.shopifyId === "3000000002")?.lineAmountsByType).toEqual({ Coffee: 8000 });
    for (const order of stored)
      expect(order.lineAmountsByType, order.shopifyId).toEqual(lineAmountsByType(order.lines));
    expect(await app.prisma.backfillPendingLine.count({ where: { shopId } })).toBe(0);
    expect(
      await app.prisma.backfillRefundDetail.findMany({ where: { shopId }, select: { orderShopifyId: true } }),
    ).toEqual([{ orderShopifyId: "3000000003" }]);
    expect((await app.prisma.syncState.findUniqueOrThrow({ where: { shopId } })).backfillState).toBe("importing");
  });

  test("the customers file is imported; a customer deleted meanwhile stays deleted; refund details come next", async () => {
    const operationId = bulkIdOf(harness, bulkCustomersQuery());
    await syncJobs.bulkImport(harness.deps, { shopId, operationId });
    expect(await app.prisma.bulkImport.findFirstOrThrow({ where: { shopId, operationId } })).toMatchObject({
      status: "imported",
      objectsDone: 4,
    });
    expect(
      (await app.prisma.customer.findFirstOrThrow({ where: { shopId, shopifyId: "9000000004" } })).deletedAt,
    ).not.toBeNull();
    expect(harness.take(JOBS.refundDetails)).toEqual([
      { name: JOBS.refundDetails, data: { shopId }, options: { singletonKey: shopId } },
    ]);
    expect(await app.prisma.syncState.findUniqueOrThrow({ where: { shopId } })).toMatchObject({
      backfillState: "refund-details",
      refundDetailsTotal: 1,
      refundDetailsDone: 0,
    });
  });

  test("refund details complete the backfill and hand over to reconciliation", async () => {
    await syncJobs.refundDetails(harness.deps, { shopId });
    expect(harness.mock.callsOf("OrderRefunds").map((call) => call.variables.ids)).toEqual([
      ["gid://shopify/Order/3000000003"],
    ]);
    expect((await app.prisma.order.findFirstOrThrow({ where: { shopId, shopifyId: "3000000003" } })).netMinor).toBe(
      3000n,
    );
    const state = await app.prisma.syncState.findUniqueOrThrow({ where: { shopId } });
    expect(state).toMatchObject({
      backfillState: "completed",
      refundDetailsDone: 1,
      refundDetailsTotal: 1,
      backfillError: null,
    });
    const firstStart = (
      await app.prisma.bulkImport.findFirstOrThrow({ where: { shopId }, orderBy: { startedAt: "asc" } })
    ).startedAt;
    expect(state.ordersReconciledTo?.getTime()).toBe(firstStart.getTime() - 5 * 60_000);
    expect(state.backfillFinishedAt).not.toBeNull();
    // The whole history is in: a full pass places every customer now (its end is the movement baseline).
    expect(harness.take(JOBS.fullPass)).toEqual([
      { name: JOBS.fullPass, data: { shopId }, options: { singletonKey: shopId } },
    ]);

    expect(await exportCustomers(app.prisma, SHOP)).toEqual([
      expect.objectContaining({ customer_id: "9000000002", orders_count: 2, net_spend: "179.00" }),
      expect.objectContaining({ customer_id: "9000000001", orders_count: 2, net_spend: "80.00" }),
      expect.objectContaining({ customer_id: "9000000003", orders_count: 0, net_spend: "0.00" }),
    ]);
  });
});

function generatedOrders(count: number, from = 1): GraphqlOrderSpec[] {
  return Array.from({ length: count }, (_, index) => {
    const n = from + index;
    return {
      id: String(3100000000 + n),
      customerId: String(9100000000 + (n % 97)),
      subtotal: "12.34",
      lines: [
        { id: `${4100000000 + n}1`, amount: "10.00" },
        { id: `${4100000000 + n}2`, amount: "2.34" },
      ],
    };
  });
}

describe("an interrupted import", () => {
  const SHOP = "backfill-resume.myshopify.com";
  let harness: SyncHarness;
  let shopId: string;

  beforeAll(async () => {
    await installTestShop(app, SHOP);
    shopId = await shopIdOf(SHOP);
    harness = syncHarness(SHOP, {
      ShopCounts: () => ({
        ordersCount: { count: 1200, precision: "EXACT" },
        customersCount: { count: 0, precision: "EXACT" },
      }),
    });
  });
  afterAll(() => harness.mock.stop());

  test("resumes after the last committed batch and writes nothing twice", async () => {
    await syncJobs.backfillStart(harness.deps, { shopId });
    const operationId = bulkIdOf(harness, bulkOrdersQuery());
    const specs = generatedOrders(1200);
    harness.mock.completeBulk(
      operationId,
      function* () {
        for (const spec of specs) {
          const lines = bulkOrderLines(spec);
          yield lines.order;
          yield* lines.lineItems;
        }
      },
      { objects: 3600, roots: 1200 },
    );
    await app.prisma.bulkImport.updateMany({ where: { shopId, operationId }, data: { status: "completed" } });

    let batches = 0;
    const crash = {
      ...harness.deps,
      importOptions: {
        batchLines: 500,
        onBatch: () => {
          if ((batches += 1) === 3) throw new Error("the process died");
        },
      },
    };
    await expect(syncJobs.bulkImport(crash, { shopId, operationId })).rejects.toThrow("the process died");
    const interrupted = await app.prisma.bulkImport.findFirstOrThrow({ where: { shopId, operationId } });
    expect(interrupted).toMatchObject({ status: "importing", linesDone: 1500, objectsDone: 500 });
    expect(await app.prisma.order.count({ where: { shopId } })).toBe(500);

    await syncJobs.bulkImport({ ...harness.deps, importOptions: { batchLines: 500 } }, { shopId, operationId });
    expect(await app.prisma.bulkImport.findFirstOrThrow({ where: { shopId, operationId } })).toMatchObject({
      status: "imported",
      linesDone: 3600,
      objectsDone: 1200,
    });
    expect(await app.prisma.order.count({ where: { shopId } })).toBe(1200);
    expect(await app.prisma.orderLine.count({ where: { shopId } })).toBe(2400);
    const resumed = await app.prisma.order.findMany({ where: { shopId }, include: { lines: true } });
    for (const order of resumed)
      expect(order.lineAmountsByType, order.shopifyId).toEqual(lineAmountsByType(order.lines));
    expect(harness.mock.downloads).toEqual([operationId, operationId]);
  });
});

describe("when things go wrong", () => {
  const SHOP = "backfill-trouble.myshopify.com";
  let harness: SyncHarness;
  let shopId: string;

  beforeAll(async () => {
    await installTestShop(app, SHOP);
    shopId = await shopIdOf(SHOP);
    harness = syncHarness(SHOP, {
      ShopCounts: () => ({
        ordersCount: { count: 3, precision: "EXACT" },
        customersCount: { count: 0, precision: "EXACT" },
      }),
    });
  });
  afterAll(() => harness.mock.stop());

  test("a throttled start waits for the cost bucket and succeeds", async () => {
    harness.mock.drainBucket();
    await syncJobs.backfillStart(harness.deps, { shopId });
    expect(harness.mock.calls.map((call) => `${call.operationName}:${call.answer}`)).toEqual([
      "ShopCounts:throttled",
      "ShopCounts:data",
      "BulkOperationRunQuery:data",
      "BulkOperationRunQuery:data",
    ]);
  });

  test("an unreadable line is skipped and reported with its line number; the rest is imported", async () => {
    const operationId = bulkIdOf(harness, bulkOrdersQuery());
    const [good, bad, alsoGood] = generatedOrders(3, 500).map(bulkOrderLines);
    const broken = JSON.stringify({
      ...JSON.parse(bad!.order),
      subtotalPriceSet: { shopMoney: { amount: "twelve", currencyCode: "GBP" } },
    });
    harness.mock.completeBulk(operationId, () => [good!.order, broken, alsoGood!.order], { objects: 3, roots: 3 });
    await syncJobs.bulkPoll(harness.deps, { shopId, operationId });
    await syncJobs.bulkImport(harness.deps, { shopId, operationId });
    const row = await app.prisma.bulkImport.findFirstOrThrow({ where: { shopId, operationId } });
    expect(row).toMatchObject({ status: "imported", objectsDone: 2, linesDone: 3 });
    expect(row.error).toMatch(
      /1 line\(s\) could not be read; line 2: order gid:\/\/shopify\/Order\/\d+: "twelve" is not a decimal amount/,
    );
  });

  test("a failed bulk operation fails the backfill with Shopify's reason", async () => {
    const operationId = bulkIdOf(harness, bulkCustomersQuery());
    harness.mock.failBulk(operationId, "TIMEOUT");
    expect((await send(app, SHOP, "bulk_operations/finish", finishBody(operationId, "failed"))).status).toBe(200);
    await syncJobs.bulkImport(harness.deps, { shopId, operationId });
    expect(await app.prisma.bulkImport.findFirstOrThrow({ where: { shopId, operationId } })).toMatchObject({
      status: "failed",
    });
    expect(await app.prisma.syncState.findUniqueOrThrow({ where: { shopId } })).toMatchObject({
      backfillState: "failed",
      backfillError: "customers: bulk operation failed: TIMEOUT",
    });
  });

  test("an uninstall stops an import between batches, and the shop's later jobs do nothing", async () => {
    const other = "backfill-uninstall.myshopify.com";
    // One Shopify mock intercepts at a time (two msw servers would both read each request's body).
    harness.mock.stop();
    await installTestShop(app, other);
    const otherId = await shopIdOf(other);
    const otherHarness = syncHarness(other, {
      ShopCounts: () => ({
        ordersCount: { count: 900, precision: "EXACT" },
        customersCount: { count: 0, precision: "EXACT" },
      }),
    });
    try {
      await syncJobs.backfillStart(otherHarness.deps, { shopId: otherId });
      const operationId = bulkIdOf(otherHarness, bulkOrdersQuery());
      otherHarness.mock.completeBulk(
        operationId,
        () => generatedOrders(900).map((spec) => bulkOrderLines(spec).order),
        { objects: 900, roots: 900 },
      );
      await syncJobs.bulkPoll(otherHarness.deps, { shopId: otherId, operationId });
      const uninstallAfterFirstBatch = {
        ...otherHarness.deps,
        importOptions: {
          batchLines: 300,
          onBatch: async () => void (await send(app, other, "app/uninstalled", JSON.stringify({ id: 1 }))),
        },
      };
      await syncJobs.bulkImport(uninstallAfterFirstBatch, { shopId: otherId, operationId });
      expect(await app.prisma.order.count({ where: { shopId: otherId } })).toBe(300);
      expect(await app.prisma.bulkImport.findFirstOrThrow({ where: { shopId: otherId, operationId } })).toMatchObject({
        status: "stopped",
        objectsDone: 300,
      });
      const callsBefore = otherHarness.mock.calls.length;
      await syncJobs.bulkImport(otherHarness.deps, { shopId: otherId, operationId });
      await syncJobs.reconcileShop(otherHarness.deps, { shopId: otherId });
      expect(otherHarness.mock.calls.length).toBe(callsBefore);
    } finally {
      otherHarness.mock.stop();
    }
  });
});

describe("the job queue (pg-boss) on this database", () => {
  test("a queued job survives a restart of the queue and runs once on a worker", async () => {
    const shopId = await shopIdOf("backfill-test.myshopify.com");
    let boss = await jobQueue();
    await boss.send(JOBS.reconcileShop, { shopId }, { singletonKey: `queue-test-${shopId}` });
    // A second request for the same key while the first waits is dropped ("exclusive" queue policy).
    expect(await boss.send(JOBS.reconcileShop, { shopId }, { singletonKey: `queue-test-${shopId}` })).toBeNull();
    await stopJobQueue();

    boss = await jobQueue();
    const ran: unknown[] = [];
    await boss.work(JOBS.reconcileShop, { pollingIntervalSeconds: 0.5 }, async (jobs) => {
      ran.push(...jobs.map((job) => job.data));
    });
    for (let waited = 0; ran.length === 0 && waited < 20_000; waited += 100)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ran).toEqual([{ shopId }]);
    await boss.offWork(JOBS.reconcileShop);
  });
});
