import { beforeAll, describe, expect, test } from "vitest";
import { createOffer } from "~/offers/store.server";
import { runFullPass } from "~/recompute/full-pass.server";
import { orderRow } from "../support/orders";
import {
  adminFormRequest,
  adminRequest,
  appUnderTest,
  installTestShop,
  singleFetchActionData,
  singleFetchData,
} from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { AS_OF, seedGeneratedShop } from "./generated-shop";

// The dashboard and Segments page through the real request handler: one order count, tiers in rank order, segment
// movement that leaves out the first import (and a custom segment's fill) but counts a customer who really moves,
// the Needs attention card on the shop's own figures, guest offers not measured, and RFM groups and lifecycle
// stages among the offer audiences.

const SHOP = "admin-dashboard.myshopify.com";
const IMPORTING = "admin-dashboard-importing.myshopify.com";
let app: AppUnderTest;
let shopId: string;

type Trend = { entered: number; exited: number } | null;
type SegmentRow = {
  key: string;
  name: string;
  group: string;
  customers: number;
  shareOfCustomers: number | null;
  trend30d: Trend;
};
type SegmentList = {
  segments: SegmentRow[];
  customers: number;
  movementFrom: string | null;
  movementSinceImport: boolean;
};
type Dashboard = {
  figures: {
    orders: number;
    tiers: { tierId: string | null; tier: string; customers: number }[];
    highValueAtRisk: { customers: number; valueMinor: string };
  };
  orderCounts: { orders: number; countedOrders: number; cancelledOrders: number; testOrders: number };
  attention: { id: string; text: string; action: { label: string; url: string } }[];
  segments: SegmentList;
  offers: { id: string; verdict: string | null }[];
};

async function load<T>(path: string, routeId: string, shop = SHOP): Promise<T> {
  const [pathname, query] = path.split("?");
  const response = await app.handle(
    await adminRequest(`${pathname}.data?${query ? `${query}&` : ""}_routes=${encodeURIComponent(routeId)}`, shop),
  );
  expect(response.status, await response.clone().text()).toBe(200);
  return singleFetchData<T>(response, routeId);
}

const dashboard = (shop = SHOP) => load<Dashboard>("/app", "routes/app._index", shop);
const segmentList = async (shop = SHOP) =>
  (await load<{ list: SegmentList }>("/app/segments", "routes/app.segments._index", shop)).list;
const row = (list: SegmentList, key: string) => list.segments.find((segment) => segment.key === key) as SegmentRow;

beforeAll(async () => {
  app = await appUnderTest();
  shopId = await installTestShop(app, SHOP);
  await seedGeneratedShop(app, SHOP, 120);
  await runFullPass(app.database, shopId, { asOf: AS_OF });
}, 180_000);

describe("segment movement", () => {
  test("the first import placing everyone is not movement, though the log holds its entries", async () => {
    const logged = await app.prisma.segmentTransition.count({
      where: { shopId, at: { gte: new Date(Date.now() - 30 * 86_400_000) } },
    });
    expect(logged).toBeGreaterThan(20);
    const baseline = (await app.prisma.modelState.findUniqueOrThrow({ where: { shopId } })).baselineAt;
    expect(baseline).not.toBeNull();
    const list = await segmentList();
    expect(list.movementFrom).toBe(baseline?.toISOString());
    expect(list.movementSinceImport).toBe(true);
    for (const segment of list.segments.filter((s) => s.group === "winback" || s.group === "tiers"))
      expect(segment.trend30d, segment.key).toEqual({ entered: 0, exited: 0 });
    expect(
      (await dashboard()).segments.segments.every(
        (segment) => segment.trend30d?.entered === 0 && segment.trend30d.exited === 0,
      ),
    ).toBe(true);
  });

  test("a customer who really moves is counted: an at-risk customer orders again and leaves At risk", async () => {
    const before = await segmentList();
    const customer = await app.prisma.customerProfile.findFirstOrThrow({
      where: { shopId, segments: { has: "at_risk" } },
      orderBy: { customerShopifyId: "asc" },
    });
    const at = new Date((AS_OF - 1) * 86_400_000 + 12 * 3_600_000);
    await app.prisma.order.create({ data: orderRow(shopId, customer.customerShopifyId, at, 4500n) });
    await runFullPass(app.database, shopId, { asOf: AS_OF });
    const after = await segmentList();
    expect(row(after, "at_risk").trend30d).toEqual({ entered: 0, exited: 1 });
    expect(row(after, "at_risk").customers).toBe(row(before, "at_risk").customers - 1);
    // Every movement shown is a transition logged after the baseline, and nothing else.
    const baseline = (await app.prisma.modelState.findUniqueOrThrow({ where: { shopId } })).baselineAt as Date;
    const moved = await app.prisma.segmentTransition.findMany({ where: { shopId, at: { gt: baseline } } });
    expect(moved.every((transition) => transition.customerShopifyId === customer.customerShopifyId)).toBe(true);
    for (const segment of after.segments.filter((s) => s.group === "winback")) {
      const mine = moved.filter((transition) => transition.segmentKey === segment.key);
      expect(segment.trend30d, segment.key).toEqual({
        entered: mine.filter((t) => t.kind === "entered").length,
        exited: mine.filter((t) => t.kind === "exited").length,
      });
    }
    expect((await dashboard()).segments.segments.find((segment) => segment.key === "at_risk")?.trend30d).toEqual({
      entered: 0,
      exited: 1,
    });
    // The segment's own page counts the same movement.
    const detail = await load<{ segment: { trend30d: Trend; baselineAt: string | null } }>(
      "/app/segments/at_risk",
      "routes/app.segments.$key",
    );
    expect(detail.segment.trend30d).toEqual({ entered: 0, exited: 1 });
    expect(detail.segment.baselineAt).toBe(baseline.toISOString());
  });

  test("a new custom segment's first fill is not movement", async () => {
    const segment = JSON.stringify({
      name: "Regulars",
      combine: "all",
      conditions: [{ field: "orders", op: "gte", value: "3" }],
    });
    const response = await app.handle(await adminFormRequest("/app/segments/new", SHOP, { intent: "save", segment }));
    expect(response.status).toBe(200);
    expect((await singleFetchActionData<{ saved: string; members: number }>(response)).data?.members).toBeGreaterThan(
      0,
    );
    expect(
      await app.prisma.segmentTransition.count({ where: { shopId, segmentKey: "custom:regulars", kind: "entered" } }),
    ).toBeGreaterThan(0);
    expect(row(await segmentList(), "custom:regulars").trend30d).toEqual({ entered: 0, exited: 0 });
  });

  test("while the order history is still importing there is no baseline, and no movement is claimed", async () => {
    const importing = await installTestShop(app, IMPORTING);
    await app.prisma.syncState.create({ data: { shopId: importing, backfillState: "importing" } });
    await app.prisma.order.createMany({
      data: [
        orderRow(importing, "501", new Date("2026-01-10T10:00:00Z"), 2000n),
        orderRow(importing, "502", new Date("2026-02-10T10:00:00Z"), 3000n),
      ],
    });
    await app.prisma.customer.createMany({
      data: [
        { shopId: importing, shopifyId: "501" },
        { shopId: importing, shopifyId: "502" },
      ],
    });
    await runFullPass(app.database, importing, { asOf: AS_OF });
    expect((await app.prisma.modelState.findUniqueOrThrow({ where: { shopId: importing } })).baselineAt).toBeNull();
    const during = await segmentList(IMPORTING);
    expect(during.movementFrom).toBeNull();
    expect(during.segments.every((segment) => segment.trend30d === null)).toBe(true);
    await app.prisma.syncState.update({ where: { shopId: importing }, data: { backfillState: "completed" } });
    await runFullPass(app.database, importing, { asOf: AS_OF });
    const done = await segmentList(IMPORTING);
    expect(done.movementFrom).not.toBeNull();
    expect(
      done.segments
        .filter((segment) => segment.group === "winback")
        .every((segment) => segment.trend30d?.entered === 0),
    ).toBe(true);
  });
});

describe("dashboard", () => {
  test("one order count, the same the sync page splits into counted, cancelled and test", async () => {
    const data = await dashboard();
    const counted = await app.prisma.order.count({ where: { shopId, test: false, cancelledAt: null } });
    expect(data.figures.orders).toBe(counted);
    expect(data.orderCounts.countedOrders).toBe(counted);
    expect(data.orderCounts.countedOrders + data.orderCounts.cancelledOrders + data.orderCounts.testOrders).toBe(
      data.orderCounts.orders,
    );
    expect(data.orderCounts.orders).toBe(await app.prisma.order.count({ where: { shopId } }));
  });

  test("tiers in the program's rank order, not alphabetical, then no tier", async () => {
    const data = await dashboard();
    const program = await app.prisma.loyaltyProgram.findUniqueOrThrow({ where: { shopId } });
    const ranked = (program.definition as { tiers: { id: string }[] }).tiers.map((tier) => tier.id);
    const shown = data.figures.tiers.map((tier) => tier.tierId);
    expect(shown.filter((id) => id !== null)).toEqual(ranked.filter((id) => shown.includes(id)));
    if (shown.includes(null)) expect(shown.at(-1)).toBeNull();
    expect(data.figures.tiers.map((tier) => tier.tier).slice(0, 3)).toEqual(["Bronze", "Silver", "Gold"]);
  });

  test("segments as a share of the customers with a profile", async () => {
    const data = await dashboard();
    const profiles = await app.prisma.customerProfile.count({ where: { shopId } });
    for (const segment of data.segments.segments)
      expect(segment.shareOfCustomers).toBeCloseTo(segment.customers / profiles, 10);
  });

  test("Needs attention follows the shop's high-value customers at risk, and what an offer for them changes", async () => {
    const highValue = await app.prisma.customerProfile.findMany({
      where: { shopId, segments: { has: "high_value_at_risk" } },
    });
    expect(highValue.length).toBeGreaterThan(0);
    const value = highValue.reduce((sum, profile) => sum + (profile.clv12mMinor ?? 0n), 0n);
    const before = (await dashboard()).attention.find((item) => item.id === "high-value-at-risk");
    expect(before?.text).toBe(
      `${highValue.length} high-value customer${highValue.length === 1 ? "" : "s"} at risk, £${(
        Number(value) / 100
      ).toLocaleString("en", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} of 12-month value`,
    );
    expect(before?.action).toEqual({
      label: "Create a win-back offer",
      url: "/app/offers/new?audience=segment%3Ahigh_value_at_risk",
    });
    // The action's link opens the new-offer form with that audience chosen.
    expect(
      (
        await load<{ audience: string | null }>(
          "/app/offers/new?audience=segment%3Ahigh_value_at_risk",
          "routes/app.offers.new",
        )
      ).audience,
    ).toBe("segment:high_value_at_risk");
    expect(
      (await load<{ audience: string | null }>("/app/offers/new?audience=segment%3Anobody", "routes/app.offers.new"))
        .audience,
    ).toBeNull();
    await createOffer(app.prisma, shopId, {
      name: "Come back",
      audience: { kind: "segment", segmentKey: "high_value_at_risk" },
      content: { headline: "We miss you", ctaLabel: "Shop", ctaUrl: "/" },
      status: "active",
    });
    const after = (await dashboard()).attention.find((item) => item.id === "high-value-at-risk");
    expect(after?.action).toEqual({ label: 'See how "Come back" is doing', url: "/app/offers/come-back" });
  });

  test("a guest offer is not measured; the audience picker offers RFM groups and lifecycle stages", async () => {
    await createOffer(app.prisma, shopId, {
      name: "Welcome",
      audience: { kind: "guests" },
      content: { headline: "Hello", ctaLabel: "Shop", ctaUrl: "/" },
      status: "active",
    });
    expect((await dashboard()).offers.find((offer) => offer.id === "welcome")?.verdict).toBe("not_measured");
    const { audiences } = await load<{ audiences: { value: string; label: string; group: string }[] }>(
      "/app/offers/new",
      "routes/app.offers.new",
    );
    expect(audiences).toEqual(
      expect.arrayContaining([
        { value: "segment:rfm_champions", label: "Champions", group: "RFM group" },
        { value: "segment:rfm_at_risk", label: "At risk (RFM group)", group: "RFM group" },
        { value: "segment:new", label: "New (lifecycle stage)", group: "Lifecycle stage" },
        { value: "segment:returning", label: "Returning", group: "Lifecycle stage" },
        { value: "segment:at_risk", label: "At risk (win-back)", group: "Win-back and occasions" },
      ]),
    );
    expect(new Set(audiences.map((choice) => choice.value)).size).toBe(audiences.length);
  });
});
