import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { generateHistory, iterateEvents, planHistory } from "../../../scripts/demo/history";
import type { Order } from "../../../scripts/demo/model";
import { orderCreatePayload, refundCreatePayload, serializePayload } from "../../../scripts/demo/payloads";
import { historyDeliveries } from "../../../scripts/demo-runner/seed-history";
import { sharedDataPath } from "../../support/shared-data";

// The demo shop's history must look like a real shop's (shares, seasonality, cadences) and reach the app as
// Shopify would send it (the same payload shape as Shopify's own samples), identically on every run.

const END = new Date("2026-11-01T00:00:00Z");
const history = generateHistory({ customers: 3000, end: END });
const orders = history.orders;
const share = (predicate: (order: Order) => boolean) => orders.filter(predicate).length / orders.length;

const sampleKeys = (topic: string) =>
  Object.keys(JSON.parse(readFileSync(sharedDataPath("shopify-webhooks", "2026-04", `${topic}.json`), "utf8"))).sort();

describe("the generated history", () => {
  test("is the same for the same options, and differs for another seed", () => {
    const digest = (seed: number) => {
      const hash = createHash("sha256");
      for (const delivery of historyDeliveries("a.myshopify.com", 200, END, seed)) hash.update(delivery.body);
      return hash.digest("hex");
    };
    expect(digest(1)).toBe(digest(1));
    expect(digest(2)).not.toBe(digest(1));
  });

  test("covers about three years with a few orders per customer", () => {
    const first = orders[0]!.createdAt.getTime();
    const last = orders.at(-1)!.createdAt.getTime();
    expect((last - first) / 86_400_000).toBeGreaterThan(1000);
    expect(last).toBeLessThan(END.getTime());
    expect(orders.length / 3000).toBeGreaterThan(3);
    expect(orders.length / 3000).toBeLessThan(10);
  });

  test("has guests, test orders, refunds and cancellations in believable shares", () => {
    expect(share((order) => order.customer === null)).toBeCloseTo(0.1, 1);
    expect(share((order) => order.test)).toBeGreaterThan(0.001);
    expect(share((order) => order.test)).toBeLessThan(0.015);
    expect(share((order) => order.refund !== null)).toBeGreaterThan(0.03);
    expect(share((order) => order.refund !== null)).toBeLessThan(0.09);
    expect(share((order) => order.cancellation !== null)).toBeGreaterThan(0.01);
    expect(share((order) => order.cancellation !== null)).toBeLessThan(0.04);
  });

  test("has one-off buyers, prospects and customers with different cadences", () => {
    const ordersByCustomer = new Map<string, number[]>();
    for (const order of orders) {
      if (!order.customer) continue;
      const times = ordersByCustomer.get(order.customer.id) ?? [];
      times.push(order.createdAt.getTime());
      ordersByCustomer.set(order.customer.id, times);
    }
    const medianGapDays = (persona: string) => {
      const gaps: number[] = [];
      for (const customer of history.customers.filter((candidate) => candidate.persona === persona)) {
        const times = ordersByCustomer.get(customer.id) ?? [];
        for (let i = 1; i < times.length; i += 1) gaps.push((times[i]! - times[i - 1]!) / 86_400_000);
      }
      gaps.sort((a, b) => a - b);
      return gaps[Math.floor(gaps.length / 2)]!;
    };
    expect(medianGapDays("weekly")).toBeLessThan(medianGapDays("monthly"));
    expect(medianGapDays("monthly")).toBeLessThan(medianGapDays("quarterly"));
    expect(medianGapDays("quarterly")).toBeLessThan(medianGapDays("yearly"));
    const oneOff = history.customers.filter((customer) => customer.persona === "one-off");
    expect(oneOff.every((customer) => (ordersByCustomer.get(customer.id)?.length ?? 0) <= 1)).toBe(true);
    const prospects = history.customers.filter((customer) => customer.persona === "prospect");
    expect(prospects.length).toBeGreaterThan(0);
    expect(prospects.every((customer) => !ordersByCustomer.has(customer.id))).toBe(true);
  });

  test("peaks in the gifting season", () => {
    const perMonth = new Array(12).fill(0) as number[];
    for (const order of orders) perMonth[order.createdAt.getUTCMonth()]! += 1;
    const december = perMonth[11]!;
    const july = perMonth[6]!;
    expect(december / july).toBeGreaterThan(1.5);
  });

  test("keeps Shopify's order arithmetic on every order", () => {
    for (const order of orders) {
      const lines = order.lines.reduce((sum, line) => sum + line.unitPriceMinor * line.quantity, 0);
      expect(order.lineItemsMinor).toBe(lines);
      expect(order.subtotalMinor).toBe(order.lineItemsMinor - order.discountMinor);
      expect(order.totalMinor).toBe(order.subtotalMinor + order.shippingMinor + order.taxMinor);
      if (order.refund) expect(order.refund.amountMinor).toBeLessThanOrEqual(order.totalMinor);
    }
  });

  test("announces every customer before their first order, and refunds after their order", () => {
    const seen = new Set<string>();
    const placed = new Set<string>();
    for (const event of iterateEvents(planHistory({ customers: 400, end: END }))) {
      if (event.type === "customer-created") seen.add(event.customer.id);
      if (event.type === "order-created") {
        if (event.order.customer) expect(seen.has(event.order.customer.id)).toBe(true);
        placed.add(event.order.id);
      }
      if (event.type === "refund-created" || event.type === "order-cancelled")
        expect(placed.has(event.order.id)).toBe(true);
    }
  });
});

describe("the generated webhook payloads", () => {
  test("have the top-level fields of Shopify's own samples", () => {
    const order = orders.find((candidate) => candidate.customer && candidate.refund)!;
    expect(Object.keys(JSON.parse(serializePayload(orderCreatePayload(order)))).sort()).toEqual(
      sampleKeys("orders/create"),
    );
    expect(Object.keys(JSON.parse(serializePayload(refundCreatePayload(order, order.refund!)))).sort()).toEqual(
      sampleKeys("refunds/create"),
    );
  });

  test("carry IDs above 2^53 exactly", () => {
    const order = orders.find(
      (candidate) => candidate.customer && BigInt(candidate.customer.id) > BigInt(Number.MAX_SAFE_INTEGER),
    )!;
    expect(order).toBeDefined();
    const body = serializePayload(orderCreatePayload(order));
    expect(body).toContain(`"admin_graphql_api_id":"gid://shopify/Customer/${order.customer!.id}"`);
    expect(body).toMatch(new RegExp(`"id":${order.customer!.id}[,}]`));
  });
});
