import { DEMO_ACCESS_TOKEN } from "~/dev-shell/demo-session";
import { createAdminClient } from "~/shopify-admin/client";
import { NoShopifyStoreError } from "~/shopify-admin/errors";
import { unauthenticated } from "~/shopify.server";
import type { AdminAccess } from "./sync-jobs";
import { startWorkers } from "./workers.server";

// Background work of a running server (`npm start`, the demo), started by server/start-server.ts through the
// build's entry module. Admin API access uses the shop's offline session as Shopify's library keeps it: loaded from
// session storage, which refreshes an expiring offline token once across processes (app/sessions/). The client asks
// for the current token before every request, so a job that runs past the token's hour (a backfill's refund details,
// a large publish) goes on with the refreshed one. The demo's shop has no token, only a placeholder: its jobs call no
// Shopify (NoShopifyStoreError), as nothing could answer them.

export class ExpiredTokenError extends Error {
  override name = "ExpiredTokenError";
}

async function offlineToken(shopDomain: string): Promise<string> {
  const { session } = await unauthenticated.admin(shopDomain);
  if (!session.accessToken) throw new Error(`the offline session of ${shopDomain} has no access token`);
  if (session.accessToken === DEMO_ACCESS_TOKEN) throw new NoShopifyStoreError(shopDomain);
  // The refresh failed (logged by the storage): a thrown error lets the queue retry the job later, where Shopify's
  // 401 for an expired token would read as revoked access.
  if (session.isExpired())
    throw new ExpiredTokenError(`the offline token of ${shopDomain} has expired and could not be refreshed yet`);
  return session.accessToken;
}

export const offlineAccess: AdminAccess = {
  async clientFor(shop) {
    await offlineToken(shop.domain);
    return createAdminClient({ shop: shop.domain, accessToken: () => offlineToken(shop.domain) });
  },
};

/** Starts the job workers; resolves to a function that stops them (gracefully, letting running jobs finish). */
export function startBackgroundWork(): Promise<() => Promise<void>> {
  return startWorkers(offlineAccess);
}
