import { getJwt } from "@shopify/shopify-api/test-helpers";
import { beforeAll, describe, expect, test, vi } from "vitest";
import { runFullPass } from "~/recompute/full-pass.server";
import { LOCAL_TOKEN_KEY } from "~/config.server";
import { adminRequest, API_KEY, API_SECRET, APP_URL, appUnderTest, installTestShop } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { seedOrders } from "../support/orders";
import { startServerProcess } from "../support/server-process";
import type { ServerProcess } from "../support/server-process";

// Crafted input to the admin gets a 400 that says what is wrong, and a real failure a page that says only that
// something went wrong: the stack and the SQL go to the log, never to the browser. Through Remix's request handler in
// production mode (as the tests always run it) and through the production server (`npm start`, NODE_ENV=production) over HTTP.

const SHOP = "error-pages.myshopify.com";
const ROUTE = "routes/app.segments.$key";
let app: AppUnderTest;
let segmentPath: string;

beforeAll(async () => {
  app = await appUnderTest();
  const shopId = await installTestShop(app, SHOP);
  await seedOrders(
    app.prisma,
    shopId,
    Array.from({ length: 12 }, (_, index) => ({
      id: String(4000 + index),
      orders: [{ daysAgo: 30 + index, amountMinor: 1000 * (index + 1) }],
    })),
  );
  await runFullPass(app.database, shopId);
  const { lifecycle } = await app.prisma.customerProfile.findFirstOrThrow({ where: { shopId } });
  segmentPath = `/app/segments/${encodeURIComponent(`lifecycle:${lifecycle}`)}`;
}, 60_000);

const cursor = (value: string, customerId = "4001") =>
  Buffer.from(JSON.stringify([value, customerId])).toString("base64url");

/** The page's data, as the admin's client-side navigation asks for it. */
async function dataRequest(query: string): Promise<Request> {
  return adminRequest(`${segmentPath}.data?${query}&_routes=${encodeURIComponent(ROUTE)}`, SHOP);
}

/** The whole page, as Shopify's admin first loads it in its iframe: shop, host and a signed id_token in the URL. */
async function documentRequest(
  query: string,
  base = APP_URL,
  app = { key: API_KEY, secret: API_SECRET },
): Promise<Request> {
  const name = SHOP.replace(".myshopify.com", "");
  const { token } = await getJwt(name, app.key, app.secret);
  const host = Buffer.from(`admin.shopify.com/store/${name}`).toString("base64url");
  // A desktop browser's user agent: Shopify's library answers 410 to what looks like a bot (fetch's own "node").
  const headers = {
    "User-Agent":
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
  };
  return new Request(`${base}${segmentPath}?${query}&embedded=1&shop=${SHOP}&host=${host}&id_token=${token}`, {
    headers,
  });
}

// What must never reach a browser: a stack frame, SQL, the database's or Prisma's words.
const LEAKS = [/\n\s+at /, /\bSELECT\b/i, /CustomerListing/, /prisma/i, /\b22003\b|\b22008\b|\b42P01\b/, /\.ts:\d+/];
function expectNoLeak(text: string) {
  for (const leak of LEAKS) expect(text).not.toMatch(leak);
}

describe("crafted members-table cursors are 400 with a message", () => {
  const MESSAGE =
    "This page position belongs to another sort order, or to no page of this table; start from the first page.";
  test.each([
    ["a spend beyond bigint", "sort=netSpend", cursor("9999999999999999999")],
    ["a date with month 99", "sort=lastOrder", cursor("2026-99-99")],
    ["a 30 February", "sort=lastOrder", cursor("2026-02-30")],
    ["an order count beyond int", "sort=orders", cursor("2147483648")],
    ["a customer ID that is not digits", "sort=netSpend", cursor("1000", "4001' OR 1=1")],
  ])("%s", async (_case, sort, after) => {
    const data = await app.handle(await dataRequest(`${sort}&after=${after}`));
    expect(data.status).toBe(400);
    const dataText = await data.text();
    expect(dataText).toContain(MESSAGE);
    expectNoLeak(dataText);
    const page = await app.handle(await documentRequest(`${sort}&before=${after}`));
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain(MESSAGE);
    expectNoLeak(html);
  });

  test("the cursors the table makes still page", async () => {
    const first = await app.handle(await dataRequest("sort=lastOrder&direction=asc"));
    expect(first.status).toBe(200);
  });
});

describe("a failure is a plain 500 page; its details are logged", () => {
  // The production server as `npm start` runs it (its own process, NODE_ENV=production, so Remix in production
  // mode): production's secrets are not the tests' local ones, so its session token is signed with them, and the
  // shop's stored session, sealed with the tests' key, is read through the rotation setting.
  const PRODUCTION = { key: "error-pages-production-key", secret: "error-pages-production-secret" };

  test("with the members table gone from the database, the page, its data and the server's answer show no stack or SQL", async () => {
    const logged: unknown[][] = [];
    vi.mocked(console.error).mockImplementation((...args: unknown[]) => void logged.push(args));
    let server: ServerProcess | undefined;
    await app.prisma.$executeRawUnsafe(`ALTER TABLE "CustomerListing" RENAME TO "CustomerListingAway"`);
    try {
      const data = await app.handle(await dataRequest("sort=netSpend"));
      expect(data.status).toBe(500);
      expectNoLeak(await data.text());
      const page = await app.handle(await documentRequest("sort=netSpend"));
      expect(page.status).toBe(500);
      const html = await page.text();
      expect(html).toContain("Something went wrong on our side");
      expectNoLeak(html);
      server = await startServerProcess({
        NODE_ENV: "production",
        SHOPIFY_API_KEY: PRODUCTION.key,
        SHOPIFY_API_SECRET: PRODUCTION.secret,
        SHOPIFY_APP_URL: APP_URL,
        CADENCE_TOKEN_KEY: Buffer.alloc(32, 7).toString("base64"),
        CADENCE_TOKEN_KEY_PREVIOUS: LOCAL_TOKEN_KEY,
        CADENCE_LOG_LEVEL: "error",
      });
      const overHttp = await fetch(await documentRequest("sort=netSpend", server.url, PRODUCTION));
      expect(overHttp.status).toBe(500);
      const served = await overHttp.text();
      expect(served).toContain("Something went wrong on our side");
      expectNoLeak(served);
      // The production server's operator gets the story in its log.
      expect(server.output()).toMatch(/CustomerListing/);
    } finally {
      await server?.stop();
      await app.prisma.$executeRawUnsafe(`ALTER TABLE "CustomerListingAway" RENAME TO "CustomerListing"`);
    }
    // The operator still gets the story, in the log: PostgreSQL names the missing table.
    expect(logged.map((args) => args.map(String).join(" ")).join("\n")).toMatch(/CustomerListing/);
  }, 120_000);
});
