import { beforeAll, describe, expect, test } from "vitest";
import { database } from "~/db.server";
import { formatSyncStatus, syncStatus } from "~/ingest/sync-status";
import type { SyncStatus } from "~/ingest/sync-status";
import { JOBS } from "~/queue/queue.server";
import { segmentJobs } from "~/jobs/segment-jobs";
import { runJob } from "~/jobs/workers.server";
import { createLogger } from "~/logging/logger";
import {
  adminRequest,
  appUnderTest,
  installTestShop,
  singleFetchData,
  webhookRequest,
} from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { cadenceCli } from "../support/cadence-cli";
import { orderBody } from "../support/webhook-payloads";

// Work that covers every shop must not let one shop stop the others. One of three shops is given stored settings
// its refresh cannot read (as a bad migration or a hand edit might leave them): the other two are still refreshed,
// and the failure shows on that shop's sync status, in the admin and in `cadence sync status`, until it is fixed.

const SHOPS = ["isolation-a.myshopify.com", "isolation-b.myshopify.com", "isolation-c.myshopify.com"] as const;
const BROKEN = SHOPS[1];
let app: AppUnderTest;
const ids = new Map<string, string>();
const queued: Array<{ name: string; shopId: string }> = [];

const deps = () => ({
  database: database(),
  access: { clientFor: () => Promise.reject(new Error("no Shopify in this test")) },
  enqueue: async (name: string, data: { shopId: string }) => void queued.push({ name, shopId: data.shopId }),
  log: createLogger("silent"),
});

// The worker's handler for a queued full pass, as workers.server.ts registers it.
const fullPass: Parameters<typeof runJob>[2] = (jobDeps, data) => segmentJobs.fullPass(jobDeps, data);

const dirty = (shop: string) =>
  app.prisma.customer.count({ where: { shopId: ids.get(shop)!, metricsDirtyAt: { not: null } } });
const profiles = (shop: string) => app.prisma.customerProfile.count({ where: { shopId: ids.get(shop)! } });

async function sendOrder(shop: string, orderId: string, customerId: string) {
  const body = orderBody({ id: orderId, customerId, subtotal: "30.00", createdAt: "2026-02-01T10:00:00Z" });
  expect((await app.handle(webhookRequest({ shop, topic: "orders/create", body }))).status).toBe(200);
}

async function adminStatus(shop: string): Promise<SyncStatus> {
  const response = await app.handle(
    await adminRequest(`/app/sync.data?_routes=${encodeURIComponent("routes/app.sync")}`, shop),
  );
  expect(response.status).toBe(200);
  return (await singleFetchData<{ status: SyncStatus }>(response, "routes/app.sync")).status;
}

beforeAll(async () => {
  app = await appUnderTest();
  for (const [index, shop] of SHOPS.entries()) {
    ids.set(shop, await installTestShop(app, shop));
    await sendOrder(shop, `96000000${index}1`, `76000000${index}1`);
  }
  await app.prisma.segmentSettings.create({
    data: { shopId: ids.get(BROKEN)!, settings: { lifecycle: { atRiskMultiple: "twice" } } },
  });
});

describe("one shop's failure in work over every shop", () => {
  test("the profile refresh goes on to the other shops and records the failure on the broken shop's status", async () => {
    expect(await segmentJobs.profilesRefreshAll(deps())).toBe(2);
    for (const shop of [SHOPS[0], SHOPS[2]]) {
      expect(await profiles(shop), shop).toBe(1);
      expect(await dirty(shop), shop).toBe(0);
    }
    // Nothing of the broken shop was written, and its customer stays marked for the next minute's run.
    expect(await profiles(BROKEN)).toBe(0);
    expect(await dirty(BROKEN)).toBe(1);
    expect(
      queued
        .filter((job) => job.name === JOBS.publish)
        .map((job) => job.shopId)
        .sort(),
    ).toEqual([ids.get(SHOPS[0]), ids.get(SHOPS[2])].sort());

    const status = await syncStatus(database().sql, BROKEN);
    expect(status.failingWork).toEqual([
      expect.objectContaining({
        job: "profiles-refresh",
        label: "Customer profile refresh",
        failures: 1,
        error: expect.stringContaining("lifecycle.atRiskMultiple"),
      }),
    ]);
    expect((await syncStatus(database().sql, SHOPS[0])).failingWork).toEqual([]);
  });

  test("the admin's Sync page and the text of `sync status` show it, counting runs in a row", async () => {
    await segmentJobs.profilesRefreshAll(deps());
    const shown = await adminStatus(BROKEN);
    expect(shown.failingWork).toEqual([expect.objectContaining({ job: "profiles-refresh", failures: 2 })]);
    expect((await adminStatus(SHOPS[2])).failingWork).toEqual([]);
    const text = formatSyncStatus(await syncStatus(database().sql, BROKEN));
    expect(text).toMatch(
      /Customer profile refresh \(profiles-refresh\): failing since \d{4}-\d\d-\d\dT[^,]+, 2 run\(s\) in a row/,
    );
    expect(formatSyncStatus(await syncStatus(database().sql, SHOPS[0]))).toContain("Background work: no failures.");
  });

  // The CLI runs as its own process against the test's database.
  test("`cadence sync status` prints it", () => {
    const result = cadenceCli("sync", "status", "--shop", BROKEN);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Background work failing for this shop");
    expect(result.stdout).toMatch(/Customer profile refresh \(profiles-refresh\): .*lifecycle\.atRiskMultiple/);
  });

  test("a queued per-shop job records its failure and is retried by the queue; another shop's succeeds", async () => {
    await expect(runJob(deps() as never, JOBS.fullPass, fullPass, { shopId: ids.get(BROKEN)! })).rejects.toThrow(
      /atRiskMultiple/,
    );
    await expect(
      runJob(deps() as never, JOBS.fullPass, fullPass, { shopId: ids.get(SHOPS[0])! }),
    ).resolves.toBeUndefined();
    expect((await syncStatus(database().sql, BROKEN)).failingWork.map((work) => [work.job, work.failures])).toEqual([
      ["full-pass", 1],
      ["profiles-refresh", 2],
    ]);
    expect((await syncStatus(database().sql, SHOPS[0])).failingWork).toEqual([]);
  });

  test("once the shop's settings are fixed, its next run succeeds and the status clears", async () => {
    await app.prisma.segmentSettings.delete({ where: { shopId: ids.get(BROKEN)! } });
    expect(await segmentJobs.profilesRefreshAll(deps())).toBe(1);
    expect(await profiles(BROKEN)).toBe(1);
    expect((await syncStatus(database().sql, BROKEN)).failingWork.map((work) => work.job)).toEqual(["full-pass"]);
    await runJob(deps() as never, JOBS.fullPass, fullPass, { shopId: ids.get(BROKEN)! });
    expect((await syncStatus(database().sql, BROKEN)).failingWork).toEqual([]);
  });
});
