import { beforeAll, describe, expect, test } from "vitest";
import { mintCustomerAccountToken } from "~/dev-shell/session-token";
import { API_KEY, API_SECRET, APP_URL, appUnderTest, installTestShop } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";

// POST /customer-account/preferences: the customer account block's opt-out control, through the real request handler
// and Shopify's authenticate.public.customerAccount. A session token signed with the app's secret naming the shop and
// the customer stores the choice (queued for publishing, as the storefront's control does); anything else is refused
// with a status and a reason, and changes nothing.

const SHOP = "account-preferences.myshopify.com";
const CUSTOMER = "7340105220198";
const DESKTOP =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
let app: AppUnderTest;
let shopId: string;

const token = (overrides: Partial<Parameters<typeof mintCustomerAccountToken>[0]> = {}) =>
  mintCustomerAccountToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, customerId: CUSTOMER, ...overrides });

async function post(query: string, bearer: string | null, init: RequestInit = {}) {
  const headers = new Headers({
    "User-Agent": DESKTOP,
    Origin: "https://extensions.shopifycdn.com",
    ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}),
  });
  const response = await app.handle(
    new Request(`${APP_URL}/customer-account/preferences${query}`, { method: "POST", headers, ...init }),
  );
  return {
    status: response.status,
    body: await response.text(),
    cors: response.headers.get("access-control-allow-origin"),
  };
}

const optOut = () =>
  app.prisma.shopperOptOut.findUnique({ where: { shopId_customerShopifyId: { shopId, customerShopifyId: CUSTOMER } } });

beforeAll(async () => {
  app = await appUnderTest();
  shopId = await installTestShop(app, SHOP);
});

describe("a signed request from the block", () => {
  test("stops personalised offers for the customer the token names, queues them for publishing, and answers with CORS headers", async () => {
    const answer = await post("?personalised=0", await token());
    expect(answer).toMatchObject({ status: 200, cors: "*" });
    expect(JSON.parse(answer.body)).toEqual({ personalised: false });
    expect(await optOut()).toMatchObject({ optedOut: true });
    expect(
      await app.prisma.publishQueueItem.findUnique({
        where: { shopId_customerShopifyId: { shopId, customerShopifyId: CUSTOMER } },
      }),
    ).toMatchObject({ reason: "opt_out" });
  });

  test("turns them back on", async () => {
    expect((await post("?personalised=1", await token())).status).toBe(200);
    expect(await optOut()).toMatchObject({ optedOut: false });
  });

  test("the CORS preflight is answered", async () => {
    const response = await app.handle(
      new Request(`${APP_URL}/customer-account/preferences?personalised=0`, {
        method: "OPTIONS",
        headers: {
          "User-Agent": DESKTOP,
          Origin: "https://extensions.shopifycdn.com",
          "Access-Control-Request-Method": "POST",
          "Access-Control-Request-Headers": "authorization",
        },
      }),
    );
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
  });
});

describe("refusals change nothing", () => {
  test.each([
    ["no token", 401, "?personalised=0", () => Promise.resolve(null)],
    ["a token signed with another secret", 401, "?personalised=0", () => token({ apiSecret: "not-the-app-secret" })],
    ["an expired token", 401, "?personalised=0", () => token({ now: new Date(Date.now() - 3_600_000) })],
    ["a token for another app", 401, "?personalised=0", () => token({ apiKey: "another-app" })],
    ["a visitor who is not logged in", 403, "?personalised=0", () => token({ customerId: null })],
    ["a shop Cadence is not installed on", 404, "?personalised=0", () => token({ shop: "elsewhere.myshopify.com" })],
    ["no choice", 422, "", () => token()],
    ["a choice that is not 0 or 1", 422, "?personalised=maybe", () => token()],
    ["the choice twice", 422, "?personalised=0&personalised=1", () => token()],
    ["another parameter", 422, "?personalised=0&customer=1", () => token()],
  ] as const)("%s → %i", async (_name, status, query, bearer) => {
    const before = await optOut();
    const answer = await post(query, await bearer());
    expect(answer.status).toBe(status);
    if (status !== 401) expect(answer.body).not.toBe("");
    expect(await optOut()).toEqual(before);
  });

  test("a body is refused unread (the choice travels in the query only)", async () => {
    const before = await optOut();
    const answer = await post("?personalised=0", await token(), { body: "personalised=0" });
    expect(answer).toMatchObject({ status: 413, body: expect.stringMatching(/bodies are not accepted/) });
    expect(await optOut()).toEqual(before);
  });

  test("a GET is refused", async () => {
    const response = await app.handle(
      new Request(`${APP_URL}/customer-account/preferences?personalised=0`, { headers: { "User-Agent": DESKTOP } }),
    );
    expect(response.status).toBe(405);
  });
});
