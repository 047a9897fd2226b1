import { orderBody } from "../support/webhook-payloads";
import { beforeAll, describe, expect, test } from "vitest";
import { database } from "~/db.server";
import { JOBS } from "~/queue/queue.server";
import type { JobName } from "~/queue/queue.server";
import { segmentJobs } from "~/jobs/segment-jobs";
import type { SegmentJobDeps } from "~/jobs/segment-jobs";
import { FULL_PASS_CRON, PROFILES_REFRESH_CRON } from "~/jobs/workers.server";
import { createLogger } from "~/logging/logger";
import { appUnderTest, installTestShop, webhookRequest } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";

// Orders arriving as webhooks reach the customer's profile and segments through the dirty-customer outbox, and the
// nightly full pass runs per installed shop.

const SHOP = "segment-jobs.myshopify.com";
const UNINSTALLED = "segment-jobs-gone.myshopify.com";
const CUSTOMER = "7300000001";
let app: AppUnderTest;
let shopId: string;
const queued: Array<{ name: JobName; data: Record<string, unknown> }> = [];
let deps: SegmentJobDeps;

const order = (id: string, amount: string, processedAt: string): string =>
  orderBody({ id, subtotal: amount, createdAt: processedAt, customerId: CUSTOMER });

async function sendOrder(id: string, amount: string, processedAt: string): Promise<void> {
  expect(
    (await app.handle(webhookRequest({ shop: SHOP, topic: "orders/create", body: order(id, amount, processedAt) })))
      .status,
  ).toBe(200);
}

beforeAll(async () => {
  app = await appUnderTest();
  await installTestShop(app, SHOP);
  await installTestShop(app, UNINSTALLED);
  await app.prisma.shop.update({ where: { domain: UNINSTALLED }, data: { uninstalledAt: new Date() } });
  shopId = (await app.prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).id;
  deps = {
    database: database(),
    enqueue: async (name, data) => void queued.push({ name, data }),
    log: createLogger("silent"),
  };
});

describe("the dirty-customer outbox drives the incremental refresh", () => {
  test("an order webhook marks its customer; the refresh job writes their profile and clears the mark", async () => {
    await sendOrder("8100000001", "40.00", "2026-01-10T10:00:00Z");
    expect(
      (await app.prisma.customer.findFirstOrThrow({ where: { shopId, shopifyId: CUSTOMER } })).metricsDirtyAt,
    ).not.toBeNull();
    expect(await app.prisma.customerProfile.count({ where: { shopId } })).toBe(0);

    expect(await segmentJobs.profilesRefreshAll(deps)).toBe(1);
    const profile = await app.prisma.customerProfile.findUniqueOrThrow({
      where: { shopId_customerShopifyId: { shopId, customerShopifyId: CUSTOMER } },
    });
    expect(profile).toMatchObject({ orders: 1, netSpendMinor: 4000n, lifecycle: expect.any(String) });
    expect(
      (await app.prisma.customer.findFirstOrThrow({ where: { shopId, shopifyId: CUSTOMER } })).metricsDirtyAt,
    ).toBeNull();
  });

  test("a second order changes the stored profile; with nothing dirty the job does nothing", async () => {
    await sendOrder("8100000002", "60.00", "2026-02-10T10:00:00Z");
    expect(await segmentJobs.profilesRefreshAll(deps)).toBe(1);
    const profile = await app.prisma.customerProfile.findUniqueOrThrow({
      where: { shopId_customerShopifyId: { shopId, customerShopifyId: CUSTOMER } },
    });
    expect(profile).toMatchObject({ orders: 2, netSpendMinor: 10000n, purchaseDays: 2 });
    expect(await segmentJobs.profilesRefreshAll(deps)).toBe(0);
  });
});

describe("the full pass", () => {
  test("the nightly job queues one pass per installed shop, once per shop", async () => {
    expect(FULL_PASS_CRON).toBe("0 3 * * *");
    expect(PROFILES_REFRESH_CRON).toBe("* * * * *");
    queued.length = 0;
    await segmentJobs.fullPassAll(deps);
    const shops = queued.filter((job) => job.name === JOBS.fullPass).map((job) => job.data.shopId);
    expect(shops).toContain(shopId);
    const gone = (await app.prisma.shop.findUniqueOrThrow({ where: { domain: UNINSTALLED } })).id;
    expect(shops).not.toContain(gone);
    expect(new Set(shops).size).toBe(shops.length);
  });

  test("a shop's pass fits its model and labels every customer; an uninstalled shop's pass does nothing", async () => {
    await segmentJobs.fullPass(deps, { shopId });
    expect(await app.prisma.modelState.count({ where: { shopId } })).toBe(1);
    expect(await app.prisma.loyaltyProgram.count({ where: { shopId } })).toBe(1);
    const profile = await app.prisma.customerProfile.findUniqueOrThrow({
      where: { shopId_customerShopifyId: { shopId, customerShopifyId: CUSTOMER } },
    });
    expect(profile.tierName).toEqual(expect.any(String));
    const gone = (await app.prisma.shop.findUniqueOrThrow({ where: { domain: UNINSTALLED } })).id;
    await segmentJobs.fullPass(deps, { shopId: gone });
    expect(await app.prisma.modelState.count({ where: { shopId: gone } })).toBe(0);
  });
});
