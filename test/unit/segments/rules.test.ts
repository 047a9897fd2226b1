import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { describeRule, explainMatch } from "~/segments/rules/describe";
import { jaccard, previewSegment } from "~/segments/rules/preview";
import { compileRule, InvalidRuleError, validateRule } from "~/segments/rules/rule";
import type { RuleSubject } from "~/segments/rules/subject";
import { DEFAULT_SETTINGS } from "~/segments/settings";
import { order } from "./orders-fixture";
import { profileOf } from "./profile-fixture";

const context = { currency: "GBP", tierIds: ["silver", "gold"] };
const words = {
  currency: "GBP",
  tierNames: new Map([
    ["silver", "Silver"],
    ["gold", "Gold"],
  ]),
};

function subject(id: string, orders: number, spendMinor: number, extra: Partial<RuleSubject> = {}): RuleSubject {
  const facts = Array.from({ length: orders }, (_, i) =>
    order(i * 10, Math.round(spendMinor / orders), { lines: [{ productType: "Coffee Beans", amountMinor: 1 }] }),
  );
  return {
    profile: { ...profileOf(facts, 100), customerId: id },
    tierId: null,
    rfm: null,
    rfmGroup: "prospects",
    lifecycle: "active",
    predictions: null,
    segments: [],
    ...extra,
  };
}

const VIP = {
  all: [
    { field: "orders", op: "gte", value: 3 },
    {
      any: [
        { field: "netSpend", op: "gte", value: "100.00" },
        { field: "tier", op: "eq", value: "gold" },
      ],
    },
  ],
};

describe("parsing and validation", () => {
  test("every problem is reported with its path", () => {
    const issues = validateRule(
      {
        all: [
          { field: "ordrs", op: "gte", value: 3 },
          { field: "netSpend", op: "contains", value: "x" },
          { field: "tier", op: "eq", value: "platinum" },
          { field: "refundCancelShare", op: "gt", value: 5 },
          { field: "netSpend", op: "gte", value: "ten pounds" },
          { field: "lifecycle", op: "in", value: [] },
          { field: "orders", op: "between", value: [5, 1] },
        ],
      },
      context,
    );
    expect(issues).toEqual([
      { path: "all.0.field", message: 'unknown field "ordrs"' },
      {
        path: "all.1.op",
        message: '"contains" does not apply to netSpend (use eq, ne, gt, gte, lt, lte, between, isSet, isNotSet)',
      },
      { path: "all.2.value", message: "unknown tier: platinum (known: silver, gold)" },
      { path: "all.3.value", message: "a share from 0 to 1 is required" },
      { path: "all.4.value", message: 'an amount like "100.00" is required' },
      { path: "all.5.value", message: "a non-empty list of values is required" },
      { path: "all.6.value", message: "between needs [low, high] numbers with low ≤ high" },
    ]);
  });

  test("shape errors, empty groups, depth and size limits", () => {
    expect(() => compileRule({ all: [] }, context)).toThrow(InvalidRuleError);
    expect(() => compileRule({ field: "orders", op: "gte", value: 1, extra: true }, context)).toThrow(/a rule is/);
    let deep: unknown = { field: "orders", op: "gte", value: 1 };
    for (let i = 0; i < 7; i += 1) deep = { not: deep };
    expect(validateRule(deep, context)[0]?.message).toMatch(/at most 6 levels/);
    const wide = { any: Array.from({ length: 51 }, () => ({ field: "orders", op: "gte", value: 1 })) };
    expect(validateRule(wide, context).map((i) => i.message)).toContain("a rule may have at most 50 conditions");
  });
});

describe("evaluation", () => {
  const rule = compileRule(VIP, context);
  test("and/or with money in the shop currency; thresholds inclusive", () => {
    expect(rule.test(subject("a", 4, 10000))).toBe(true);
    expect(rule.test(subject("b", 3, 9999))).toBe(false);
    expect(rule.test(subject("c", 3, 500, { tierId: "gold" }))).toBe(true);
    expect(rule.test(subject("d", 2, 50000))).toBe(false);
  });

  test("unknown values compare false; isNotSet finds them", () => {
    const prospect = subject("p", 0, 0);
    expect(compileRule({ field: "daysSinceLastOrder", op: "lt", value: 30 }, context).test(prospect)).toBe(false);
    expect(compileRule({ field: "daysSinceLastOrder", op: "gte", value: 0 }, context).test(prospect)).toBe(false);
    expect(compileRule({ field: "daysSinceLastOrder", op: "isNotSet" }, context).test(prospect)).toBe(true);
    expect(compileRule({ field: "tier", op: "ne", value: "gold" }, context).test(prospect)).toBe(false);
  });

  test("lists, enums and not", () => {
    const s = subject("s", 2, 2000, { segments: ["unhappy"], lifecycle: "at_risk" });
    expect(compileRule({ field: "topProductTypes", op: "contains", value: "Coffee Beans" }, context).test(s)).toBe(
      true,
    );
    expect(compileRule({ field: "segments", op: "notContains", value: "unhappy" }, context).test(s)).toBe(false);
    expect(compileRule({ field: "lifecycle", op: "in", value: ["at_risk", "lapsed"] }, context).test(s)).toBe(true);
    expect(compileRule({ not: { field: "lifecycle", op: "eq", value: "at_risk" } }, context).test(s)).toBe(false);
    expect(compileRule({ field: "purchaseMonths", op: "contains", value: "1" }, context).test(s)).toBe(true);
    expect(validateRule({ field: "segments", op: "contains", value: "custom:vip" }, context)[0]?.message).toMatch(
      /unknown win-back and occasion segments/,
    );
  });

  test("property: not(rule) is the complement of rule, and any/all agree with some/every", () => {
    const conditions = fc.constantFrom(
      { field: "orders", op: "gte", value: 2 },
      { field: "netSpend", op: "lt", value: "40" },
      { field: "daysSinceLastOrder", op: "lte", value: 50 },
      { field: "lifecycle", op: "eq", value: "at_risk" },
    );
    const subjects = fc.record({
      orders: fc.integer({ min: 0, max: 6 }),
      spend: fc.integer({ min: 0, max: 9000 }),
      risky: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(conditions, { minLength: 1, maxLength: 4 }), subjects, (list, raw) => {
        const s = subject("x", raw.orders, raw.spend, { lifecycle: raw.risky ? "at_risk" : "active" });
        const parts = list.map((c) => compileRule(c, context).test(s));
        expect(compileRule({ all: list }, context).test(s)).toBe(parts.every(Boolean));
        expect(compileRule({ any: list }, context).test(s)).toBe(parts.some(Boolean));
        expect(compileRule({ not: { all: list } }, context).test(s)).toBe(!parts.every(Boolean));
      }),
    );
  });
});

describe("words", () => {
  test("a rule in words and one customer's reasons with their figures", () => {
    const rule = compileRule(VIP, context);
    expect(describeRule(rule, words)).toBe("orders at least 3 and (net spend at least £100.00 or tier is Gold)");
    expect(explainMatch(rule, subject("a", 4, 24000), words)).toBe(
      "orders 4 (at least 3), net spend £240.00 (at least £100.00)",
    );
    expect(explainMatch(rule, subject("b", 1, 100), words)).toBeNull();
    const between = compileRule({ field: "refundCancelShare", op: "between", value: [0.25, 0.5] }, context);
    expect(describeRule(between, words)).toBe("share of orders refunded or cancelled between 25% and 50%");
    // Every comparison in words, never the rule language's keys; values by their names.
    const each = (rule: unknown) => describeRule(compileRule(rule, context), words);
    expect(each({ field: "orders", op: "gt", value: 2 })).toBe("orders more than 2");
    expect(each({ field: "orders", op: "lte", value: 2 })).toBe("orders at most 2");
    expect(each({ field: "orders", op: "lt", value: 2 })).toBe("orders less than 2");
    expect(each({ field: "orders", op: "eq", value: 2 })).toBe("orders is 2");
    expect(each({ field: "daysSinceLastOrder", op: "isNotSet" })).toBe("days since last order is empty");
    expect(each({ field: "daysSinceLastOrder", op: "isSet" })).toBe("days since last order is not empty");
    expect(each({ field: "pAlive", op: "lt", value: 0.3 })).toBe("probability still active less than 30%");
    expect(each({ field: "segments", op: "contains", value: "at_risk" })).toBe(
      "win-back and occasion segments include At risk (win-back)",
    );
    expect(each({ field: "rfmGroup", op: "in", value: ["at_risk", "needs_attention"] })).toBe(
      "RFM group is one of At risk, Needs attention",
    );
    expect(each({ field: "purchaseMonths", op: "containsAny", value: ["11", "12"] })).toBe(
      "purchase months include any of Nov, Dec",
    );
  });
});

describe("preview", () => {
  const rule = compileRule({ field: "orders", op: "gte", value: 2 }, context);
  const many = Array.from({ length: 40 }, (_, i) =>
    subject(`c${i}`, i % 4, 1000 * i, { segments: i % 4 >= 2 ? ["upsell_window"] : [] }),
  );

  test("counts members and warns about near-duplicates of built-in and custom segments", () => {
    const existing = [
      {
        key: "custom:two-plus",
        name: "Two plus",
        members: new Set(many.filter((s) => s.profile.orders >= 2).map((s) => s.profile.customerId)),
      },
    ];
    const preview = previewSegment(rule, many, existing, DEFAULT_SETTINGS.customSegments);
    expect(preview.count).toBe(20);
    expect(preview.customers).toBe(40);
    expect(preview.warnings.map((w) => w.kind)).toEqual(["tiny", "near-duplicate", "near-duplicate"]);
    expect(preview.overlaps[0]).toMatchObject({ jaccard: 1, shared: 20 });
    expect(preview.warnings[1]?.message).toMatch(/100% overlap with "/);
  });

  test("a big distinct segment gets no warning; an empty one says so", () => {
    const big = Array.from({ length: 100 }, (_, i) => subject(`b${i}`, 2 + (i % 2), 5000));
    const preview = previewSegment(rule, big, [], DEFAULT_SETTINGS.customSegments);
    expect(preview).toMatchObject({ count: 100, warnings: [] });
    expect(preview.sample).toHaveLength(10);
    const none = previewSegment(
      compileRule({ field: "orders", op: "gt", value: 99 }, context),
      big,
      [],
      DEFAULT_SETTINGS.customSegments,
    );
    expect(none.warnings.map((w) => w.kind)).toEqual(["empty"]);
  });

  test("jaccard overlap at the 90% boundary", () => {
    const a = new Set(Array.from({ length: 10 }, (_, i) => String(i)));
    const b = new Set(Array.from({ length: 9 }, (_, i) => String(i)));
    expect(jaccard(a, b)).toEqual({ shared: 9, jaccard: 0.9 });
  });
});
