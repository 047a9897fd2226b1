import type { Database } from "~/db.server";
import { loadSyncShop } from "~/ingest/backfill/sync-shop";
import type { Logger } from "~/logging/logger";
import { shopUsable } from "~/privacy/gone";
import { ensureMetafieldDefinitions } from "~/publish/definitions";
import { metafieldsClient } from "~/publish/metafields-client";
import type { MetafieldsSetClient } from "~/publish/metafields-client";
import { publishShop } from "~/publish/publisher.server";
import { NoShopifyStoreError } from "~/shopify-admin/errors";
import { adminGraphqlFunction } from "~/shopify-admin/graphql-function";
import { JOBS } from "~/queue/queue.server";
import type { Enqueue } from "~/queue/queue.server";
import type { AdminAccess } from "./sync-jobs";

// Publishing what the storefront reads (app/publish/): after every full pass and every refresh of a shop's
// customers, and every minute for shoppers the storefront queued (opt-out and back in). The publisher writes only
// what changed and records what it wrote, so a job that runs twice or is cut short writes nothing twice.

export interface PublishJobDeps {
  database: Database;
  access: AdminAccess;
  enqueue: Enqueue;
  log: Logger;
}

async function clientFor(
  deps: PublishJobDeps,
  shopId: string,
): Promise<{ client: MetafieldsSetClient; shop: { id: string; domain: string; currencyCode: string } } | null> {
  const shop = await loadSyncShop(deps.database.sql, shopId);
  // Uninstalled, or its redaction pending: nothing of the shop is published (app/privacy/gone.ts).
  if (!shop?.usable) return null;
  const row = await deps.database.prisma.shop.findUniqueOrThrow({
    where: { id: shopId },
    select: { id: true, domain: true, currencyCode: true },
  });
  try {
    return { client: metafieldsClient(adminGraphqlFunction(await deps.access.clientFor(shop))), shop: row };
  } catch (error) {
    // The demo's shop: there is no Shopify to publish to (its storefront preview computes the same values itself).
    if (!(error instanceof NoShopifyStoreError)) throw error;
    deps.log.info("publishing skipped: no Shopify store", { shopId });
    return null;
  }
}

// Shops whose definitions this process has checked. A definition added in a later version (custom_segments) reaches
// shops installed before it ahead of the first value written under it, at the price of one round of calls per shop
// per process (an existing definition answers TAKEN).
const definitionsChecked = new Set<string>();

export const publishJobs = {
  /** At install: the metafield definitions that make Cadence's values readable by the theme's Liquid. */
  async defineMetafields(deps: PublishJobDeps, { shopId }: { shopId: string }): Promise<void> {
    const target = await clientFor(deps, shopId);
    if (!target) return;
    const result = await ensureMetafieldDefinitions(target.client);
    deps.log.info("metafield definitions", { shopId, ...result });
  },

  async publish(deps: PublishJobDeps, { shopId, queuedOnly }: { shopId: string; queuedOnly?: boolean }): Promise<void> {
    const target = await clientFor(deps, shopId);
    if (!target) return;
    if (!definitionsChecked.has(shopId)) {
      await ensureMetafieldDefinitions(target.client);
      definitionsChecked.add(shopId);
    }
    const summary = await publishShop(deps.database.prisma, target.shop, target.client, {
      queuedOnly: queuedOnly ?? false,
    });
    deps.log.info("published", { shopId, queuedOnly: queuedOnly ?? false, ...summary });
  },

  /** Cron: shoppers the storefront queued (opt-out, opt back in) are published within a minute. */
  async publishQueuedAll(deps: PublishJobDeps): Promise<number> {
    const { rows } = await deps.database.sql.query<{ shopId: string }>(
      `SELECT DISTINCT q."shopId" FROM "PublishQueueItem" q JOIN "Shop" s ON s."id" = q."shopId" WHERE ${shopUsable("s")}`,
    );
    for (const { shopId } of rows) await deps.enqueue(JOBS.publishQueued, { shopId }, { singletonKey: shopId });
    return rows.length;
  },
};
