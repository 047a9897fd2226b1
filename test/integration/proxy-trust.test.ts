import { beforeAll, describe, expect, test } from "vitest";
import { createOffer } from "~/offers/store.server";
import { proxyParams, signProxyQuery } from "~/storefront-proxy/sign";
import { API_SECRET, APP_URL, appUnderTest, installTestShop } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";

// Who a storefront request comes from, for its rate limit, and the one trust boundary every app-proxy route goes
// through. By default no proxy is trusted (CADENCE_TRUSTED_PROXIES unset): a guest is the connection's address, and
// X-Forwarded-For, which anyone can write, changes nothing. Trusting Shopify's proxy is tested over HTTP with two
// servers in proxy-limit-shared.test.ts.

// A per-shopper limit a test can reach; read when the build first loads its configuration.
process.env.CADENCE_PROXY_SHOPPER_PER_MINUTE = "40";
const LIMIT = 40;

const SHOP = "proxy-trust.myshopify.com";
let app: AppUnderTest;

beforeAll(async () => {
  app = await appUnderTest();
  const shopId = await installTestShop(app, SHOP);
  await createOffer(app.prisma, shopId, {
    id: "welcome",
    name: "Welcome",
    audience: { kind: "guests" },
    content: { headline: "Hi", ctaLabel: "Shop", ctaUrl: "/" },
    status: "active",
  });
});

const signed = (path: string, pairs: Array<[string, string]>, init: RequestInit = {}) =>
  new Request(`${APP_URL}/proxy/${path}?${signProxyQuery(pairs, API_SECRET)}`, init);
const guestBeacon = (headers: Record<string, string> = {}) =>
  signed(
    "events",
    [
      ...proxyParams(SHOP, null),
      ["type", "exposure"],
      ["offer", "welcome"],
      ["arm", "treatment"],
      ["surface", "block"],
    ],
    { method: "POST", headers },
  );
const connection = (socketAddress: string) => ({ socketAddress });

describe("guests are keyed on the connection, not on X-Forwarded-For", () => {
  test("130 beacons with a different X-Forwarded-For each, from one connection address: 40 are served, the rest get 429", async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 130; index += 1) {
      const response = await app.handle(
        guestBeacon({ "X-Forwarded-For": `10.${index >> 8}.${index & 255}.1` }),
        connection("203.0.113.7"),
      );
      statuses.push(response.status);
    }
    expect(statuses.filter((status) => status === 204)).toHaveLength(LIMIT);
    expect(statuses.slice(LIMIT).every((status) => status === 429)).toBe(true);
  });

  test("another address is another guest, with a budget of its own", async () => {
    expect(
      (await app.handle(guestBeacon({ "X-Forwarded-For": "203.0.113.7" }), connection("203.0.113.8"))).status,
    ).toBe(204);
  });
});

describe("/proxy/status goes through the same trust boundary as every app-proxy route", () => {
  const status = (customerId: string | null, extra: Array<[string, string]> = [], init: RequestInit = {}) =>
    signed("status", [...proxyParams(SHOP, customerId), ...extra], init);

  test("it answers a signed request", async () => {
    const response = await app.handle(status("7001"), connection("203.0.113.9"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ installed: true, shopper: "customer" });
  });

  test("it is rate-limited: 200 requests from one shopper, 40 answered, then 429 with Retry-After", async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let index = 0; index < 200; index += 1) {
      const response = await app.handle(status("7002"), connection("203.0.113.9"));
      statuses.push(response.status);
      if (response.status === 429) retryAfter ??= response.headers.get("retry-after");
    }
    expect(statuses.filter((code) => code === 200)).toHaveLength(LIMIT);
    expect(statuses.slice(LIMIT).every((code) => code === 429)).toBe(true);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  test("repeated parameters, a declared body, a bad signature and an unknown shop are refused", async () => {
    const cases: Array<[Request, number, RegExp]> = [
      [status("7003", [["logged_in_customer_id", "7004"]]), 400, /appears more than once/],
      [
        status("7003", [
          ["x", "1"],
          ["x", "2"],
        ]),
        400,
        /Parameter "x" appears more than once/,
      ],
      [status("7003", [], { headers: { "Content-Length": "10" } }), 413, /Request bodies are not accepted/],
      [
        new Request(`${APP_URL}/proxy/status?${signProxyQuery(proxyParams(SHOP, "7003"), "not-the-secret")}`),
        400,
        /signature/,
      ],
      [signed("status", proxyParams("not-installed.myshopify.com", "7003")), 404, /not installed/],
    ];
    for (const [request, code, message] of cases) {
      const response = await app.handle(request, connection("203.0.113.10"));
      expect([request.url, response.status]).toEqual([request.url, code]);
      expect(await response.text()).toMatch(message);
    }
  });
});
