import { beforeAll, describe, expect, test } from "vitest";
import { runFullPass } from "~/recompute/full-pass.server";
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

// The dashboard, segment, members-table, export and customer pages, through the real request handler with session
// tokens, against a generated shop after a full pass; figures checked against the stored profiles directly.

const SHOP = "admin-pages.myshopify.com";
const OTHER = "admin-other.myshopify.com";
let app: AppUnderTest;
let shopId: string;

beforeAll(async () => {
  app = await appUnderTest();
  await installTestShop(app, SHOP);
  await installTestShop(app, OTHER);
  shopId = (await app.prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).id;
  await seedGeneratedShop(app, SHOP, 40);
  await runFullPass(app.database, shopId, { asOf: AS_OF });
}, 120_000);

const route = (id: string) => `_routes=${encodeURIComponent(id)}`;

async function load<T>(path: string, routeId: string, shop = SHOP): Promise<T> {
  const separator = path.includes("?") ? "&" : "?";
  const [pathname, query] = path.split("?");
  const response = await app.handle(
    await adminRequest(
      `${pathname}.data${query ? `?${query}` : ""}${separator === "&" ? "&" : "?"}${route(routeId)}`,
      shop,
    ),
  );
  expect(response.status, await response.clone().text()).toBe(200);
  return singleFetchData<T>(response, routeId);
}

async function status(path: string, routeId: string, shop = SHOP): Promise<number> {
  const [pathname, query] = path.split("?");
  const response = await app.handle(
    await adminRequest(`${pathname}.data?${query ? `${query}&` : ""}${route(routeId)}`, shop),
  );
  return response.status;
}

describe("dashboard", () => {
  test("figures agree with the stored orders and profiles", async () => {
    const data = await load<{
      figures: Record<string, unknown> & {
        tiers: { tier: string; customers: number }[];
        cohorts: { customers: number }[];
      };
    }>("/app", "routes/app._index");
    const orders = await app.prisma.order.findMany({ where: { shopId, test: false, cancelledAt: null } });
    const perCustomer = new Map<string, number>();
    for (const order of orders)
      if (order.customerShopifyId)
        perCustomer.set(order.customerShopifyId, (perCustomer.get(order.customerShopifyId) ?? 0) + 1);
    const repeat = [...perCustomer.values()].filter((n) => n > 1).length;
    expect(data.figures.orders).toBe(orders.length);
    expect(data.figures.buyers).toBe(perCustomer.size);
    expect(data.figures.repeatPurchaseRate).toBeCloseTo(repeat / perCustomer.size, 10);
    const revenue = orders.reduce((sum, order) => sum + order.netMinor, 0n);
    expect(data.figures.revenueMinor).toBe(revenue.toString());
    expect(data.figures.averageOrderValueMinor).toBe((revenue / BigInt(orders.length)).toString());
    expect(data.figures.cohorts.reduce((sum, row) => sum + row.customers, 0)).toBe(perCustomer.size);
    const profiles = await app.prisma.customerProfile.count({ where: { shopId } });
    expect(data.figures.tiers.reduce((sum, row) => sum + row.customers, 0)).toBe(profiles);
  });

  test("a shop with no orders gets zeros, not errors", async () => {
    const data = await load<{
      figures: { orders: number; repeatPurchaseRate: number | null; averageOrderValueMinor: string | null };
    }>("/app", "routes/app._index", OTHER);
    expect(data.figures).toMatchObject({ orders: 0, repeatPurchaseRate: null, averageOrderValueMinor: null });
  });
});

type Segment = { key: string; name: string; group: string; customers: number; netSpendMinor: string };
type Page = {
  members: { customerId: string; netSpendMinor: string }[];
  next: string | null;
  previous: string | null;
  total: number;
};

describe("segments", () => {
  test("every segment's size and spend equal a count over the stored profiles", async () => {
    const { list } = await load<{ list: { segments: (Segment & { shareOfCustomers: number })[]; customers: number } }>(
      "/app/segments",
      "routes/app.segments._index",
    );
    const segments = list.segments;
    const profiles = await app.prisma.customerProfile.findMany({ where: { shopId } });
    for (const segment of segments) {
      const members = profiles.filter((p) =>
        segment.key.startsWith("tier:")
          ? p.tierId === segment.key.slice(5)
          : segment.key.startsWith("rfm:")
            ? p.rfmGroup === segment.key.slice(4)
            : segment.key.startsWith("lifecycle:")
              ? p.lifecycle === segment.key.slice(10)
              : p.segments.includes(segment.key),
      );
      expect(segment.customers, segment.key).toBe(members.length);
      expect(segment.netSpendMinor, segment.key).toBe(members.reduce((sum, p) => sum + p.netSpendMinor, 0n).toString());
      expect(segment.shareOfCustomers, segment.key).toBeCloseTo(members.length / profiles.length, 10);
    }
    expect(list.customers).toBe(profiles.length);
    // Three families share "At risk" (and two share "New", "Active", "Lost"…): no two rows read alike.
    const names = segments.map((segment) => segment.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        "At risk (win-back)",
        "At risk (RFM group)",
        "At risk (lifecycle stage)",
        "New (RFM group)",
        "New (lifecycle stage)",
      ]),
    );
    expect(segments.filter((s) => s.group === "lifecycle").reduce((sum, s) => sum + s.customers, 0)).toBe(
      profiles.length,
    );
  });

  test("paging forwards then backwards visits every member once, in sort order", async () => {
    const routeId = "routes/app.segments.$key";
    const key = encodeURIComponent("lifecycle:active");
    const expected = await app.prisma.customerProfile.findMany({
      where: { shopId, lifecycle: "active" },
      orderBy: [{ netSpendMinor: "desc" }, { customerShopifyId: "desc" }],
    });
    expect(expected.length).toBeGreaterThan(3);
    const seen: string[] = [];
    const pages: Page[] = [];
    // A tiny page size is not a parameter; walk with the real page size and compare, then walk back from the end.
    let cursor: string | null = null;
    do {
      const data: { page: Page } = await load(
        `/app/segments/${key}?sort=netSpend&direction=desc${cursor ? `&after=${cursor}` : ""}`,
        routeId,
      );
      pages.push(data.page);
      seen.push(...data.page.members.map((m) => m.customerId));
      cursor = data.page.next;
    } while (cursor);
    expect(seen).toEqual(expected.map((p) => p.customerShopifyId));
    expect(pages[0]!.total).toBe(expected.length);
    expect(pages[0]!.previous).toBeNull();
  });

  test("keyset paging with a small page in both directions", async () => {
    const { memberPage } = await import("~/admin-data/members.server");
    const ref = { kind: "lifecycle" as const, key: "lifecycle:active", stage: "active" as const };
    const expected = (
      await app.prisma.customerProfile.findMany({
        where: { shopId, lifecycle: "active" },
        orderBy: [{ orders: "asc" }, { customerShopifyId: "asc" }],
      })
    ).map((p) => p.customerShopifyId);
    const forward: string[][] = [];
    let page = await memberPage(app.prisma, shopId, ref, { sort: "orders", direction: "asc" }, 2);
    forward.push(page.members.map((m) => m.customerId));
    while (page.next) {
      page = await memberPage(app.prisma, shopId, ref, { sort: "orders", direction: "asc", after: page.next }, 2);
      forward.push(page.members.map((m) => m.customerId));
    }
    expect(forward.flat()).toEqual(expected);
    const backward: string[][] = [page.members.map((m) => m.customerId)];
    while (page.previous) {
      page = await memberPage(app.prisma, shopId, ref, { sort: "orders", direction: "asc", before: page.previous }, 2);
      backward.unshift(page.members.map((m) => m.customerId));
    }
    expect(backward).toEqual(forward);
  });

  test("search by customer ID finds the customer, and a prefix finds exactly the IDs that start with it", async () => {
    const profile = await app.prisma.customerProfile.findFirstOrThrow({ where: { shopId, lifecycle: "active" } });
    const data = await load<{ page: Page }>(
      `/app/segments/lifecycle%3Aactive?search=gid%3A%2F%2Fshopify%2FCustomer%2F${profile.customerShopifyId}`,
      "routes/app.segments.$key",
    );
    expect(data.page.members.map((m) => m.customerId)).toContain(profile.customerShopifyId);
    const all = await app.prisma.customerProfile.findMany({ where: { shopId }, select: { customerShopifyId: true } });
    const { memberPage } = await import("~/admin-data/members.server");
    for (const length of [1, 2, 3]) {
      for (const prefix of new Set(all.map((p) => p.customerShopifyId.slice(0, length)))) {
        const page = await memberPage(
          app.prisma,
          shopId,
          { kind: "lifecycle", key: "lifecycle:active", stage: "active" },
          { sort: "customer", direction: "asc", search: prefix },
          500,
        );
        const expected = (
          await app.prisma.customerProfile.findMany({
            where: { shopId, lifecycle: "active", customerShopifyId: { startsWith: prefix } },
          })
        ).length;
        expect(
          page.members.every((m) => m.customerId.startsWith(prefix)),
          prefix,
        ).toBe(true);
        expect(page.total, prefix).toBe(expected);
      }
    }
  });

  test("bad queries are refused with a reason", async () => {
    const routeId = "routes/app.segments.$key";
    expect(await status("/app/segments/lifecycle%3Aactive?sort=name", routeId)).toBe(400);
    expect(await status("/app/segments/lifecycle%3Aactive?after=not-a-cursor", routeId)).toBe(400);
    const dateCursor = Buffer.from(JSON.stringify(["2026-01-01", "1"])).toString("base64url");
    expect(await status(`/app/segments/lifecycle%3Aactive?sort=netSpend&after=${dateCursor}`, routeId)).toBe(400);
    expect(await status("/app/segments/lifecycle%3Aactive?search=alice", routeId)).toBe(400);
    expect(await status("/app/segments/nonsense", routeId)).toBe(404);
    expect(await status("/app/segments/tier%3Aplatinum", routeId)).toBe(404);
  });

  test("the CSV export streams the segment's members and only this shop's", async () => {
    const response = await app.handle(await adminRequest("/app/segment-export/lifecycle%3Aactive", SHOP));
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("text/csv");
    const lines = (await response.text()).trim().split("\n");
    const expected = await app.prisma.customerProfile.findMany({
      where: { shopId, lifecycle: "active" },
      orderBy: { customerShopifyId: "asc" },
    });
    expect(lines[0]).toMatch(/^customer_id,/);
    expect(lines.slice(1).map((line) => line.split(",")[0])).toEqual(expected.map((p) => p.customerShopifyId));
    const other = await app.handle(await adminRequest("/app/segment-export/lifecycle%3Aactive", OTHER));
    expect((await other.text()).trim().split("\n")).toHaveLength(1);
    expect((await app.handle(await adminRequest("/app/segment-export/nope", SHOP))).status).toBe(404);
  });
});

describe("customer page", () => {
  test("shows every label with its reason, and predictions", async () => {
    const profile = await app.prisma.customerProfile.findFirstOrThrow({ where: { shopId, orders: { gt: 1 } } });
    const data = await load<{
      customer: {
        labels: { kind: string; label: string; reason: string | null }[];
        predictions: { confidence: string | null };
        adminUrl: string;
      };
    }>(`/app/customers/${profile.customerShopifyId}`, "routes/app.customers.$id");
    const kinds = data.customer.labels.map((label) => label.kind);
    expect(kinds).toEqual(expect.arrayContaining(["rfm", "lifecycle"]));
    expect(data.customer.labels.every((label) => label.reason && label.reason.length > 5)).toBe(true);
    // Win-back's At risk, Lapsed and Lost are the lifecycle stage of that name: listed once, as the stage.
    expect(data.customer.labels.filter((label) => label.kind === "segment")).toHaveLength(
      profile.segments.filter((key) => key !== profile.lifecycle).length,
    );
    expect(data.customer.predictions.confidence).toBe(profile.confidence);
    expect(data.customer.adminUrl).toBe(
      `https://admin.shopify.com/store/admin-pages/customers/${profile.customerShopifyId}`,
    );
  });

  test("an at-risk customer reads At risk once per family, each named, the stage not twice", async () => {
    const profile = await app.prisma.customerProfile.findFirstOrThrow({
      where: { shopId, lifecycle: "at_risk", segments: { has: "at_risk" } },
    });
    type Label = { kind: string; family: string; label: string; reason: string | null; note?: string };
    const { customer } = await load<{ customer: { labels: Label[] } }>(
      `/app/customers/${profile.customerShopifyId}`,
      "routes/app.customers.$id",
    );
    const headings = customer.labels.map((label) =>
      label.family === label.label ? label.label : `${label.family}: ${label.label}`,
    );
    expect(new Set(headings).size).toBe(headings.length);
    expect(headings).toContain("Lifecycle stage: At risk");
    expect(headings.filter((heading) => heading.endsWith(": At risk") && !heading.startsWith("RFM group"))).toEqual([
      "Lifecycle stage: At risk",
    ]);
    const stage = customer.labels.find((label) => label.kind === "lifecycle");
    expect(stage?.note).toMatch(/At risk \(win-back\) segment/);
    // Reasons read as sentences under their heading, with units: "usually every 39 days", never "every 39".
    expect(stage?.reason).toMatch(/^[A-Z0-9]/);
    expect(stage?.reason).toMatch(/every \d+ days?/);
    const rfm = customer.labels.find((label) => label.kind === "rfm");
    expect(rfm?.reason).toMatch(/^Recency \d of 5 .*frequency \d of 5 .*spend \d of 5/);
    expect(rfm?.note).toMatch(/fifths/);
  });

  test("another shop's customer and a malformed ID are refused", async () => {
    const profile = await app.prisma.customerProfile.findFirstOrThrow({ where: { shopId } });
    expect(await status(`/app/customers/${profile.customerShopifyId}`, "routes/app.customers.$id", OTHER)).toBe(404);
    expect(await status("/app/customers/abc", "routes/app.customers.$id")).toBe(400);
  });

  test("a tier override needs a reason; with one it is saved and shown, and can be removed", async () => {
    const profile = await app.prisma.customerProfile.findFirstOrThrow({ where: { shopId, tierId: { not: "gold" } } });
    const path = `/app/customers/${profile.customerShopifyId}`;
    const refused = await app.handle(
      await adminFormRequest(path, SHOP, { intent: "override", tierId: "gold", reason: "  " }),
    );
    expect(refused.status).toBe(400);
    expect((await singleFetchActionData<{ errors: Record<string, string> }>(refused)).data?.errors.reason).toMatch(
      /reason/,
    );
    expect(await app.prisma.tierOverride.count({ where: { shopId } })).toBe(0);

    const unknownTier = await app.handle(
      await adminFormRequest(path, SHOP, { intent: "override", tierId: "platinum", reason: "VIP" }),
    );
    expect(unknownTier.status).toBe(400);
    expect(await app.prisma.tierOverride.count({ where: { shopId } })).toBe(0);

    const saved = await app.handle(
      await adminFormRequest(path, SHOP, { intent: "override", tierId: "gold", reason: "Press partner" }),
    );
    expect(saved.status).toBe(200);
    const after = await app.prisma.customerProfile.findUniqueOrThrow({
      where: { shopId_customerShopifyId: { shopId, customerShopifyId: profile.customerShopifyId } },
    });
    expect(after.tierId).toBe("gold");
    const page = await load<{
      customer: { override: { reason: string } | null; tierHistory: { to: string; why: string }[] };
    }>(path, "routes/app.customers.$id");
    expect(page.customer.override?.reason).toBe("Press partner");
    expect(page.customer.tierHistory[0]).toMatchObject({ to: "Gold", why: "Set by staff: Press partner" });

    const foreign = await app.handle(
      await adminFormRequest(path, OTHER, { intent: "override", tierId: "gold", reason: "x" }),
    );
    expect(foreign.status).toBe(400);

    const cleared = await app.handle(await adminFormRequest(path, SHOP, { intent: "clear-override" }));
    expect(cleared.status).toBe(200);
    expect(await app.prisma.tierOverride.count({ where: { shopId, removedAt: null } })).toBe(0);
  });
});
