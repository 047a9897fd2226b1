import type { Database } from "~/db.server";
import { loadSyncShop } from "~/ingest/backfill/sync-shop";
import type { Logger } from "~/logging/logger";
import { dispatchFlowTriggers } from "~/publish/flow/dispatch.server";
import type { DispatchOptions } from "~/publish/flow/dispatch.server";
import { isAdminApiError } from "~/shopify-admin/errors";
import { JOBS } from "~/queue/queue.server";
import type { Enqueue } from "~/queue/queue.server";
import type { AdminAccess } from "./sync-jobs";
import { shopUsable } from "~/privacy/gone";

// Shopify Flow triggers (app/publish/flow/): every minute, each installed shop with triggers waiting is dispatched
// (its mass moves evaluated, its pending triggers sent within the cost budget). A run that stops with triggers left
// (its share sent, or throttled) queues the next one. A revoked token stops the shop's sending until it reinstalls;
// the triggers wait.

export interface FlowJobDeps {
  database: Database;
  access: AdminAccess;
  enqueue: Enqueue;
  log: Logger;
  flowOptions?: DispatchOptions;
}

export const flowJobs = {
  async dispatch(deps: FlowJobDeps, { shopId }: { shopId: string }): Promise<void> {
    const shop = await loadSyncShop(deps.database.sql, shopId);
    if (!shop?.usable) return;
    try {
      const result = await dispatchFlowTriggers(
        deps.database,
        shopId,
        () => deps.access.clientFor(shop),
        deps.flowOptions,
      );
      deps.log.info("flow triggers dispatched", {
        shopId,
        status: result.status,
        held: result.evaluation?.held ?? null,
        sent: result.sent,
        refused: result.refused,
        recorded: result.recorded,
        unconfirmed: result.unconfirmed + result.orphans.unconfirmed,
        remaining: result.remaining,
      });
      if (result.status === "done" && result.remaining > 0) {
        await deps.enqueue(
          JOBS.flowDispatch,
          { shopId },
          { singletonKey: shopId, startAfterSeconds: result.stoppedBy === "throttled" ? 30 : 1 },
        );
      }
    } catch (error) {
      if (!isAdminApiError(error, "unauthorized")) throw error;
      deps.log.warn("flow triggers waiting: Admin API access refused", { shopId, reason: error.message });
    }
  },

  /** Cron: shops with triggers to evaluate or send. */
  async dispatchAll(deps: FlowJobDeps): Promise<number> {
    const { rows } = await deps.database.sql.query<{ shopId: string }>(
      `SELECT s.id AS "shopId" FROM "Shop" s
        WHERE ${shopUsable("s")}
          AND EXISTS (SELECT 1 FROM "FlowTrigger" t WHERE t."shopId" = s.id AND t.state IN ('new', 'pending', 'sending'))`,
    );
    for (const { shopId } of rows) await deps.enqueue(JOBS.flowDispatch, { shopId }, { singletonKey: shopId });
    return rows.length;
  },
};
