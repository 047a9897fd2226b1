import { beforeAll, describe, expect, test } from "vitest";
import { database } from "~/db.server";
import { dayFromIsoDate, isoDateFromDay } from "~/profiles/days";
import { loadShop, today } from "~/recompute/facts.server";
import { getLoyaltyProgram } from "~/recompute/loyalty.server";
import { refreshCustomers } from "~/recompute/refresh.server";
import { runFullPass } from "~/recompute/full-pass.server";
import { dispatchFlowTriggers } from "~/publish/flow/dispatch.server";
import { NoShopifyStoreError } from "~/shopify-admin/errors";
import { adminRequest, API_SECRET, appUnderTest, installTestShop, singleFetchData } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { FLOW_ACTION_URL, flowActionBody, flowActionRequest } from "../support/shopify-flow";
import { seedGeneratedShop } from "./generated-shop";

// The "Set loyalty tier" Flow action through the real request handler: Flow's signature (anything else is 401 and
// changes nothing), Flow's request shape (400 with every problem named, in Flow's error shape), the shop's tiers, the
// date and the customer (422/404); a good request sets the same override the customer page sets, until its end date,
// recorded as set by Shopify Flow, once per action run, and is itself a "Customer tier changed" trigger.

const SHOP = "flow-action.myshopify.com";
let app: AppUnderTest;
let shopId: string;
let customerId: string;
let tiers: Array<{ id: string; name: string }>;
let todayIso: string;

const send = (request: Request) => app.handle(request);
const post = (properties: Record<string, unknown>, options: Partial<Parameters<typeof flowActionRequest>[0]> = {}) =>
  send(flowActionRequest({ shop: SHOP, properties, apiSecret: API_SECRET, ...options }));
const tierHistory = () =>
  app.prisma.tierChange.findMany({ where: { shopId, customerShopifyId: customerId }, orderBy: { id: "asc" } });

beforeAll(async () => {
  app = await appUnderTest();
  shopId = await installTestShop(app, SHOP);
  await seedGeneratedShop(app, SHOP, 40);
  const shop = await loadShop(app.prisma, { id: shopId });
  await runFullPass(database(), shopId, { asOf: today(shop) });
  todayIso = isoDateFromDay(today(shop));
  tiers = (await getLoyaltyProgram(app.prisma, shopId))!.program.tiers.map((tier) => ({
    id: tier.id,
    name: tier.name,
  }));
  const lowest = await app.prisma.customerProfile.findFirstOrThrow({
    where: { shopId, tierId: tiers[0]!.id },
    orderBy: { customerShopifyId: "asc" },
  });
  customerId = lowest.customerShopifyId;
}, 180_000);

describe("refused before anything is read", () => {
  test("a bad, missing or borrowed signature, or a tampered body, is 401 and changes nothing", async () => {
    const properties = { customer_id: customerId, tier: tiers[2]!.name };
    const before = (await tierHistory()).length;
    const body = flowActionBody({ shop: SHOP, properties });
    for (const request of [
      flowActionRequest({ shop: SHOP, properties, apiSecret: API_SECRET, secret: "another-app-secret" }),
      flowActionRequest({ shop: SHOP, properties, apiSecret: API_SECRET, signature: null }),
      flowActionRequest({ shop: SHOP, properties, apiSecret: API_SECRET, signature: "not base64 at all" }),
      flowActionRequest({
        shop: SHOP,
        properties,
        apiSecret: API_SECRET,
        body: body.replace(tiers[2]!.name, tiers[1]!.name),
        signature: flowActionRequest({ shop: SHOP, properties, apiSecret: API_SECRET, body }).headers.get(
          "X-Shopify-Hmac-Sha256",
        ),
      }),
    ]) {
      const response = await send(request);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error1: "The request is not signed by Shopify Flow." });
    }
    expect((await tierHistory()).length).toBe(before);
  });

  test("a GET is 405; a body past 16 KB is 413", async () => {
    expect((await send(new Request(FLOW_ACTION_URL))).status).toBe(405);
    const response = await post({ customer_id: customerId, tier: "x", reason: "r".repeat(20_000) });
    expect(response.status).toBe(413);
  });
});

describe("malformed or impossible requests, in Flow's error shape", () => {
  test("not JSON, or fields missing or malformed: 400 naming every problem", async () => {
    const notJson = await send(
      flowActionRequest({ shop: SHOP, properties: {}, apiSecret: API_SECRET, body: "{not json" }),
    );
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error1: "The request body is not JSON." });

    const missing = await post({ tier: "" });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      error1: "A customer is required (the customer ID Flow passes as customer_id).",
    });

    const several = await post({ customer_id: "abc", tier: "", end_date: "soon" });
    expect(several.status).toBe(400);
    const body = (await several.json()) as Record<string, string>;
    expect(Object.keys(body)).toEqual(["error1", "error2", "error3"]);
    expect(body.error3).toMatch(/End date "soon" is not a date/);
  });

  test("an unknown tier or a past date is 422; an unknown customer or shop is 404; nothing is stored", async () => {
    const before = (await tierHistory()).length;
    const unknownTier = await post({ customer_id: customerId, tier: "Platinum" });
    expect(unknownTier.status).toBe(422);
    expect(await unknownTier.json()).toEqual({
      error1: `There is no tier "Platinum". This shop's tiers are ${tiers.map((tier) => tier.name).join(", ")}.`,
    });

    const past = await post({ customer_id: customerId, tier: tiers[1]!.name, end_date: "2020-01-01" });
    expect(past.status).toBe(422);
    expect(((await past.json()) as Record<string, string>).error1).toMatch(
      /^The end date 2020-01-01 has already passed/,
    );

    const stranger = await post({ customer_id: "999999999", tier: tiers[1]!.name });
    expect(stranger.status).toBe(404);
    expect(await stranger.json()).toEqual({
      error1: "Cadence has no customer 999999999 in this shop (it learns customers from their orders).",
    });

    const otherShop = await send(
      flowActionRequest({
        shop: "not-installed.myshopify.com",
        properties: { customer_id: customerId, tier: tiers[1]!.name },
        apiSecret: API_SECRET,
      }),
    );
    expect(otherShop.status).toBe(404);
    expect((await tierHistory()).length).toBe(before);
    expect(await app.prisma.flowActionRun.count()).toBe(0);
  });
});

describe("a good request", () => {
  test("sets the override the customer page sets, until the end date, recorded as set by Shopify Flow, once per run", async () => {
    const until = isoDateFromDay(dayFromIsoDate(todayIso) + 30);
    const runId = "flow-run-0001";
    const top = tiers[tiers.length - 1]!;
    const response = await post(
      { customer_id: customerId, tier: top.name.toUpperCase(), end_date: until, reason: "VIP launch event" },
      { actionRunId: runId },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});

    const override = await app.prisma.tierOverride.findFirstOrThrow({
      where: { shopId, customerShopifyId: customerId, removedAt: null },
    });
    expect(override).toMatchObject({ tierId: top.id, reason: "VIP launch event", setBy: "Shopify Flow" });
    expect(override.until?.toISOString().slice(0, 10)).toBe(until);
    const profile = await app.prisma.customerProfile.findUniqueOrThrow({
      where: { shopId_customerShopifyId: { shopId, customerShopifyId: customerId } },
    });
    expect(profile.tierId).toBe(top.id);
    // Its reason names who set it: Flow, not staff.
    expect((profile.explanations as Record<string, string>).tier).toMatch(
      new RegExp(`^${top.name}: set by Shopify Flow until .+ \\(VIP launch event\\); earned: `),
    );
    const history = await tierHistory();
    expect(history.at(-1)).toMatchObject({
      reason: "override-set",
      toTierId: top.id,
      detail: "set by Shopify Flow: VIP launch event",
    });

    // The customer page's tier history says so.
    const page = await app.handle(
      await adminRequest(`/app/customers/${customerId}.data?_routes=routes%2Fapp.customers.%24id`, SHOP),
    );
    const { customer } = await singleFetchData<{
      customer: { tierHistory: Array<{ on: string; why: string }>; override: { setBy: string | null } };
    }>(page, "routes/app.customers.$id");
    expect(customer.tierHistory[0]!.why).toBe("Set by Shopify Flow: VIP launch event");
    expect(customer.tierHistory[0]!.on).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(customer.override.setBy).toBe("Shopify Flow");

    // Flow sends the same run again (its answer timed out): applied once.
    const again = await post(
      { customer_id: customerId, tier: top.name, end_date: until, reason: "VIP launch event" },
      { actionRunId: runId },
    );
    expect(again.status).toBe(200);
    expect((await tierHistory()).length).toBe(history.length);

    // The move is itself a "Customer tier changed" trigger, said to be Shopify Flow's doing.
    const dispatched = await dispatchFlowTriggers(database(), shopId, () =>
      Promise.reject(new NoShopifyStoreError(SHOP)),
    );
    expect(dispatched.recorded).toBeGreaterThanOrEqual(1);
    const trigger = await app.prisma.flowTrigger.findFirstOrThrow({
      where: { shopId, customerShopifyId: customerId, kind: "tier-changed" },
      orderBy: { id: "desc" },
    });
    expect(trigger.payload).toMatchObject({ "New tier": top.name, Direction: "Up", "Changed by": "Shopify Flow" });
  });

  test("after its end date the override no longer applies: the customer is back on the tier they earned", async () => {
    const override = await app.prisma.tierOverride.findFirstOrThrow({
      where: { shopId, customerShopifyId: customerId, removedAt: null },
    });
    const lastDay = dayFromIsoDate(override.until!.toISOString().slice(0, 10));
    await refreshCustomers(app.database, shopId, [customerId], { asOf: lastDay });
    expect(
      (
        await app.prisma.customerProfile.findUniqueOrThrow({
          where: { shopId_customerShopifyId: { shopId, customerShopifyId: customerId } },
        })
      ).tierId,
    ).toBe(override.tierId);
    await refreshCustomers(app.database, shopId, [customerId], { asOf: lastDay + 1 });
    expect(
      (
        await app.prisma.customerProfile.findUniqueOrThrow({
          where: { shopId_customerShopifyId: { shopId, customerShopifyId: customerId } },
        })
      ).tierId,
    ).toBe(tiers[0]!.id);
  });
});
