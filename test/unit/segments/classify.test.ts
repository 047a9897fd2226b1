import { describe, expect, test } from "vitest";
import { dayFromIsoDate as d } from "~/profiles/days";
import { classifyCustomer } from "~/segments/classify";
import type { ClassifyContext } from "~/segments/classify";
import { formatMoney } from "~/money/format";
import { predictCustomer, purchaseSummary } from "~/segments/predictions";
import type { PurchaseSummary } from "~/segments/predictions";
import { compileRule } from "~/segments/rules/rule";
import { DEFAULT_SETTINGS } from "~/segments/settings";
import { ShopModelBuilder } from "~/segments/shop-model";
import type { ShopModel } from "~/segments/shop-model";
import { computeProfile } from "~/profiles/profile";
import { parseProgram } from "~/segments/tiers/program";
import { order } from "./orders-fixture";

const asOf = d("2026-03-01");
const program = parseProgram({
  window: { kind: "rolling", days: 365 },
  graceDays: 30,
  tiers: [
    { id: "silver", name: "Silver", enter: { spendMinor: 30000 }, retain: { spendMinor: 20000 } },
    { id: "gold", name: "Gold", enter: { spendMinor: 100000 }, retain: { spendMinor: 80000 } },
    { id: "platinum", name: "Platinum", enter: { spendMinor: 200000 }, retain: { spendMinor: 150000 } },
  ],
});
const model: ShopModel = {
  asOf,
  currency: "GBP",
  customers: 100,
  buyers: 90,
  repeatBuyers: 40,
  typicalGapDays: 45,
  typicalGapSource: "shop",
  rfm: {
    recency: [asOf - 200, asOf - 120, asOf - 60, asOf - 20],
    frequency: [1, 1, 2, 4],
    monetary: [3000, 8000, 20000, 60000],
  },
  valueCutoffMinor: 50000,
  valueBasis: "netSpend365",
  predictive: null,
  fallback: "none",
};
const context: ClassifyContext = {
  asOf,
  currency: "GBP",
  settings: DEFAULT_SETTINGS,
  model,
  program,
  customSegments: [
    {
      key: "custom:big-spenders",
      name: "Big spenders",
      rule: compileRule(
        { field: "netSpend", op: "gte", value: "1000" },
        { currency: "GBP", tierIds: ["silver", "gold", "platinum"] },
      ),
    },
  ],
};
const classify = (orders: ReturnType<typeof order>[], extra: Partial<Parameters<typeof classifyCustomer>[0]> = {}) =>
  classifyCustomer({ customerId: "c", orders, tierStatus: null, override: null, ...extra }, context);

describe("explanations: one line per label, with the numbers", () => {
  test("a Gold customer: tier, progress, RFM, lifecycle, custom segment", () => {
    const result = classify([order(asOf - 300, 60000), order(asOf - 100, 40000), order(asOf - 10, 24000)]);
    expect(result.tier?.standing.tier?.id).toBe("gold");
    expect(result.explanations).toEqual({
      tier: "Gold: £1,240.00 in the last 12 months; it takes £800.00 to keep Gold",
      tierProgress: "£760.00 more in the last 12 months reaches Platinum",
      rfm: "Champions: recency 5 of 5 (last order 10 days ago), frequency 4 of 5 (3 orders), spend 5 of 5 (£1,240.00)",
      lifecycle: "Active (lifecycle stage): last order 10 days ago, usually every 85 days",
      upsell_window: "Upsell window: ordered 10 days ago (£240.00), nothing refunded",
      "custom:big-spenders": "Big spenders: net spend £1,240.00 (at least £1,000.00)",
    });
    expect(result.segments).toEqual(["upsell_window", "custom:big-spenders"]);
    expect(result.rfmGroup).toBe("champions");
  });

  test("at risk, high-value, in a grace period", () => {
    // Gold since 300 days ago, below Gold's £800 retain threshold since 25 days ago (grace: 30 days).
    const orders = [order(asOf - 160, 30000), order(asOf - 140, 30000)];
    const tierStatus = { tierId: "gold", since: asOf - 300, graceFrom: asOf - 25, evaluatedOn: asOf - 1 };
    const result = classify(orders, { tierStatus });
    expect(result.lifecycle.stage).toBe("at_risk");
    expect(result.explanations.tier).toBe(
      "Gold until 6 March 2026 (grace period): £600.00 in the last 12 months, below the £800.00 it takes to keep Gold; moves down then unless back at £800.00",
    );
    expect(result.explanations.at_risk).toBe(
      "At risk (lifecycle stage): last order 140 days ago, usually every 39 days",
    );
    expect(result.explanations.high_value_at_risk).toBe(
      "High-value at risk: £600.00 spent in the last 12 months (top 20% starts at £500.00); last order 140 days ago, usually every 39 days",
    );
    expect(result.segments).toEqual(["at_risk", "high_value_at_risk"]);
    const later = classify(orders, { tierStatus: { ...tierStatus, evaluatedOn: asOf + 4 } });
    expect(later.tier?.status.tierId).toBe("gold");
    const dropped = classifyCustomer(
      { customerId: "c", orders, tierStatus, override: null },
      { ...context, asOf: asOf + 5 },
    );
    expect(dropped.tier?.status).toMatchObject({ tierId: "silver", since: asOf + 5 });
  });

  test("a one-order customer is judged by the shop's gap", () => {
    const result = classify([order(asOf - 140, 2000)]);
    expect(result.explanations.lifecycle).toBe(
      "At risk (lifecycle stage): last order 140 days ago, customers here usually reorder every 45 days",
    );
    expect(result.explanations.tier).toBe("No tier: £20.00 in the last 12 months; Silver takes £300.00");
    const fresh = classify([order(asOf - 12, 2000)]);
    expect(fresh.explanations.lifecycle).toBe(
      "New (lifecycle stage): first order 12 days ago; customers here usually reorder every 45 days",
    );
    expect(fresh.explanations.upsell_window).toBe("Upsell window: ordered 12 days ago (£20.00), nothing refunded");
  });

  test("an override names who set it and what was earned", () => {
    const result = classify([order(asOf - 5, 35000)], {
      override: { tierId: "platinum", reason: "Press partner", until: d("2026-06-30") },
    });
    expect(result.explanations.tier).toBe("Platinum: set by staff until 30 June 2026 (Press partner); earned: Silver");
    expect(result.explanations.tierProgress).toBeUndefined();
    const byFlow = classify([order(asOf - 5, 35000)], {
      override: { tierId: "platinum", reason: "VIP launch", until: null, setBy: "Shopify Flow" },
    });
    expect(byFlow.explanations.tier).toBe("Platinum: set by Shopify Flow (VIP launch); earned: Silver");
  });

  test("unhappy, anniversary and seasonal lines", () => {
    const orders = [
      order(d("2023-03-10"), 5000),
      order(d("2024-03-05"), 5000),
      order(d("2025-03-02"), 5000, { refundedMinor: 1000, refundDay: d("2026-02-20") }),
    ];
    const result = classify(orders);
    expect(result.explanations.unhappy).toBe(
      "Unhappy: a refund or cancellation 9 days ago (the segment looks back 60 days)",
    );
    expect(result.explanations.first_order_anniversary).toBe(
      "First-order anniversary: 3 years on 10 Mar 2026 (in 9 days)",
    );
    expect(result.explanations.seasonal_buyer).toBe(
      "Seasonal buyer: 100% of purchase days in Mar–May over 3 years; season under way until 31 May 2026",
    );
  });

  test("a prospect", () => {
    const result = classify([]);
    expect(result.explanations).toMatchObject({
      rfm: "Prospects (RFM group): no purchase yet",
      lifecycle: "Prospect (lifecycle stage): no purchase yet",
    });
    expect(result.segments).toEqual([]);
  });
});

describe("money in the shop's currency", () => {
  test("one format: always the currency's own decimals, whole amounts too", () => {
    expect(formatMoney(124000, "GBP")).toBe("£1,240.00");
    expect(formatMoney(1250, "GBP")).toBe("£12.50");
    expect(formatMoney(54500, "GBP")).toBe("£545.00");
    expect(formatMoney(124000, "JPY")).toBe("¥124,000");
    expect(formatMoney(1500, "KWD").replace(/\s/g, " ")).toBe("KWD 1.500");
    expect(formatMoney(124000, "EUR", "de").replace(/\s/g, " ")).toBe("1.240,00 €");
  });
});

describe("shop model", () => {
  test("typical gap, RFM cut-offs and the value cut-off come from the shop's buyers", () => {
    const builder = new ShopModelBuilder(asOf, "GBP");
    const summaries: PurchaseSummary[] = [];
    const add = (orders: ReturnType<typeof order>[]) => {
      const { profile, occasions } = computeProfile("x", orders, asOf);
      builder.add(profile, occasions);
      const summary = purchaseSummary(occasions, asOf);
      if (summary) summaries.push(summary);
    };
    add([]);
    add([order(asOf - 100, 1000), order(asOf - 70, 1000)]); // median gap 30
    add([order(asOf - 200, 5000), order(asOf - 150, 1000), order(asOf - 90, 1000)]); // gaps 50, 60: median 55
    add([order(asOf - 10, 9000)]);
    const { model: built, recentSpendMinor } = builder.build(DEFAULT_SETTINGS);
    expect(built).toMatchObject({
      customers: 4,
      buyers: 3,
      repeatBuyers: 2,
      typicalGapDays: 42.5,
      typicalGapSource: "shop",
      valueBasis: "clv12m",
    });
    expect(built.rfm?.frequency).toEqual([1, 1, 2, 2]);
    // Top 20% of three buyers' predicted 12-month value (nearest rank): the highest of the three.
    const values = summaries.map(
      (summary) => predictCustomer(built.predictive, summary, DEFAULT_SETTINGS.predictions)?.clv12mMinor ?? NaN,
    );
    expect(values.every((value) => value > 0)).toBe(true);
    expect(built.valueCutoffMinor).toBe(Math.max(...values));
    expect(recentSpendMinor.sort()).toEqual([2000, 7000, 9000]);
    const empty = new ShopModelBuilder(asOf, "GBP").build(DEFAULT_SETTINGS).model;
    expect(empty).toMatchObject({
      typicalGapDays: 90,
      typicalGapSource: "fallback",
      rfm: null,
      valueCutoffMinor: null,
    });
  });
});
