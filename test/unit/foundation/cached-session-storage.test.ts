import { PGlite } from "@electric-sql/pglite";
import { PrismaClient } from "@prisma/client";
import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { applyMigrations, readMigrations } from "~/database/migrator";
import { pgliteAdapter } from "~/db.server";
import { CachedPrismaSessionStorage, OFFLINE_CACHE_MS } from "~/sessions/cached-session-storage";

// The session storage remembers offline sessions briefly (the app proxy loads one per storefront request), and
// forgets them the moment this process stores or deletes them.

let pglite: PGlite;
let prisma: PrismaClient;
let clock = 0;
let storage: CachedPrismaSessionStorage<PrismaClient>;

beforeAll(async () => {
  pglite = new PGlite("memory://");
  await applyMigrations({ query: async (text, params) => ({ rows: (await pglite.query(text, params)).rows as never[] }), exec: async (script) => void (await pglite.exec(script)) }, await readMigrations("prisma/migrations"));
  prisma = new PrismaClient({ adapter: pgliteAdapter(pglite) });
  storage = new CachedPrismaSessionStorage(prisma, () => clock);
  // Every migration on an in-memory PGlite: past Vitest's 10 s default for a hook on a busy shared machine.
}, 60_000);
afterAll(async () => {
  await prisma.$disconnect();
  await pglite.close();
});

const offline = (token: string) => {
  const session = new Session({ id: "offline_cache.myshopify.com", shop: "cache.myshopify.com", state: "s", isOnline: false });
  session.accessToken = token;
  return session;
};

describe("CachedPrismaSessionStorage", () => {
  test("serves an offline session from memory until it expires; writes in this process clear it", async () => {
    await storage.storeSession(offline("token-1"));
    expect((await storage.loadSession("offline_cache.myshopify.com"))?.accessToken).toBe("token-1");
    // Changed behind its back (another instance): still the remembered one, until the entry expires.
    await prisma.session.update({ where: { id: "offline_cache.myshopify.com" }, data: { accessToken: "token-2" } });
    expect((await storage.loadSession("offline_cache.myshopify.com"))?.accessToken).toBe("token-1");
    clock += OFFLINE_CACHE_MS;
    expect((await storage.loadSession("offline_cache.myshopify.com"))?.accessToken).toBe("token-2");
    await storage.storeSession(offline("token-3"));
    expect((await storage.loadSession("offline_cache.myshopify.com"))?.accessToken).toBe("token-3");
    await storage.deleteSession("offline_cache.myshopify.com");
    expect(await storage.loadSession("offline_cache.myshopify.com")).toBeUndefined();
  });
});
