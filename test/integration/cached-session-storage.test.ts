import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { LOCAL_TOKEN_KEY } from "~/config.server";
import { createLogger } from "~/logging/logger";
import { CachedPrismaSessionStorage, OFFLINE_CACHE_MS } from "~/sessions/cached-session-storage";
import { REFRESH_MARGIN_MS } from "~/sessions/offline-token-refresh";
import { TokenCipher } from "~/sessions/token-cipher";
import { databaseUrl, recreateDatabase, TEMPLATE_DATABASE, withAdminClient } from "../support/postgres";

// The session storage: tokens sealed at rest (plaintext rows from before are read and re-sealed), offline sessions
// remembered briefly (the app proxy loads one per storefront request) and forgotten the moment this process stores or
// deletes them, and an expiring offline token refreshed before Shopify's library would.

const DATABASE = `cadence_sessions_${process.pid}`;
const ID = "offline_cache.myshopify.com";
const HOUR = 3_600_000;
let prisma: PrismaClient;
let clock = 1_800_000_000_000;
const cipher = new TokenCipher({ current: Buffer.from(LOCAL_TOKEN_KEY, "base64"), previous: [] });
const refreshCalls: string[] = [];
let refreshAnswer: (shop: string, refreshToken: string) => Promise<Session>;
let storage: CachedPrismaSessionStorage<PrismaClient>;

beforeAll(async () => {
  await withAdminClient((admin) => recreateDatabase(admin, DATABASE, TEMPLATE_DATABASE));
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl(DATABASE) }) });
}, 60_000);
beforeEach(async () => {
  await prisma.session.deleteMany();
  refreshCalls.length = 0;
  refreshAnswer = async (shop, refreshToken) =>
    offline(`access-after-${refreshToken}`, {
      refreshToken: `refresh-after-${refreshToken}`,
      expires: clock + HOUR,
      shop,
    });
  storage = new CachedPrismaSessionStorage(prisma, cipher, {
    now: () => clock,
    refresh: (shop, refreshToken) => {
      refreshCalls.push(refreshToken);
      return refreshAnswer(shop, refreshToken);
    },
    logger: createLogger("silent"),
  });
});
afterAll(async () => {
  await prisma.$disconnect();
  await withAdminClient((admin) => admin.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`));
});

function offline(token: string, extra: { refreshToken?: string; expires?: number; shop?: string } = {}): Session {
  const session = new Session({ id: ID, shop: extra.shop ?? "cache.myshopify.com", state: "s", isOnline: false });
  session.accessToken = token;
  if (extra.refreshToken) session.refreshToken = extra.refreshToken;
  if (extra.expires) session.expires = new Date(extra.expires);
  return session;
}

const row = () => prisma.session.findUniqueOrThrow({ where: { id: ID } });

describe("tokens at rest", () => {
  test("access and refresh tokens are stored sealed and read back as they were", async () => {
    await storage.storeSession(
      offline("shpat_secret_access", { refreshToken: "shprt_secret_refresh", expires: clock + HOUR }),
    );
    const stored = await row();
    for (const value of [stored.accessToken, stored.refreshToken!]) {
      expect(value).toMatch(new RegExp(`^enc1:${cipher.currentKeyId}:`));
      expect(value).not.toContain("secret");
    }
    const loaded = await storage.loadSession(ID);
    expect(loaded).toMatchObject({ accessToken: "shpat_secret_access", refreshToken: "shprt_secret_refresh" });
    expect((await storage.findSessionsByShop("cache.myshopify.com")).map((session) => session.accessToken)).toEqual([
      "shpat_secret_access",
    ]);
  });

  test("a plaintext row from before encryption is read, then re-sealed in place", async () => {
    await prisma.session.create({
      data: {
        id: ID,
        shop: "cache.myshopify.com",
        state: "s",
        isOnline: false,
        accessToken: "shpat_legacy",
        refreshToken: "shprt_legacy",
      },
    });
    expect(await storage.loadSession(ID)).toMatchObject({ accessToken: "shpat_legacy", refreshToken: "shprt_legacy" });
    const stored = await row();
    expect(stored.accessToken).toMatch(/^enc1:/);
    expect(stored.refreshToken).toMatch(/^enc1:/);
    expect(cipher.open(stored.accessToken, { sessionId: ID, column: "accessToken" })).toEqual({
      token: "shpat_legacy",
      stale: false,
    });
  });
});

describe("the offline cache", () => {
  test("serves an offline session from memory until it expires; writes in this process clear it", async () => {
    await storage.storeSession(offline("token-1"));
    expect((await storage.loadSession(ID))?.accessToken).toBe("token-1");
    // Changed behind its back (another instance): still the remembered one, until the entry expires.
    await prisma.session.update({
      where: { id: ID },
      data: { accessToken: cipher.seal("token-2", { sessionId: ID, column: "accessToken" }) },
    });
    expect((await storage.loadSession(ID))?.accessToken).toBe("token-1");
    clock += OFFLINE_CACHE_MS;
    expect((await storage.loadSession(ID))?.accessToken).toBe("token-2");
    await storage.storeSession(offline("token-3"));
    expect((await storage.loadSession(ID))?.accessToken).toBe("token-3");
    await storage.deleteSession(ID);
    expect(await storage.loadSession(ID)).toBeUndefined();
  });
});

describe("expiring offline tokens", () => {
  test("a token with more than the margin left is used as it is; within it, refreshed once and stored sealed", async () => {
    await storage.storeSession(offline("access-1", { refreshToken: "refresh-1", expires: clock + HOUR }));
    expect((await storage.loadSession(ID))?.accessToken).toBe("access-1");
    expect(refreshCalls).toEqual([]);

    clock += HOUR - REFRESH_MARGIN_MS + 1;
    const [a, b] = await Promise.all([storage.loadSession(ID), storage.loadSession(ID)]);
    expect(refreshCalls).toEqual(["refresh-1"]);
    expect([a?.accessToken, b?.accessToken]).toEqual(["access-after-refresh-1", "access-after-refresh-1"]);
    const stored = await row();
    expect(cipher.open(stored.refreshToken!, { sessionId: ID, column: "refreshToken" }).token).toBe(
      "refresh-after-refresh-1",
    );
    expect(stored.expires?.getTime()).toBe(clock + HOUR);
  });

  test("a failed refresh keeps a still-valid token; an expired one comes back without its refresh token", async () => {
    refreshAnswer = () => Promise.reject(new Error("Shopify is unreachable"));
    await storage.storeSession(
      offline("access-1", { refreshToken: "refresh-1", expires: clock + REFRESH_MARGIN_MS - 1 }),
    );
    expect(await storage.loadSession(ID)).toMatchObject({ accessToken: "access-1", refreshToken: "refresh-1" });
    clock += REFRESH_MARGIN_MS;
    const expired = await storage.loadSession(ID);
    // Without a refresh token Shopify's library does not try a refresh of its own, outside the row lock.
    expect(expired).toMatchObject({ accessToken: "access-1", refreshToken: undefined });
    // Nothing was overwritten, and the next load tries again.
    expect(cipher.open((await row()).refreshToken!, { sessionId: ID, column: "refreshToken" }).token).toBe("refresh-1");
    await storage.loadSession(ID);
    expect(refreshCalls).toEqual(["refresh-1", "refresh-1", "refresh-1"]);
  });
});
