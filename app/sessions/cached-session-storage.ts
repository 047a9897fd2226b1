import type { PrismaClient } from "@prisma/client";
import type { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";

// Shopify's Prisma session storage with a few seconds of memory for offline sessions. Every storefront request
// through the app proxy loads the shop's offline session (authenticate.public.appProxy), and that one query was
// the largest share of a beacon's cost (bench/storefront.ts). Writes and deletes in this process clear the entry
// at once; another instance's token refresh is seen within OFFLINE_CACHE_MS, while the previous token is still
// valid. Online (per-user) sessions are never cached.

export const OFFLINE_CACHE_MS = 5_000;

export class CachedPrismaSessionStorage<T extends PrismaClient> extends PrismaSessionStorage<T> {
  private readonly cache = new Map<string, { at: number; session: Session | undefined }>();

  constructor(
    prisma: T,
    private readonly now: () => number = Date.now,
  ) {
    super(prisma);
  }

  override async loadSession(id: string): Promise<Session | undefined> {
    if (!id.startsWith("offline_")) return super.loadSession(id);
    const cached = this.cache.get(id);
    if (cached && this.now() - cached.at < OFFLINE_CACHE_MS) return cached.session;
    const session = await super.loadSession(id);
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
}
