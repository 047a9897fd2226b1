import type { PrismaClient } from "@prisma/client";
import type { Session } from "@shopify/shopify-api";
import { logger as sharedLogger } from "~/logging/logger";
import type { Logger } from "~/logging/logger";
import { EncryptedPrismaSessionStorage, withTokens } from "./encrypted-session-storage";
import { LIBRARY_MARGIN_MS, needsRefresh, refreshOnceAcrossProcesses } from "./offline-token-refresh";
import type { LockedSessionRow, RefreshOfflineToken } from "./offline-token-refresh";
import type { TokenCipher } from "./token-cipher";

// Cadence's session storage: Shopify's Prisma storage with tokens sealed at rest (encrypted-session-storage.ts), a few
// seconds of memory for offline sessions, and the offline token refreshed once across processes
// (offline-token-refresh.ts) before Shopify's library would refresh it in every process.
//
// The memory: every storefront request through the app proxy loads the shop's offline session
// (authenticate.public.appProxy), and that one query was the largest share of a beacon's cost (bench/storefront.ts).
// Writes and deletes in this process clear the entry at once; another instance's token refresh is seen within
// OFFLINE_CACHE_MS, while the previous token is still valid. Online (per-user) sessions are never cached.

export const OFFLINE_CACHE_MS = 5_000;

export interface SessionStorageOptions {
  now?: () => number;
  /** Shopify's token endpoint; without it (the CLI, the demo) offline tokens are never refreshed here. */
  refresh?: RefreshOfflineToken;
  logger?: Logger;
}

export class CachedPrismaSessionStorage<T extends PrismaClient> extends EncryptedPrismaSessionStorage<T> {
  private readonly cache = new Map<string, { at: number; session: Session | undefined }>();
  /** One refresh per session at a time in this process; other processes wait on the row lock instead. */
  private readonly refreshing = new Map<string, Promise<Session | undefined>>();
  private readonly now: () => number;

  constructor(
    prisma: T,
    cipher: TokenCipher,
    private readonly options: SessionStorageOptions = {},
  ) {
    super(prisma, cipher);
    this.now = options.now ?? (() => Date.now());
  }

  override async loadSession(id: string): Promise<Session | undefined> {
    if (!id.startsWith("offline_")) return super.loadSession(id);
    const cached = this.cache.get(id);
    let session = cached && this.now() - cached.at < OFFLINE_CACHE_MS ? cached.session : await super.loadSession(id);
    if (session && this.options.refresh && needsRefresh(session, this.now())) {
      const refreshed = await this.refreshOffline(session);
      // Not remembered when the refresh failed: the next load tries again.
      if (refreshed === null) return withTokens(session, { accessToken: session.accessToken, refreshToken: undefined });
      session = refreshed;
    }
    this.cache.set(id, { at: this.now(), session });
    return session;
  }

  override async storeSession(session: Session): Promise<boolean> {
    this.cache.delete(session.id);
    const stored = await super.storeSession(session);
    this.cache.delete(session.id);
    return stored;
  }

  override async deleteSession(id: string): Promise<boolean> {
    this.cache.delete(id);
    return super.deleteSession(id);
  }

  override async deleteSessions(ids: string[]): Promise<boolean> {
    for (const id of ids) this.cache.delete(id);
    return super.deleteSessions(ids);
  }

  /**
   * The refreshed session, or null when Shopify could not be reached or refused. The caller then gets the current
   * token without its refresh token, so the library does not try a refresh of its own outside the lock: a webhook or
   * a storefront request needs no Admin API and goes on, and a job finds its token expired and is retried.
   */
  private async refreshOffline(session: Session): Promise<Session | undefined | null> {
    let running = this.refreshing.get(session.id);
    if (!running) {
      running = refreshOnceAcrossProcesses(
        this.client,
        session.id,
        this.lockedRow(session),
        this.options.refresh!,
        this.now,
      ).finally(() => this.refreshing.delete(session.id));
      this.refreshing.set(session.id, running);
    }
    try {
      return await running;
    } catch (error) {
      const log = this.options.logger ?? sharedLogger();
      const left = session.expires ? session.expires.getTime() - this.now() : 0;
      log.error("offline token refresh failed", {
        shop: session.shop,
        reason: error instanceof Error ? error.message : String(error),
        msLeft: left,
      });
      // Still good past the library's own margin: the library leaves it alone, so it can be used as it is.
      return left > LIBRARY_MARGIN_MS ? session : null;
    }
  }

  private lockedRow(session: Session): LockedSessionRow {
    return {
      read: async (tx) => {
        const row = await tx.session.findUnique({
          where: { id: session.id },
          select: { accessToken: true, refreshToken: true, expires: true, refreshTokenExpires: true, scope: true },
        });
        if (!row) return undefined;
        const { tokens } = this.open(session.id, {
          accessToken: row.accessToken || undefined,
          refreshToken: row.refreshToken ?? undefined,
        });
        return withTokens(session, {
          ...tokens,
          expires: row.expires ?? undefined,
          refreshTokenExpires: row.refreshTokenExpires ?? undefined,
          scope: row.scope ?? undefined,
        });
      },
      write: async (tx, fresh) => {
        const sealed = this.seal(session.id, fresh);
        await tx.session.update({
          where: { id: session.id },
          data: {
            accessToken: sealed.accessToken ?? "",
            refreshToken: sealed.refreshToken ?? null,
            expires: fresh.expires ?? null,
            refreshTokenExpires: fresh.refreshTokenExpires ?? null,
            ...(fresh.scope ? { scope: fresh.scope } : {}),
          },
        });
      },
    };
  }
}
