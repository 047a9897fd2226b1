import { beforeAll, describe, expect, test } from "vitest";
import { createOffer } from "~/offers/store.server";
import { proxyParams, signProxyQuery } from "~/storefront-proxy/sign";
import { API_SECRET, APP_URL, appUnderTest, installTestShop } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";

// The storefront's /apps/cadence routes through the real request handler: Shopify's signature checked by
// authenticate.public.appProxy, then Cadence's own rules (each parameter once, no body, shop scoping, rate limit).

// A low per-shopper limit so the limiter can be reached in a test; read when the build first loads its config.
process.env.CADENCE_PROXY_SHOPPER_PER_MINUTE = "40";

const SHOP = "proxy-shop.myshopify.com";
const OTHER = "other-shop.myshopify.com";
let app: AppUnderTest;
let shopId: string;
let otherId: string;

const content = { headline: "Welcome back", ctaLabel: "Shop", ctaUrl: "/collections/all" };

beforeAll(async () => {
  app = await appUnderTest();
  await installTestShop(app, SHOP);
  await installTestShop(app, OTHER);
  shopId = (await app.prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).id;
  otherId = (await app.prisma.shop.findUniqueOrThrow({ where: { domain: OTHER } })).id;
  await createOffer(app.prisma, shopId, {
    id: "everyone-10",
    name: "Everyone",
    audience: { kind: "everyone" },
    content,
    status: "active",
    holdoutPercent: 0,
  });
  await createOffer(app.prisma, shopId, {
    id: "guests",
    name: "Guests",
    audience: { kind: "guests" },
    content: { ...content, headline: "Hello visitor" },
    status: "active",
    priority: 5,
  });
  await createOffer(app.prisma, shopId, { id: "draft", name: "Draft", audience: { kind: "everyone" }, content });
  await createOffer(app.prisma, otherId, {
    id: "theirs",
    name: "Theirs",
    audience: { kind: "everyone" },
    content,
    status: "active",
  });
});

type Pairs = Array<[string, string]>;

function proxyRequest(path: string, pairs: Pairs, init: RequestInit & { secret?: string } = {}): Request {
  const { secret, ...rest } = init;
  return new Request(`${APP_URL}/proxy/${path}?${signProxyQuery(pairs, secret ?? API_SECRET)}`, {
    method: "POST",
    ...rest,
  });
}

// The beacon's own parameters, as assets/cadence-offers.js sends them; `changes` replaces values, `extra` appends.
const beacon = (changes: Record<string, string> = {}, extra: Pairs = []): Pairs => [
  ...Object.entries({ type: "exposure", offer: "everyone-10", arm: "treatment", surface: "block", ...changes }),
  ...extra,
];

async function events(where: { customerShopifyId?: string | null; offerId?: string } = {}) {
  return app.prisma.offerEvent.findMany({ where: { shopId, ...where }, orderBy: { id: "asc" } });
}

describe("exposure and click beacons", () => {
  test("a signed beacon from a logged-in customer is stored once, with its arm and surface; a retry is not stored again", async () => {
    const request = () => proxyRequest("events", [...proxyParams(SHOP, "5001"), ...beacon()]);
    const first = request();
    const response = await app.handle(first);
    expect(response.status).toBe(204);
    expect(await app.handle(new Request(first.url, { method: "POST" }))).toHaveProperty("status", 204);
    const rows = await events({ customerShopifyId: "5001" });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ offerId: "everyone-10", type: "exposure", arm: "treatment", surface: "block" });
    const click = await app.handle(
      proxyRequest("events", [...proxyParams(SHOP, "5001"), ...beacon({ type: "click", surface: "banner" })]),
    );
    expect(click.status).toBe(204);
    expect((await events({ customerShopifyId: "5001" })).map((row) => row.type)).toEqual(["exposure", "click"]);
  });

  test("a guest's beacon is counted without a customer", async () => {
    const response = await app.handle(
      proxyRequest("events", [...proxyParams(SHOP, null), ...beacon({ offer: "guests" })]),
    );
    expect(response.status).toBe(204);
    const rows = await events({ offerId: "guests" });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.customerShopifyId).toBeNull();
  });

  test("beacons Cadence would not send are refused with 422 and store nothing", async () => {
    const before = (await events()).length;
    const cases: Array<[Pairs, RegExp]> = [
      [
        [
          ...proxyParams(SHOP, "5002"),
          ["type", "purchase"],
          ["offer", "everyone-10"],
          ["arm", "treatment"],
          ["surface", "block"],
        ],
        /type/,
      ],
      [[...proxyParams(SHOP, "5002"), ...beacon({}, [["extra", "1"]])], /extra/],
      [
        [
          ...proxyParams(SHOP, null),
          ["type", "exposure"],
          ["offer", "guests"],
          ["arm", "holdout"],
          ["surface", "block"],
        ],
        /arm "holdout" is not this shopper's arm/,
      ],
      [
        [
          ...proxyParams(SHOP, "5002"),
          ["type", "exposure"],
          ["offer", "draft"],
          ["arm", "treatment"],
          ["surface", "block"],
        ],
        /offer "draft" is not the offer this shopper is shown/,
      ],
      [
        [
          ...proxyParams(SHOP, "5002"),
          ["type", "exposure"],
          ["offer", "theirs"],
          ["arm", "treatment"],
          ["surface", "block"],
        ],
        /offer "theirs" is not the offer this shopper is shown/,
      ],
    ];
    for (const [pairs, message] of cases) {
      const response = await app.handle(proxyRequest("events", pairs));
      expect(response.status).toBe(422);
      expect(await response.text()).toMatch(message);
    }
    expect(await events()).toHaveLength(before);
  });
});

describe("refused before anything is read", () => {
  test("a bad signature, an old timestamp, another shop's signature, repeated parameters and bodies", async () => {
    const before = (await events()).length;
    const old = proxyParams(SHOP, "5003", Math.floor(Date.now() / 1000) - 91);
    const forShop = proxyRequest("events", [...proxyParams(SHOP, "5003"), ...beacon()]).url;
    const cases: Array<[Request, number, RegExp]> = [
      [
        proxyRequest("events", [...proxyParams(SHOP, "5003"), ...beacon()], { secret: "not-the-secret" }),
        400,
        /signature is missing, invalid or expired/,
      ],
      [proxyRequest("events", [...old, ...beacon()]), 400, /older than 90 s/],
      [
        new Request(forShop.replace(`shop=${encodeURIComponent(SHOP)}`, `shop=${encodeURIComponent(OTHER)}`), {
          method: "POST",
        }),
        400,
        /signature/,
      ],
      [
        proxyRequest("events", [...proxyParams(SHOP, "5003"), ...beacon({}, [["offer", "theirs"]])]),
        400,
        /Parameter "offer" appears more than once/,
      ],
      [
        proxyRequest("events", [...proxyParams(SHOP, "5003"), ["logged_in_customer_id", "5004"], ...beacon()]),
        400,
        /"logged_in_customer_id" appears more than once/,
      ],
      [proxyRequest("events", [...proxyParams(SHOP, "5003"), ["shop", SHOP], ...beacon()]), 400, /signature/],
      [
        proxyRequest("events", [...proxyParams(SHOP, "5003"), ...beacon()], { body: "type=click&offer=theirs" }),
        413,
        /Request bodies are not accepted/,
      ],
      [proxyRequest("events", [...proxyParams(SHOP, "5003"), ...beacon()], { method: "GET" }), 405, /Use POST/],
      [
        proxyRequest("events", [...proxyParams("not-installed.myshopify.com", "5003"), ...beacon()]),
        404,
        /not installed/,
      ],
    ];
    for (const [request, status, message] of cases) {
      const response = await app.handle(request);
      expect([request.url, response.status]).toEqual([request.url, status]);
      expect(await response.text()).toMatch(message);
    }
    expect(await events()).toHaveLength(before);
  });

  test("one shopper sending too many requests gets 429 with Retry-After; others are unaffected", async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 42; index += 1) {
      const response = await app.handle(
        proxyRequest("events", [...proxyParams(SHOP, "5999"), ...beacon({ surface: index % 2 ? "banner" : "block" })]),
      );
      statuses.push(response.status);
      if (response.status === 429) expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect(statuses.slice(0, 40).every((status) => status === 204)).toBe(true);
    expect(statuses.slice(40)).toEqual([429, 429]);
    expect((await app.handle(proxyRequest("events", [...proxyParams(SHOP, "5998"), ...beacon()]))).status).toBe(204);
  });
});

describe("opt-out and opt back in", () => {
  test("stores the choice, queues the customer for publishing, and the offer endpoint follows", async () => {
    const json = { headers: { Accept: "application/json" } };
    const optOut = await app.handle(
      proxyRequest("preferences", [...proxyParams(SHOP, "6001"), ["personalised", "0"]], json),
    );
    expect(optOut.status).toBe(200);
    expect(await optOut.json()).toEqual({ personalised: false });
    expect(
      await app.prisma.shopperOptOut.findUnique({
        where: { shopId_customerShopifyId: { shopId, customerShopifyId: "6001" } },
      }),
    ).toMatchObject({ optedOut: true });
    expect(
      await app.prisma.publishQueueItem.findUnique({
        where: { shopId_customerShopifyId: { shopId, customerShopifyId: "6001" } },
      }),
    ).toMatchObject({ reason: "opt_out" });
    const whileOut = await app.handle(proxyRequest("offer", proxyParams(SHOP, "6001"), { method: "GET" }));
    expect(await whileOut.json()).toEqual({ shopper: "customer", opted_out: true });

    const back = await app.handle(
      proxyRequest("preferences", [...proxyParams(SHOP, "6001"), ["personalised", "1"]], {
        headers: { Referer: `https://${SHOP}/products/hat?x=1` },
      }),
    );
    expect(back.status).toBe(303);
    expect(back.headers.get("location")).toBe("/products/hat?x=1");
    expect(
      await app.prisma.publishQueueItem.findUnique({
        where: { shopId_customerShopifyId: { shopId, customerShopifyId: "6001" } },
      }),
    ).toMatchObject({ reason: "opt_in" });
    const after = await (await app.handle(proxyRequest("offer", proxyParams(SHOP, "6001"), { method: "GET" }))).json();
    expect(after).toMatchObject({
      shopper: "customer",
      offer: { offer_id: "everyone-10", holdout: false, headline: "Welcome back" },
    });
    expect(after).not.toHaveProperty("opted_out");
  });

  test("guests cannot opt out, a bad value is refused, and a hostile Referer does not redirect off the shop", async () => {
    const guest = await app.handle(proxyRequest("preferences", [...proxyParams(SHOP, null), ["personalised", "0"]]));
    expect(guest.status).toBe(403);
    const bad = await app.handle(
      proxyRequest("preferences", [...proxyParams(SHOP, "6002"), ["personalised", "maybe"]]),
    );
    expect(bad.status).toBe(422);
    const hostile = await app.handle(
      proxyRequest("preferences", [...proxyParams(SHOP, "6002"), ["personalised", "0"]], {
        headers: { Referer: "https://evil.example//x" },
      }),
    );
    expect(hostile.headers.get("location")).toBe("/");
    expect(await app.prisma.shopperOptOut.count({ where: { shopId, customerShopifyId: { in: ["6003"] } } })).toBe(0);
  });
});

describe("JSON offer endpoint", () => {
  test("a guest gets the shop's guest offer; another shop's offers never appear", async () => {
    const response = await app.handle(proxyRequest("offer", proxyParams(SHOP, null), { method: "GET" }));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toContain("no-store");
    expect(await response.json()).toMatchObject({
      shopper: "guest",
      offer: { offer_id: "guests", headline: "Hello visitor", reason: { key: "guest" } },
    });
    const other = await (await app.handle(proxyRequest("offer", proxyParams(OTHER, "6001"), { method: "GET" }))).json();
    expect(other).toMatchObject({ shopper: "customer", offer: { offer_id: "theirs" } });
  });
});
