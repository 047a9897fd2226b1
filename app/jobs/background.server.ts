import { createAdminClient } from "~/shopify-admin/client";
import { unauthenticated } from "~/shopify.server";
import type { AdminAccess } from "./sync-jobs";
import { startWorkers } from "./workers.server";

// Background work of a running server (`npm start`, the demo), started by scripts/server/start-server.ts through the
// build's entry module. Admin API access uses the shop's offline session as Shopify's library keeps it: loaded from
// session storage and refreshed when the offline token is about to expire.

export const offlineAccess: AdminAccess = {
  async clientFor(shop) {
    const { session } = await unauthenticated.admin(shop.domain);
    if (!session.accessToken) throw new Error(`the offline session of ${shop.domain} has no access token`);
    return createAdminClient({ shop: shop.domain, accessToken: session.accessToken });
  },
};

/** Starts the job workers; resolves to a function that stops them (gracefully, letting running jobs finish). */
export function startBackgroundWork(): Promise<() => Promise<void>> {
  return startWorkers(offlineAccess);
}
