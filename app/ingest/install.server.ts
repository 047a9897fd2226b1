import { database } from "~/db.server";
import { installShop } from "~/ingest/install";
import { enqueue, JOBS } from "~/queue/queue.server";

/**
 * afterAuth: the shop's row (reactivated on a reinstall), then durable background work: shop info, then the
 * backfill. Awaited, so an install whose setup could not be queued fails visibly instead of never syncing.
 */
export async function onShopAuthenticated(shopDomain: string): Promise<void> {
  const shopId = await installShop(database().prisma, shopDomain);
  await enqueue(JOBS.shopSetup, { shopId }, { singletonKey: shopId });
}
