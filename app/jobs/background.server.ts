import { DEMO_ACCESS_TOKEN } from "~/dev-shell/demo-session";
import { createAdminClient } from "~/shopify-admin/client";
import { NoShopifyStoreError } from "~/shopify-admin/errors";
import { unauthenticated } from "~/shopify.server";
import type { AdminAccess } from "./sync-jobs";
import { startWorkers } from "./workers.server";

// Background work of a running server (`npm start`, the demo), started by scripts/server/start-server.ts through the
// build's entry module. Admin API access uses the shop's offline session as Shopify's library keeps it: loaded from
// session storage and refreshed when the offline token is about to expire. The demo's shop has no token, only a
// placeholder: its jobs call no Shopify (NoShopifyStoreError), as nothing could answer them.

export const offlineAccess: AdminAccess = {
  async clientFor(shop) {
    const { session } = await unauthenticated.admin(shop.domain);
    if (!session.accessToken) throw new Error(`the offline session of ${shop.domain} has no access token`);
    if (session.accessToken === DEMO_ACCESS_TOKEN) throw new NoShopifyStoreError(shop.domain);
    return createAdminClient({ shop: shop.domain, accessToken: session.accessToken });
  },
};

/** Starts the job workers; resolves to a function that stops them (gracefully, letting running jobs finish). */
export function startBackgroundWork(): Promise<() => Promise<void>> {
  return startWorkers(offlineAccess);
}
