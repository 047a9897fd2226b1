import { beforeAll, describe, expect, test } from "vitest";
import { exportCustomers } from "~/exports/customers";
import { isoDateFromDay } from "~/profiles/days";
import { dayOfDate as dayOf } from "~/recompute/database.server";
import { runFullPass } from "~/recompute/full-pass.server";
import { refreshCustomers } from "~/recompute/refresh.server";
import { recordFromRow } from "~/recompute/stored-profiles.server";
import { computeProfile } from "~/profiles/profile";
import { classifyCustomer } from "~/segments/classify";
import { customerRecord } from "~/segments/customer-record";
import { DEFAULT_SETTINGS } from "~/segments/settings";
import { ShopModelBuilder } from "~/segments/shop-model";
import type { ShopModel } from "~/segments/shop-model";
import { defaultProgram } from "~/segments/tiers/default-program";
import { parseProgram } from "~/segments/tiers/program";
import { initialStatus } from "~/segments/tiers/replay";
import { database } from "~/db.server";
import { appUnderTest, installTestShop, webhookRequest } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { AS_OF, expectedFacts, seedGeneratedShop } from "./generated-shop";
import { completePrivacyRequests, orderBody } from "../support/webhook-payloads";

const SHOP = "recompute.myshopify.com";
const CUSTOMERS = 40;
let app: AppUnderTest;
let shopId: string;
const facts = expectedFacts(CUSTOMERS);

beforeAll(async () => {
  app = await appUnderTest();
  shopId = await installTestShop(app, SHOP);
  await seedGeneratedShop(app, SHOP, CUSTOMERS);
}, 120_000);

function significant(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (_key, v: unknown) =>
    typeof v === "number" ? Number(v.toPrecision(12)) : v,
  );
}

function expectedModel(): { model: ShopModel; recentSpend: number[] } {
  const builder = new ShopModelBuilder(AS_OF, "GBP");
  for (const [id, orders] of [...facts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const { profile, occasions } = computeProfile(id, orders, AS_OF);
    builder.add(profile, occasions);
  }
  const built = builder.build(DEFAULT_SETTINGS);
  return { model: built.model, recentSpend: built.recentSpendMinor };
}

async function openMemberships() {
  const rows = await app.prisma.segmentMembership.findMany({ where: { shopId, exitedAt: null } });
  const byCustomer = new Map<string, string[]>();
  for (const row of rows)
    byCustomer.set(row.customerShopifyId, [...(byCustomer.get(row.customerShopifyId) ?? []), row.segmentKey].sort());
  return { rows, byCustomer };
}

describe("the full pass", () => {
  test("persists exactly what the pure functions compute from the generator's ground truth", async () => {
    // The app's Database: on PostgreSQL the bulk SQL runs on node-postgres directly (the other passes use Prisma).
    const result = await runFullPass(database(), shopId, { asOf: AS_OF, batchSize: 7 });
    expect(result).toMatchObject({
      status: "done",
      customers: CUSTOMERS,
      batches: Math.ceil(CUSTOMERS / 7),
      createdDefaultProgram: true,
      programVersion: 1,
    });

    const { model, recentSpend } = expectedModel();
    const state = await app.prisma.modelState.findUniqueOrThrow({ where: { shopId } });
    // The database's JSON keeps numbers as decimals: compare the fitted doubles to 12 significant digits.
    expect(significant(state.state)).toEqual(significant(JSON.parse(JSON.stringify(model))));
    expect(state).toMatchObject({ customers: CUSTOMERS, buyers: model.buyers, repeatBuyers: model.repeatBuyers });

    const stored = await app.prisma.loyaltyProgram.findUniqueOrThrow({ where: { shopId } });
    const program = defaultProgram(recentSpend, "GBP");
    expect(parseProgram(stored.definition)).toEqual(program);
    expect(stored).toMatchObject({ version: 1, source: "default" });

    const context = { asOf: AS_OF, currency: "GBP", settings: DEFAULT_SETTINGS, model, program, customSegments: [] };
    const profiles = await app.prisma.customerProfile.findMany({ where: { shopId } });
    expect(profiles).toHaveLength(CUSTOMERS);
    const { byCustomer } = await openMemberships();
    for (const row of profiles) {
      const orders = facts.get(row.customerShopifyId) ?? [];
      const expected = customerRecord(
        classifyCustomer(
          { customerId: row.customerShopifyId, orders, tierStatus: initialStatus(AS_OF), override: null },
          context,
        ),
        program,
      );
      expect(recordFromRow(row), row.customerShopifyId).toEqual(expected);
      expect(byCustomer.get(row.customerShopifyId) ?? []).toEqual([...expected.segments].sort());
    }
    // The shop has a spread of labels: this is a real test of the pipeline, not of an empty shop.
    expect(new Set(profiles.map((p) => p.lifecycle)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(profiles.map((p) => p.tierId)).size).toBeGreaterThanOrEqual(3);
    const entered = await app.prisma.segmentTransition.count({ where: { shopId, kind: "entered" } });
    expect(entered).toBe((await openMemberships()).rows.length);
  });

  test("a second pass on the same day changes nothing and records no transitions", async () => {
    const before = await app.prisma.customerProfile.findMany({
      where: { shopId },
      orderBy: { customerShopifyId: "asc" },
    });
    const transitions = await app.prisma.segmentTransition.count({ where: { shopId } });
    const tierChanges = await app.prisma.tierChange.count({ where: { shopId } });
    const result = await runFullPass(app.database, shopId, { asOf: AS_OF });
    expect(result).toMatchObject({
      status: "done",
      createdDefaultProgram: false,
      written: { entered: 0, exited: 0, tierChanges: 0 },
    });
    const after = await app.prisma.customerProfile.findMany({
      where: { shopId },
      orderBy: { customerShopifyId: "asc" },
    });
    expect(after.map(({ computedAt: _c, ...rest }) => rest)).toEqual(before.map(({ computedAt: _c, ...rest }) => rest));
    expect(await app.prisma.segmentTransition.count({ where: { shopId } })).toBe(transitions);
    expect(await app.prisma.tierChange.count({ where: { shopId } })).toBe(tierChanges);
  });

  test("with no orders kept between its phases (every batch read twice) a pass writes exactly the same", async () => {
    const before = await app.prisma.customerProfile.findMany({
      where: { shopId },
      orderBy: { customerShopifyId: "asc" },
    });
    const result = await runFullPass(database(), shopId, { asOf: AS_OF, batchSize: 7, orderCacheChars: 0 });
    expect(result).toMatchObject({
      status: "done",
      customers: CUSTOMERS,
      written: { written: CUSTOMERS, entered: 0, exited: 0 },
    });
    const after = await app.prisma.customerProfile.findMany({
      where: { shopId },
      orderBy: { customerShopifyId: "asc" },
    });
    expect(after.map(({ computedAt: _c, ...rest }) => rest)).toEqual(before.map(({ computedAt: _c, ...rest }) => rest));
  });

  test("two full passes at once: one runs, the other is skipped, nothing is duplicated", async () => {
    const [a, b] = await Promise.all([
      runFullPass(app.database, shopId, { asOf: AS_OF + 30 }),
      runFullPass(app.database, shopId, { asOf: AS_OF + 30 }),
    ]);
    expect([a.status, b.status].sort()).toEqual(["done", "skipped"]);
    expect([a, b].find((r) => r.status === "skipped")?.reason).toMatch(/another full pass/);
    const { rows } = await openMemberships();
    const keys = rows.map((row) => `${row.customerShopifyId}/${row.segmentKey}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(await app.prisma.recomputeLease.count({ where: { shopId } })).toBe(0);
    // Time moved on 30 days: some customers changed segments, and every change is an event.
    const exits = await app.prisma.segmentTransition.count({ where: { shopId, kind: "exited" } });
    const closed = await app.prisma.segmentMembership.count({ where: { shopId, exitedAt: { not: null } } });
    expect(exits).toBe(closed);
    expect(exits).toBeGreaterThan(0);
  });
});

const orderPayload = (id: string, customerId: string, at: string, amount: string) =>
  orderBody({ id, customerId, createdAt: at, subtotal: amount, currency: "GBP" });

describe("the incremental refresh", () => {
  test("one customer's new order updates their profile and memberships against the stored model, without refitting", async () => {
    const asOf = AS_OF + 30;
    const atRisk = await app.prisma.customerProfile.findFirstOrThrow({
      where: { shopId, lifecycle: { in: ["at_risk", "lapsed"] } },
      orderBy: { customerShopifyId: "asc" },
    });
    const id = atRisk.customerShopifyId;
    const model = await app.prisma.modelState.findUniqueOrThrow({ where: { shopId } });
    const status = await app.prisma.loyaltyStatus.findUniqueOrThrow({
      where: { shopId_customerShopifyId: { shopId, customerShopifyId: id } },
    });
    const when = `${isoDateFromDay(asOf)}T12:00:00Z`;
    const response = await app.handle(
      webhookRequest({ shop: SHOP, topic: "orders/create", body: orderPayload("9100000001", id, when, "250.00") }),
    );
    expect(response.status).toBe(200);

    const result = await refreshCustomers(app.database, shopId, [id], { asOf });
    expect(result).toMatchObject({ written: 1, removed: 0 });
    expect(await app.prisma.modelState.findUniqueOrThrow({ where: { shopId } })).toEqual(model);

    const stored = recordFromRow(
      await app.prisma.customerProfile.findUniqueOrThrow({
        where: { shopId_customerShopifyId: { shopId, customerShopifyId: id } },
      }),
    );
    expect(stored).toMatchObject({ orders: atRisk.orders + 1, lastOrderDay: asOf, daysSinceLastOrder: 0, rfmR: 5 });
    expect(["returning", "active"]).toContain(stored.lifecycle);

    // Exactly what the pure functions give for the generator's facts plus the new order, the stored model and status.
    const program = parseProgram((await app.prisma.loyaltyProgram.findUniqueOrThrow({ where: { shopId } })).definition);
    const newOrder = {
      day: asOf,
      netMinor: 25000,
      refundedMinor: 0,
      refundDay: null,
      discountMinor: 2000,
      cancelledDay: null,
      lines: [],
    };
    const tierStatus = {
      tierId: status.tierId,
      since: dayOf(status.since),
      graceFrom: dayOf(status.graceFrom),
      evaluatedOn: dayOf(status.evaluatedOn) as number,
    };
    const context = {
      asOf,
      currency: "GBP",
      settings: DEFAULT_SETTINGS,
      model: model.state as unknown as ShopModel,
      program,
      customSegments: [],
    };
    const expected = customerRecord(
      classifyCustomer(
        { customerId: id, orders: [...(facts.get(id) ?? []), newOrder], tierStatus, override: null },
        context,
      ),
      program,
    );
    expect(stored).toEqual(expected);

    const segments = (await openMemberships()).byCustomer.get(id) ?? [];
    expect(segments).toEqual([...stored.segments].sort());
    const exits = await app.prisma.segmentTransition.findMany({
      where: { shopId, customerShopifyId: id, kind: "exited" },
    });
    expect(exits.map((exit) => exit.segmentKey)).toContain(atRisk.lifecycle);
  });

  test("a customer deleted in Shopify loses their profile and leaves every segment", async () => {
    const member = (await openMemberships()).rows[0];
    expect(member).toBeDefined();
    const id = member!.customerShopifyId;
    await app.prisma.customer.update({
      where: { shopId_shopifyId: { shopId, shopifyId: id } },
      data: { deletedAt: new Date() },
    });
    const result = await refreshCustomers(app.database, shopId, [id]);
    expect(result.removed).toBe(1);
    expect(await app.prisma.customerProfile.count({ where: { shopId, customerShopifyId: id } })).toBe(0);
    expect(await app.prisma.segmentMembership.count({ where: { shopId, customerShopifyId: id, exitedAt: null } })).toBe(
      0,
    );
    expect(
      await app.prisma.segmentTransition.count({
        where: { shopId, customerShopifyId: id, kind: "exited", explanation: "customer deleted" },
      }),
    ).toBeGreaterThan(0);
  });
});

describe("privacy", () => {
  test("customers/redact leaves no profile, status, history, override, membership or transition rows", async () => {
    const profile = await app.prisma.customerProfile.findFirstOrThrow({
      where: { shopId, segments: { isEmpty: false } },
    });
    const id = profile.customerShopifyId;
    await app.prisma.tierOverride.create({ data: { shopId, customerShopifyId: id, tierId: "gold", reason: "test" } });
    await app.prisma.tierChange.create({
      data: { shopId, customerShopifyId: id, on: new Date(), reason: "override-set" },
    });
    const body = JSON.stringify({ shop_id: 1, shop_domain: SHOP, customer: { id: Number(id) }, orders_to_redact: [] });
    expect((await app.handle(webhookRequest({ shop: SHOP, topic: "customers/redact", body }))).status).toBe(200);
    expect(await completePrivacyRequests()).toBe(1);
    const where = { shopId, customerShopifyId: id };
    const counts = await Promise.all([
      app.prisma.customerProfile.count({ where }),
      app.prisma.loyaltyStatus.count({ where }),
      app.prisma.tierChange.count({ where }),
      app.prisma.tierOverride.count({ where }),
      app.prisma.segmentMembership.count({ where }),
      app.prisma.segmentTransition.count({ where }),
    ]);
    expect(counts).toEqual([0, 0, 0, 0, 0, 0]);
    expect(await app.prisma.customerProfile.count({ where: { shopId } })).toBeGreaterThan(0);
  });
});

describe("export customers", () => {
  test("gains the label columns", async () => {
    const rows = await exportCustomers(app.prisma, SHOP);
    const labelled = rows.filter((row) => row.tier !== null);
    expect(labelled.length).toBeGreaterThan(0);
    for (const key of [
      "x",
      "t_x",
      "T",
      "tier",
      "rfm_r",
      "rfm_f",
      "rfm_m",
      "rfm_group",
      "lifecycle",
      "p_alive",
      "expected_orders_365",
      "expected_order_value",
      "clv_12m",
      "segments",
      "confidence",
    ]) {
      expect(rows[0]).toHaveProperty(key);
    }
    expect(labelled[0]?.lifecycle).toMatch(/^(new|active|returning|at_risk|lapsed|lost|prospect)$/);
  });
});
