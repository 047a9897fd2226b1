import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CachedPrismaSessionStorage, OFFLINE_CACHE_MS } from "~/sessions/cached-session-storage";
import { databaseUrl, recreateDatabase, TEMPLATE_DATABASE, withAdminClient } from "../support/postgres";

// The session storage remembers offline sessions briefly (the app proxy loads one per storefront request), and
// forgets them the moment this process stores or deletes them.

const DATABASE = `cadence_sessions_${process.pid}`;
let prisma: PrismaClient;
let clock = 0;
let storage: CachedPrismaSessionStorage<PrismaClient>;

beforeAll(async () => {
  await withAdminClient((admin) => recreateDatabase(admin, DATABASE, TEMPLATE_DATABASE));
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl(DATABASE) }) });
  storage = new CachedPrismaSessionStorage(prisma, () => clock);
});
afterAll(async () => {
  await prisma.$disconnect();
  await withAdminClient((admin) => admin.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`));
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
