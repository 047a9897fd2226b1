import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { ApiVersion, LogSeverity, Session, shopifyApi } from "@shopify/shopify-api";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import pg from "pg";
import { afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { createLogger } from "~/logging/logger";
import { CachedPrismaSessionStorage } from "~/sessions/cached-session-storage";
import { reencryptSessionTokens } from "~/sessions/reencrypt";
import { keyId, TokenCipher } from "~/sessions/token-cipher";
import { customersUpdatedSince } from "~/shopify-admin/operations/customers";
import { proxyParams, signProxyQuery } from "~/storefront-proxy/sign";
import {
  API_KEY,
  API_SECRET,
  APP_URL,
  appUnderTest,
  installTestShop,
  testTokenCipher,
} from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { AdminApiMock } from "../support/shopify-admin-mock";
import { tokenEndpoint } from "../support/shopify-token-endpoint";

// Shopify tokens in the Session table: sealed at rest, plaintext rows from before re-sealed, a key rotation carried
// through, an expiring offline token refreshed once however many processes want it, and a job that outlives its
// token going on with the refreshed one.

const HOUR = 3_600_000;
let app: AppUnderTest;

beforeAll(async () => {
  app = await appUnderTest();
  // Shopify's library fetches through the function its adapter captured when the app was imported; route it through
  // the global fetch, so the test's Shopify (msw) answers the token endpoint as it answers the Admin API.
  setAbstractFetchFunc((input, init) => globalThis.fetch(input, init));
});
afterEach(() => {
  vi.useRealTimers();
});

const offlineId = (shop: string) => `offline_${shop}`;
const storedRow = (shop: string) => app.prisma.session.findUniqueOrThrow({ where: { id: offlineId(shop) } });

async function storeExpiringSession(
  shop: string,
  tokens: { accessToken: string; refreshToken: string },
  expiresInMs: number,
) {
  const session = new Session({ id: offlineId(shop), shop, state: "installed", isOnline: false });
  Object.assign(session, { ...tokens, expires: new Date(Date.now() + expiresInMs), scope: "read_orders" });
  await new CachedPrismaSessionStorage(app.prisma, testTokenCipher()).storeSession(session);
}

describe("tokens at rest", () => {
  test("a plaintext token from before encryption is re-sealed when a signed storefront request loads its session", async () => {
    const shop = "tokens-legacy.myshopify.com";
    await installTestShop(app, shop);
    await app.prisma.session.update({
      where: { id: offlineId(shop) },
      data: { accessToken: "shpat_plaintext_from_before" },
    });

    const query = signProxyQuery(proxyParams(shop, null), API_SECRET);
    const response = await app.handle(new Request(`${APP_URL}/proxy/status?${query}`));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ installed: true });

    const row = await storedRow(shop);
    expect(row.accessToken).toMatch(new RegExp(`^enc1:${testTokenCipher().currentKeyId}:`));
    expect(row.accessToken).not.toContain("plaintext");
    expect(testTokenCipher().open(row.accessToken, { sessionId: row.id, column: "accessToken" })).toEqual({
      token: "shpat_plaintext_from_before",
      stale: false,
    });
  });

  test("rotation: start-up re-seals every row under the new key; then the old key can go", async () => {
    const [oldKey, newKey, lostKey] = [Buffer.alloc(32, 11), Buffer.alloc(32, 12), Buffer.alloc(32, 13)];
    const before = new TokenCipher({ current: oldKey, previous: [] });
    const shops = ["tokens-rotate-a.myshopify.com", "tokens-rotate-b.myshopify.com"];
    for (const shop of shops) {
      const id = offlineId(shop);
      await app.prisma.session.create({
        data: {
          id,
          shop,
          state: "installed",
          isOnline: false,
          accessToken: before.seal(`shpat_${shop}`, { sessionId: id, column: "accessToken" }),
          refreshToken: before.seal(`shprt_${shop}`, { sessionId: id, column: "refreshToken" }),
        },
      });
    }
    const plaintext = "tokens-rotate-plain.myshopify.com";
    await app.prisma.session.create({
      data: {
        id: offlineId(plaintext),
        shop: plaintext,
        state: "installed",
        isOnline: false,
        accessToken: "shpat_plain",
      },
    });
    const lost = "tokens-rotate-lost.myshopify.com";
    await app.prisma.session.create({
      data: {
        id: offlineId(lost),
        shop: lost,
        state: "installed",
        isOnline: false,
        accessToken: new TokenCipher({ current: lostKey, previous: [] }).seal("x", {
          sessionId: offlineId(lost),
          column: "accessToken",
        }),
      },
    });

    // CADENCE_TOKEN_KEY=new, CADENCE_TOKEN_KEY_PREVIOUS=old: the old rows still read, then the start-up pass re-seals them.
    const rotating = new TokenCipher({ current: newKey, previous: [oldKey] });
    expect(
      (await new CachedPrismaSessionStorage(app.prisma, rotating).loadSession(offlineId(shops[0]!)))?.refreshToken,
    ).toBe(`shprt_${shops[0]}`);
    const result = await reencryptSessionTokens(app.prisma, rotating);
    // (Other tests' rows are sealed with the local key, which this rotation does not list either.)
    expect(result.unreadable.filter((id) => id.includes("tokens-rotate"))).toEqual([offlineId(lost)]);
    // The first shop was already re-sealed as it was read; the second and the plaintext row by the pass.
    expect(result.resealed).toBeGreaterThanOrEqual(2);
    expect((await reencryptSessionTokens(app.prisma, rotating)).resealed).toBe(0);

    // The previous key removed: every row it sealed has been re-sealed, so everything still reads.
    const after = new CachedPrismaSessionStorage(app.prisma, new TokenCipher({ current: newKey, previous: [] }));
    for (const shop of [...shops, plaintext]) {
      const row = await storedRow(shop);
      expect(row.accessToken.split(":")[1], shop).toBe(keyId(newKey));
      expect((await after.loadSession(offlineId(shop)))?.accessToken).toBe(
        shop === plaintext ? "shpat_plain" : `shpat_${shop}`,
      );
    }
  });
});

describe("expiring offline tokens", () => {
  // Two processes are two connection pools on one PostgreSQL.
  test("two processes needing a refresh at once make one call to Shopify's token endpoint, and both get its answer", async () => {
    const shop = "tokens-race.myshopify.com";
    await installTestShop(app, shop);
    await storeExpiringSession(shop, { accessToken: "shpat_first", refreshToken: "shprt_first" }, 2 * 60_000);
    const endpoint = tokenEndpoint(
      shop,
      { accessToken: "shpat_first", refreshToken: "shprt_first" },
      { answerAfterMs: 300 },
    );
    const shopify = new AdminApiMock({ shop, accessToken: "shpat_first" }).start();
    shopify.server.use(endpoint.handler);

    const api = shopifyApi({
      apiKey: API_KEY,
      apiSecretKey: API_SECRET,
      apiVersion: ApiVersion.April26,
      scopes: ["read_orders"],
      hostName: new URL(APP_URL).host,
      isEmbeddedApp: true,
      logger: { level: LogSeverity.Error, log: async () => undefined },
    });
    const pools = [1, 2].map(() => new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 }));
    const clients = pools.map((pool) => new PrismaClient({ adapter: new PrismaPg(pool) }));
    try {
      const processes = clients.map(
        (client) =>
          new CachedPrismaSessionStorage(client, testTokenCipher(), {
            refresh: async (domain, refreshToken) =>
              (await api.auth.refreshToken({ shop: domain, refreshToken })).session,
            logger: createLogger("silent"),
          }),
      );
      const sessions = await Promise.all(processes.map((storage) => storage.loadSession(offlineId(shop))));
      expect(endpoint.calls).toEqual(["shprt_first"]);
      expect(sessions.map((session) => session?.accessToken)).toEqual(["shpat_refreshed_1", "shpat_refreshed_1"]);
      const row = await storedRow(shop);
      expect(testTokenCipher().open(row.refreshToken!, { sessionId: row.id, column: "refreshToken" }).token).toBe(
        "shprt_refreshed_1",
      );
      expect(row.expires!.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    } finally {
      shopify.stop();
      await Promise.all(clients.map((client) => client.$disconnect()));
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  test("a job that outlives its token goes on with the refreshed one, page after page", async () => {
    const shop = "tokens-long-job.myshopify.com";
    await installTestShop(app, shop);
    await storeExpiringSession(shop, { accessToken: "shpat_first", refreshToken: "shprt_first" }, HOUR);
    const { offlineAccess } = await import("~/jobs/background.server");
    const pages = 3;
    const shopify = new AdminApiMock({
      shop,
      accessToken: "shpat_first",
      resolvers: {
        CustomersUpdatedSince: (variables) => {
          const page = variables.after ? Number(variables.after) : 0;
          // The job has been running for most of an hour by the time each next page is asked for.
          vi.setSystemTime(Date.now() + 40 * 60_000);
          const nodes = [
            {
              id: `gid://shopify/Customer/${page + 1}`,
              createdAt: "2026-01-01T00:00:00Z",
              updatedAt: "2026-01-02T00:00:00Z",
            },
          ];
          return { customers: { nodes, pageInfo: { hasNextPage: page + 1 < pages, endCursor: String(page + 1) } } };
        },
      },
    }).start();
    // Once Shopify has issued a new access token, this test's Shopify honours only that one.
    const endpoint = tokenEndpoint(
      shop,
      { accessToken: "shpat_first", refreshToken: "shprt_first" },
      { onRefresh: (token) => (shopify.options.accessToken = token) },
    );
    shopify.server.use(endpoint.handler);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    try {
      const client = await offlineAccess.clientFor({ id: "unused", domain: shop, usable: true } as never);
      const ids: string[] = [];
      for await (const customer of customersUpdatedSince(client, "2026-01-01T00:00:00Z")) ids.push(customer.id);
      expect(ids).toHaveLength(pages);
      expect(shopify.calls.map((call) => call.answer)).toEqual(["data", "data", "data"]);
      // Page 2, forty minutes in, still had twenty minutes of its token; page 3, eighty minutes in, took a refreshed one.
      expect(endpoint.calls).toEqual(["shprt_first"]);
      expect(shopify.invalidDocuments).toEqual([]);
    } finally {
      shopify.stop();
    }
  });
});
