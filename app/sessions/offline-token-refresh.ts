import type { PrismaClient } from "@prisma/client";
import type { Session } from "@shopify/shopify-api";

// Expiring offline tokens last an hour and come with a refresh token that Shopify rotates on use. Shopify's library
// refreshes one when it is within 5 minutes of expiry, wherever a session is loaded (webhooks, the app proxy, jobs),
// in every process at once: two instances refreshing together both spend the same refresh token, and whichever
// stores last may keep the pair Shopify has already retired. So Cadence refreshes first, earlier (REFRESH_MARGIN_MS),
// under a row lock on the session: the first instance calls Shopify and stores the new pair in the same
// transaction; an instance that waited on the lock finds the row already refreshed and uses it. The library then
// sees a token with more than its 5 minutes left and leaves it alone.

/** Refresh this long before expiry: earlier than the library's 5 minutes, so its own refresh never runs. */
export const REFRESH_MARGIN_MS = 10 * 60_000;
/** The library's margin (shopify-app-remix ensureOfflineTokenIsNotExpired). */
export const LIBRARY_MARGIN_MS = 5 * 60_000;

/** Exchanges a refresh token for a new session (Shopify's token endpoint, through @shopify/shopify-api). */
export type RefreshOfflineToken = (shop: string, refreshToken: string) => Promise<Session>;

export function needsRefresh(session: Session, now: number): boolean {
  return Boolean(session.refreshToken && session.expires && session.expires.getTime() - REFRESH_MARGIN_MS <= now);
}

export interface LockedSessionRow {
  /** The session as stored now, tokens opened; undefined if it was deleted (uninstalled). */
  read(tx: Transaction): Promise<Session | undefined>;
  /** Stores a refreshed session's tokens, expiry and scope in the same transaction. */
  write(tx: Transaction, session: Session): Promise<void>;
}

export type Transaction = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/**
 * Refreshes the offline session once across processes: takes the row's lock, re-reads it, and calls Shopify only if
 * it still needs a refresh. Holding the lock across the call is the point: it is at most one HTTP round trip per hour
 * per shop, and the other instances are waiting for exactly its answer.
 */
export async function refreshOnceAcrossProcesses(
  prisma: PrismaClient,
  sessionId: string,
  row: LockedSessionRow,
  refresh: RefreshOfflineToken,
  now: () => number,
): Promise<Session | undefined> {
  return prisma.$transaction(
    async (tx) => {
      const locked = await tx.$queryRaw<
        Array<{ id: string }>
      >`SELECT "id" FROM "Session" WHERE "id" = ${sessionId} FOR UPDATE`;
      if (locked.length === 0) return undefined;
      const current = await row.read(tx);
      if (!current || !needsRefresh(current, now())) return current;
      const fresh = await refresh(current.shop, current.refreshToken!);
      await row.write(tx, fresh);
      return fresh;
    },
    // maxWait: waiting for a pooled connection; timeout: the lock wait plus Shopify's answer.
    { maxWait: 30_000, timeout: 60_000 },
  );
}
