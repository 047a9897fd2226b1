import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createOffer } from "~/offers/store.server";
import { proxyParams, signProxyQuery } from "~/storefront-proxy/sign";
import { API_KEY, API_SECRET, APP_URL, appUnderTest, installTestShop } from "../support/app-under-test";
import { startServerProcess } from "../support/server-process";
import type { ServerProcess } from "../support/server-process";

// Two production servers (`npm start`, each its own process) on one PostgreSQL draw on one rate-limit budget: the
// counters live in the database, so N servers allow the configured rate, not N times it. Both trust one proxy hop
// (CADENCE_TRUSTED_PROXIES=1, as behind Shopify's app proxy): a guest is the address that hop appended, whatever the
// client wrote before it.

const SHOP = "proxy-limit-shared.myshopify.com";
const LIMIT = 30;
const servers: ServerProcess[] = [];

describe("two servers, one budget", () => {
  beforeAll(async () => {
    const app = await appUnderTest();
    const shopId = await installTestShop(app, SHOP);
    const content = { headline: "Hi", ctaLabel: "Shop", ctaUrl: "/" };
    await createOffer(app.prisma, shopId, {
      id: "everyone",
      name: "Everyone",
      audience: { kind: "everyone" },
      content,
      status: "active",
      holdoutPercent: 0,
    });
    await createOffer(app.prisma, shopId, {
      id: "welcome",
      name: "Welcome",
      audience: { kind: "guests" },
      content,
      status: "active",
      priority: 1,
    });
    const env = {
      NODE_ENV: "test",
      DATABASE_URL: process.env.DATABASE_URL!,
      SHOPIFY_API_KEY: API_KEY,
      SHOPIFY_API_SECRET: API_SECRET,
      SHOPIFY_APP_URL: APP_URL,
      CADENCE_PROXY_SHOPPER_PER_MINUTE: String(LIMIT),
      CADENCE_TRUSTED_PROXIES: "1",
    };
    servers.push(...(await Promise.all([startServerProcess(env), startServerProcess(env)])));
  }, 120_000);
  afterAll(() => Promise.all(servers.map((server) => server.stop())));

  const beacon = (server: ServerProcess, customerId: string | null, offer: string, forwardedFor?: string) =>
    fetch(
      `${server.url}/proxy/events?${signProxyQuery(
        [
          ...proxyParams(SHOP, customerId),
          ["type", "exposure"],
          ["offer", offer],
          ["arm", "treatment"],
          ["surface", "block"],
        ],
        API_SECRET,
      )}`,
      {
        method: "POST",
        headers: forwardedFor ? { "X-Forwarded-For": forwardedFor } : {},
      },
    ).then((response) => response.status);

  test("a customer sending 60 beacons, alternating between the servers, gets 30 served in all", async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 2 * LIMIT; index += 1)
      statuses.push(await beacon(servers[index % 2]!, "8001", "everyone"));
    expect(statuses.filter((status) => status === 204)).toHaveLength(LIMIT);
    expect(statuses.slice(LIMIT).every((status) => status === 429)).toBe(true);
    // Each server saw both kinds of answer: neither had a budget of its own.
    for (const parity of [0, 1])
      expect(new Set(statuses.filter((_, index) => index % 2 === parity))).toEqual(new Set([204, 429]));
  });

  test("behind one trusted hop, a guest is the address it appended: prepending others does not buy a new budget", async () => {
    const statuses: number[] = [];
    for (let index = 0; index < LIMIT; index += 1)
      statuses.push(await beacon(servers[index % 2]!, null, "welcome", "198.51.100.1"));
    expect(statuses.every((status) => status === 204)).toBe(true);
    expect(await beacon(servers[0]!, null, "welcome", "198.51.100.1")).toBe(429);
    expect(await beacon(servers[1]!, null, "welcome", "192.0.2.99, 198.51.100.1")).toBe(429);
    expect(await beacon(servers[0]!, null, "welcome", "198.51.100.2")).toBe(204);
  });
});
