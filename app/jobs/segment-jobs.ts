import type { Database } from "~/db.server";
import { refreshDirtyCustomers } from "~/recompute/dirty-customers.server";
import type { Logger } from "~/logging/logger";
import { runFullPass } from "~/recompute/full-pass.server";
import { refreshCustomers } from "~/recompute/refresh.server";
import { purgeExpiredRecords } from "~/retention/purge.server";
import { JOBS } from "~/queue/queue.server";
import type { Enqueue } from "~/queue/queue.server";
import { PROFILES_REFRESH, runForShop } from "./shop-job-status";
import { shopUsable } from "~/privacy/gone";

// The segmentation side of background work. Ingest marks a customer dirty in the same transaction as the change
// (recompute/dirty-customers.server.ts); a job every minute drains those marks through the incremental refresh, so a crash
// between an order and its refresh loses nothing and a burst of orders costs one refresh per customer. The full pass
// runs nightly per shop and on demand; its lease (recompute/lease.server.ts) keeps two instances from running it twice.

export interface SegmentJobDeps {
  database: Database;
  enqueue: Enqueue;
  log: Logger;
}

async function installedShops(database: Database, extraCondition = "TRUE", params: unknown[] = []): Promise<string[]> {
  const { rows } = await database.sql.query<{ id: string }>(
    `SELECT s."id" FROM "Shop" s WHERE ${shopUsable("s")} AND ${extraCondition} ORDER BY s."id"`,
    params,
  );
  return rows.map((row) => row.id);
}

export const segmentJobs = {
  /**
   * Every changed customer of every installed shop, refreshed against the shop's current model state. Each shop runs
   * on its own: an exception in one shop is recorded on its sync status and the loop goes on to the next, so one
   * shop's bad state never holds back the others' refresh (it is tried again the next minute).
   */
  async profilesRefreshAll(deps: SegmentJobDeps): Promise<number> {
    const shops = await installedShops(
      deps.database,
      `EXISTS (SELECT 1 FROM "Customer" c WHERE c."shopId" = s."id" AND c."metricsDirtyAt" IS NOT NULL)`,
    );
    let refreshed = 0;
    for (const shopId of shops) {
      const outcome = await runForShop(
        { sql: deps.database.sql, log: deps.log },
        shopId,
        PROFILES_REFRESH,
        async () => {
          const count = await refreshDirtyCustomers(
            deps.database.sql,
            shopId,
            async (ids) => void (await refreshCustomers(deps.database, shopId, ids)),
          );
          deps.log.info("profiles refreshed", { shopId, customers: count });
          if (count > 0) await deps.enqueue(JOBS.publish, { shopId }, { singletonKey: shopId });
          return count;
        },
        { rethrow: false },
      );
      if (outcome.ok) refreshed += outcome.value;
    }
    return refreshed;
  },

  async fullPassAll(deps: SegmentJobDeps): Promise<number> {
    const shops = await installedShops(deps.database);
    for (const shopId of shops) await deps.enqueue(JOBS.fullPass, { shopId }, { singletonKey: shopId });
    return shops.length;
  },

  /**
   * The nightly pass, or (`waitForOtherPassMs`) one that applies a program change saved while another pass ran: that
   * one waits for the lease instead of being skipped, since the change must reach every customer.
   */
  async fullPass(
    deps: SegmentJobDeps,
    { shopId, waitForOtherPassMs }: { shopId: string; waitForOtherPassMs?: number },
  ): Promise<void> {
    if ((await installedShops(deps.database, `s."id" = $1`, [shopId])).length === 0) return;
    const result = await runFullPass(deps.database, shopId, waitForOtherPassMs ? { waitForOtherPassMs } : {});
    deps.log.info("full pass", { shopId, status: result.status, customers: result.customers, millis: result.millis });
    if (result.status === "done") await deps.enqueue(JOBS.publish, { shopId }, { singletonKey: shopId });
    const purged = await purgeExpiredRecords(deps.database.sql, shopId);
    deps.log.info("retention purge", { shopId, ...purged });
  },
};
