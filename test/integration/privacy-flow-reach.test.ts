import { beforeAll, describe, expect, test } from "vitest";
import { database } from "~/db.server";
import { mintCustomerAccountToken } from "~/dev-shell/session-token";
import { getLoyaltyProgram } from "~/recompute/loyalty.server";
import { loadShop, today } from "~/recompute/facts.server";
import { runFullPass } from "~/recompute/full-pass.server";
import { requestNativeSegment } from "~/publish/native-segments/records.server";
import { API_KEY, API_SECRET, APP_URL, appUnderTest, installTestShop } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { flowActionRequest } from "../support/shopify-flow";
import { completePrivacyRequests, send } from "../support/webhook-payloads";
import { seedGeneratedShop } from "./generated-shop";

// customers/redact and shop/redact reach what the Flow and "reach" work store per customer and per shop: the Flow
// trigger outbox (with what was sent about the customer), the Flow action's applied runs, held mass moves, the shop's
// Flow state, native segments, prediction backtests and the customer-account metafields published. Every request
// goes through the real handler (signed webhooks, Flow's signed action, the customer account block's session token);
// the work is the privacy job's own function.

const SHOP = "privacy-flow-reach.myshopify.com";
const DESKTOP =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
let app: AppUnderTest;
let shopId: string;
let tiers: Array<{ id: string; name: string }>;

/** The tables main's Flow, native-segment and prediction work added, each holding a shop's rows. */
const NEW_SHOP_TABLES = [
  "FlowTrigger",
  "FlowActionRun",
  "FlowHold",
  "FlowState",
  "NativeSegment",
  "PredictionBacktest",
  "PublishedMetafields",
];

const sql = () => database().sql;
const rowsOf = async (table: string, where = `"shopId" = $1`, params: unknown[] = [shopId]) =>
  (await sql().query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" WHERE ${where}`, params)).rows[0]!.n;

async function setTierByFlow(customerId: string, tier: string): Promise<Response> {
  return app.handle(
    flowActionRequest({ shop: SHOP, apiSecret: API_SECRET, properties: { customer_id: customerId, tier } }),
  );
}

async function preference(customerId: string, personalised: "0" | "1"): Promise<number> {
  const bearer = await mintCustomerAccountToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, customerId });
  const headers = {
    "User-Agent": DESKTOP,
    Origin: "https://extensions.shopifycdn.com",
    Authorization: `Bearer ${bearer}`,
  };
  return (
    await app.handle(
      new Request(`${APP_URL}/customer-account/preferences?personalised=${personalised}`, { method: "POST", headers }),
    )
  ).status;
}

/** Every row of every application table that mentions one of these values (the migration bookkeeping aside). */
async function rowsMentioning(values: string[]): Promise<string[]> {
  const { rows: tables } = await sql().query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`,
  );
  const found: string[] = [];
  for (const { name } of tables) {
    const { rows } = await sql().query<{ row: string }>(`SELECT t::text AS row FROM "${name}" t`);
    found.push(
      ...rows.map((row) => `${name}: ${row.row}`).filter((row) => values.some((value) => row.includes(value))),
    );
  }
  return found;
}

beforeAll(async () => {
  app = await appUnderTest();
  shopId = await installTestShop(app, SHOP);
  await seedGeneratedShop(app, SHOP, 60);
  const shop = await loadShop(app.prisma, { id: shopId });
  // The first full pass starts the shop's Flow triggers (FlowState) and stores the backtest it chose its model by.
  expect((await runFullPass(database(), shopId, { asOf: today(shop) })).status).toBe("done");
  tiers = (await getLoyaltyProgram(app.prisma, shopId))!.program.tiers.map((tier) => ({
    id: tier.id,
    name: tier.name,
  }));
  expect(await requestNativeSegment(app.prisma, shopId, `tier:${tiers[1]!.id}`, true)).toBe(true);
}, 240_000);

describe("customers/redact", () => {
  test("the customer's Flow triggers and published values go; the Flow action and the account block cannot write for them meanwhile", async () => {
    const profiles = await app.prisma.customerProfile.findMany({
      where: { shopId },
      orderBy: { customerShopifyId: "asc" },
      take: 2,
    });
    const [leaving, staying] = profiles.map((profile) => profile.customerShopifyId) as [string, string];
    const other = (tierId: string | null) => tiers.find((tier) => tier.id !== tierId)!.name;
    // Flow sets both customers' tiers (a trigger each, and an applied run), and the block records a choice.
    expect((await setTierByFlow(leaving, other(profiles[0]!.tierId))).status).toBe(200);
    expect((await setTierByFlow(staying, other(profiles[1]!.tierId))).status).toBe(200);
    expect(await preference(leaving, "0")).toBe(200);
    // What the publisher last wrote to the customer's metafields (the storefront's and the account block's values).
    await app.prisma.publishedMetafields.create({
      data: { shopId, owner: `customer:${leaving}`, values: { tier: "gold" }, digest: "d", publishedAt: new Date() },
    });
    expect(
      await rowsOf("FlowTrigger", `"shopId" = $1 AND "customerShopifyId" = $2`, [shopId, leaving]),
    ).toBeGreaterThan(0);
    const runsBefore = await rowsOf("FlowActionRun");
    // A data request first: its export says what Flow was (or will be) told about the customer.
    const dataRequest = {
      shop_domain: SHOP,
      customer: { id: Number(leaving) },
      orders_requested: [],
      data_request: { id: 4242 },
    };
    expect((await send(app, SHOP, "customers/data_request", JSON.stringify(dataRequest))).status).toBe(200);
    await completePrivacyRequests();
    const exported = await app.prisma.dataRequestExport.findUniqueOrThrow({
      where: { shopId_requestId: { shopId, requestId: "4242" } },
    });
    expect((exported.data as { shopifyFlow: unknown[] }).shopifyFlow).toEqual([
      expect.objectContaining({ kind: "tier-changed", state: "new" }),
    ]);

    const orders = await app.prisma.order.findMany({
      where: { shopId, customerShopifyId: leaving },
      select: { shopifyId: true },
    });
    const redact = {
      shop_id: 1,
      shop_domain: SHOP,
      customer: { id: Number(leaving) },
      orders_to_redact: orders.map((order) => Number(order.shopifyId)),
    };
    expect((await send(app, SHOP, "customers/redact", JSON.stringify(redact))).status).toBe(200);

    // Acknowledged, not yet carried out: nothing new is written under the customer's ID.
    const refused = await setTierByFlow(leaving, tiers[0]!.name);
    expect(refused.status).toBe(404);
    expect(await preference(leaving, "1")).toBe(403);
    expect(await rowsOf("FlowActionRun")).toBe(runsBefore);
    expect(await rowsOf("ShopperOptOut", `"shopId" = $1 AND "customerShopifyId" = $2`, [shopId, leaving])).toBe(0);

    await completePrivacyRequests({ batchRows: 2 });
    const identifiers = [leaving, ...orders.map((order) => order.shopifyId)];
    expect((await rowsMentioning(identifiers)).filter((row) => !row.startsWith("WebhookDelivery:"))).toEqual([]);
    // The other customer's trigger, and the shop's applied runs (which name no customer), stay.
    expect(
      await rowsOf("FlowTrigger", `"shopId" = $1 AND "customerShopifyId" = $2`, [shopId, staying]),
    ).toBeGreaterThan(0);
    expect(await rowsOf("FlowActionRun")).toBe(runsBefore);
  });
});

describe("shop/redact", () => {
  test("leaves no Flow, native-segment, backtest or published row of the shop", async () => {
    // A mass move held for the merchant (the dispatcher's own table; no customer in it).
    await sql().query(
      `INSERT INTO "FlowHold" ("shopId", kind, "groupKey", label, customers, state) VALUES ($1, 'tier-changed', 'g', 'Gold → Silver', 600, 'held')`,
      [shopId],
    );
    await app.prisma.publishedMetafields.create({
      data: { shopId, owner: "shop", values: { offers: [] }, digest: "s", publishedAt: new Date() },
    });
    const before = Object.fromEntries(
      await Promise.all(NEW_SHOP_TABLES.map(async (table) => [table, await rowsOf(table)] as const)),
    );
    expect(Object.entries(before).filter(([, rows]) => rows === 0)).toEqual([]);

    expect((await send(app, SHOP, "app/uninstalled", JSON.stringify({ id: 1, myshopify_domain: SHOP }))).status).toBe(
      200,
    );
    expect((await send(app, SHOP, "shop/redact", JSON.stringify({ shop_id: 1, shop_domain: SHOP }))).status).toBe(200);
    // Gone from the answer on: Flow's action finds no shop.
    expect((await setTierByFlow("1", tiers[0]!.name)).status).toBe(404);

    await completePrivacyRequests({ batchRows: 50 });
    const { rows: tables } = await sql().query<{ name: string }>(
      `SELECT c.table_name AS name FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
        WHERE c.table_schema = 'public' AND c.column_name = 'shopId' AND t.table_type = 'BASE TABLE'`,
    );
    expect(tables.map((row) => row.name)).toEqual(expect.arrayContaining(NEW_SHOP_TABLES));
    const left = [];
    for (const { name } of tables) if ((await rowsOf(name)) > 0) left.push(name);
    expect(left).toEqual([]);
    expect(await rowsMentioning([shopId])).toEqual([]);
  });
});
