import { describe, expect, test } from "vitest";
import { draftErrors, draftFromRule, OPERATORS, ruleFromDraft, valueChoices } from "~/admin-data/segment-builder";
import type { SegmentDraft } from "~/admin-data/segment-builder";
import { parseSettings, settingsValues } from "~/admin-data/settings-form";
import { parseOfferForm } from "~/admin-data/offer-form";
import { count, countHas, countOf, date, dateTime, money, month, percent } from "~/admin-ui/format";
import { movementHeading, movementText } from "~/admin-ui/movement";
import { outcomeLabel, stateLabel, topicLabel } from "~/admin-ui/sync/sync-words";
import { validateOffer } from "~/offers/store.server";
import { notMeasured } from "~/offers/measurement/report";
import { verdictSummary } from "~/offers-admin/status";
import { dayFromIsoDate as d } from "~/profiles/days";
import { computeProfile } from "~/profiles/profile";
import { explainLifecycle, explainPrediction, explainRfm } from "~/segments/explain/lines";
import { lifecycle } from "~/segments/lifecycle/stage";
import { builtinSegmentLabel, familyName, lifecycleLabel, rfmGroupLabel } from "~/segments/names";
import { LIFECYCLE_STAGES } from "~/segments/lifecycle/stage";
import { RFM_GROUPS } from "~/segments/rfm/groups";
import { DEFAULT_SETTINGS } from "~/segments/settings";
import { BUILTIN_SEGMENTS } from "~/segments/winback/occasions";
import { wordProblems } from "../../support/merchant-words";
import { order } from "../segments/orders-fixture";

// What the admin says, in the merchant's words: the formatting helpers, the segment families' names, the
// explanations' units, and every refusal the forms can give, checked against the same word lint as the admin walk.

describe("figures", () => {
  test("one money format: the currency's decimals always, thousands separated, a dash for none", () => {
    expect([money("54500", "GBP"), money(34290, "GBP"), money("123456789", "GBP"), money(null, "GBP")]).toEqual([
      "£545.00",
      "£342.90",
      "£1,234,567.89",
      "—",
    ]);
    expect(money(1200, "JPY")).toBe("¥1,200");
  });

  test("shares as percentages, counts with their noun agreeing", () => {
    expect([percent(0.2), percent(0.4642, 1), percent(null), percent(Number.NaN)]).toEqual(["20%", "46.4%", "—", "—"]);
    expect([
      count(4210),
      countOf(1, "shopper"),
      countOf(2, "shopper"),
      countOf(1, "first-order anniversary", "first-order anniversaries"),
    ]).toEqual(["4,210", "1 shopper", "2 shoppers", "1 first-order anniversary"]);
    expect([countHas(1, "shopper"), countHas(0, "shopper"), countHas(1204, "shopper")]).toEqual([
      "1 shopper has",
      "0 shoppers have",
      "1,204 shoppers have",
    ]);
  });

  test("dates as a merchant reads them", () => {
    expect([
      date("2026-12-07"),
      date("2026-12-07T11:08:49.000Z"),
      date(null),
      month("2026-01"),
      dateTime("2026-12-07T11:08:49.000Z"),
      dateTime(null),
    ]).toEqual(["7 Dec 2026", "7 Dec 2026", "—", "Jan 2026", "7 Dec 2026, 11:08 UTC", "never"]);
  });

  test("movement: since the import when it is recent, no change said in words", () => {
    expect(movementHeading(null, false)).toBe("Movement");
    expect(movementHeading("2026-12-07T11:00:00.000Z", true)).toBe("Since 7 Dec 2026");
    expect(movementHeading("2026-11-07T11:00:00.000Z", false)).toBe("Last 30 days");
    expect([
      movementText(null),
      movementText({ entered: 0, exited: 0 }),
      movementText({ entered: 1204, exited: 3 }),
    ]).toEqual(["—", "No change", "+1,204 in, −3 out"]);
  });

  test("sync states, outcomes and Shopify topics in words, unknown ones too", () => {
    expect([
      topicLabel("orders/create"),
      topicLabel("bulk_operations/finish"),
      topicLabel("inventory_items/update"),
    ]).toEqual(["Order created", "Bulk import finished", "Inventory items update"]);
    expect([
      outcomeLabel("stale"),
      outcomeLabel("unknown-topic"),
      stateLabel("refund-details"),
      stateLabel("completed"),
    ]).toEqual(["Already up to date", "Not a topic Cadence handles", "Fetching refund details", "Completed"]);
  });
});

describe("segment families", () => {
  test("names two families share carry their family; names of one family stay plain", () => {
    expect([builtinSegmentLabel("at_risk"), rfmGroupLabel("at_risk"), lifecycleLabel("at_risk")]).toEqual([
      "At risk (win-back)",
      "At risk (RFM group)",
      "At risk (lifecycle stage)",
    ]);
    expect([
      rfmGroupLabel("new"),
      lifecycleLabel("new"),
      rfmGroupLabel("prospects"),
      lifecycleLabel("prospect"),
    ]).toEqual(["New (RFM group)", "New (lifecycle stage)", "Prospects (RFM group)", "Prospect (lifecycle stage)"]);
    expect([
      rfmGroupLabel("champions"),
      lifecycleLabel("returning"),
      builtinSegmentLabel("high_value_at_risk"),
    ]).toEqual(["Champions", "Returning", "High-value at risk"]);
    expect(familyName("rfm", "Brand new name")).toBe("Brand new name");
  });

  test("every built-in segment, RFM group and lifecycle stage has a name unlike every other's", () => {
    const names = [
      ...BUILTIN_SEGMENTS.map(builtinSegmentLabel),
      ...RFM_GROUPS.map(rfmGroupLabel),
      ...LIFECYCLE_STAGES.map(lifecycleLabel),
    ];
    expect(new Set(names.map((name) => name.toLowerCase())).size).toBe(names.length);
    expect(wordProblems(names.join("\n"))).toEqual([]);
  });
});

describe("explanations", () => {
  const asOf = d("2026-03-01");
  const wording = { currency: "GBP" };
  const prediction = {
    pAlive: 1,
    expectedOrders90: 0.1,
    expectedOrders365: 0.3,
    expectedNextOrderDay: null,
    expectedOrderValueMinor: 5126,
    clv12mMinor: 362,
    confidence: "medium" as const,
    confidenceReason: "",
  };

  test("a one-order customer: the shop's gap with its unit, and no '100% likely active' the model says of everyone with one purchase", () => {
    const { profile } = computeProfile("c", [order(asOf - 900, 2380)], asOf);
    const stage = lifecycle(profile, 48, DEFAULT_SETTINGS.lifecycle);
    const line = explainLifecycle(stage, profile, prediction, 48);
    expect(line).toBe("Lost (lifecycle stage): last order 900 days ago, customers here usually reorder every 48 days");
    expect(explainPrediction(prediction, wording, profile)).toBe(
      "Predicted: 0.3 orders in the next 12 months at £51.26, 12-month value £3.62 (confidence: medium)",
    );
  });

  test("a repeat customer: their own gap, in days, and how likely they are to be active", () => {
    const { profile } = computeProfile("c", [order(asOf - 200, 2000), order(asOf - 179, 2000)], asOf);
    const stage = lifecycle(profile, 48, DEFAULT_SETTINGS.lifecycle);
    expect(explainLifecycle(stage, profile, { ...prediction, pAlive: 0.42 }, 48)).toMatch(
      /^Lapsed \(lifecycle stage\): 42% likely active; last order 179 days ago, usually every \d+ days$/,
    );
  });

  test("RFM in words: each score out of 5 with its figure; a buyer not scored yet is not called a prospect", () => {
    const { profile } = computeProfile("c", [order(asOf - 40, 10000), order(asOf - 10, 44500)], asOf);
    expect(explainRfm({ r: 4, f: 5, m: 5, fm: 5 }, "loyal", profile, wording)).toBe(
      "Loyal: recency 4 of 5 (last order 10 days ago), frequency 5 of 5 (2 orders), spend 5 of 5 (£545.00)",
    );
    const { profile: one } = computeProfile("c", [order(asOf - 3, 2000)], asOf);
    const unscored = explainRfm(null, "prospects", one, wording);
    expect(unscored).toBe(
      "RFM group not scored yet: 1 order, the last 3 days ago; scores rank customers against each other at the next full segment pass",
    );
    expect(unscored).not.toMatch(/Prospect|no purchase/);
    const { profile: none } = computeProfile("c", [], asOf);
    expect(explainRfm(null, "prospects", none, wording)).toBe("Prospects (RFM group): no purchase yet");
  });
});

describe("the segment builder", () => {
  const context = {
    currency: "GBP",
    choices: (field: string) =>
      valueChoices(field, [{ id: "gold", name: "Gold" }])?.map((choice) => choice.value) ?? null,
  };
  const draft = (conditions: SegmentDraft["conditions"]): SegmentDraft => ({ name: "x", combine: "all", conditions });

  test("offers comparisons in words, never the rule language's keys", () => {
    const labels = Object.values(OPERATORS).flatMap((ops) => ops.map((op) => op.label));
    expect(labels).toEqual(
      expect.arrayContaining([
        "at least",
        "more than",
        "at most",
        "less than",
        "between",
        "is empty",
        "is not empty",
        "is one of",
      ]),
    );
    expect(wordProblems(labels.join("\n"))).toEqual([]);
  });

  test("values a merchant chooses are labelled: tiers by name, RFM groups, stages, months", () => {
    expect(valueChoices("tier", [{ id: "gold", name: "Gold" }])).toEqual([{ value: "gold", label: "Gold" }]);
    expect(valueChoices("rfmGroup", [])?.find((choice) => choice.value === "needs_attention")?.label).toBe(
      "Needs attention",
    );
    expect(valueChoices("segments", [])?.find((choice) => choice.value === "at_risk")?.label).toBe(
      "At risk (win-back)",
    );
    expect(valueChoices("purchaseMonths", [])?.[11]).toEqual({ value: "12", label: "December" });
    expect(valueChoices("orders", [])).toBeNull();
  });

  test("a percentage typed becomes the rule's share and reads back as typed", () => {
    const typed = draft([
      { field: "pAlive", op: "lt", value: "30" },
      { field: "refundCancelShare", op: "between", value: "12.5, 50" },
      { field: "orders", op: "gte", value: "3" },
    ]);
    const rule = ruleFromDraft(typed);
    expect(rule).toEqual({
      all: [
        { field: "pAlive", op: "lt", value: 0.3 },
        { field: "refundCancelShare", op: "between", value: [0.125, 0.5] },
        { field: "orders", op: "gte", value: 3 },
      ],
    });
    expect(draftFromRule("x", rule)).toEqual(typed);
    expect(draftErrors(typed, context)).toEqual({});
  });

  test("every refusal is a sentence for the merchant", () => {
    const errors = draftErrors(
      draft([
        { field: "shoeSize", op: "gte", value: "3" },
        { field: "orders", op: "contains", value: "3" },
        { field: "orders", op: "gte", value: "three" },
        { field: "netSpend", op: "gte", value: "12.345" },
        { field: "pAlive", op: "lt", value: "150" },
        { field: "orders", op: "between", value: "9, 2" },
        { field: "tier", op: "eq", value: "platinum" },
        { field: "lifecycle", op: "in", value: "" },
      ]),
      context,
    );
    expect(errors).toEqual({
      "conditions.0.field": "Choose a field from the list",
      "conditions.1.op": "Choose a comparison from the list",
      "conditions.2.value": "Enter a number",
      "conditions.3.value": "Enter an amount in GBP, like 100.00",
      "conditions.4.value": "Enter a percentage from 0 to 100",
      "conditions.5.value": "The first number must not be above the second",
      "conditions.6.value": "Choose from the list",
      "conditions.7.value": "Choose at least one",
    });
  });
});

describe("settings", () => {
  const values = settingsValues({
    segment: DEFAULT_SETTINGS,
    netRevenueBasis: "merchandise",
    attributionWindowDays: 14,
    dataRetentionDays: 365,
  });

  test("shares are shown and typed as percentages", () => {
    expect(values).toMatchObject({ "winback.highValueTopShare": "20", "predictions.annualDiscountRate": "10" });
    const parsed = parseSettings({ ...values, "winback.highValueTopShare": "12.5" }, DEFAULT_SETTINGS);
    expect(parsed.ok && parsed.segment.winback?.highValueTopShare).toBe(0.125);
  });

  test("every refusal is a sentence for the merchant, never the schema's", () => {
    const bad = {
      ...values,
      "lifecycle.atRiskMultiple": "0",
      "lifecycle.lostAfterDays": "2.5",
      "winback.highValueTopShare": "120",
      "customSegments.tinyMinimum": "-1",
      "predictions.annualDiscountRate": "ten",
      attributionWindowDays: "0",
    };
    const parsed = parseSettings(bad, DEFAULT_SETTINGS);
    expect(parsed.ok).toBe(false);
    const messages = parsed.ok ? [] : Object.values(parsed.errors);
    expect(messages).toHaveLength(6);
    expect(wordProblems(messages.join("\n"))).toEqual([]);
    const order = parseSettings({ ...values, "lifecycle.lapsedMultiple": "1.5" }, DEFAULT_SETTINGS);
    expect(order.ok ? {} : order.errors).toEqual({
      "lifecycle.lapsedMultiple": "At risk must come before lapsed, and lapsed before lost",
    });
  });
});

describe("offers", () => {
  const audiences = new Set(["everyone", "guests", "segment:at_risk"]);
  const form = (fields: Record<string, string>) => {
    const data = new FormData();
    for (const [name, value] of Object.entries({
      audience: "everyone",
      "discount.kind": "none",
      holdoutPercent: "10",
      priority: "0",
      ...fields,
    }))
      data.set(name, value);
    return data;
  };
  const messagesFor = (fields: Record<string, string>) => {
    const parsed = parseOfferForm(form(fields), audiences, "GBP");
    if (!parsed.ok) return parsed.errors;
    const result = validateOffer({ ...parsed.input, id: "x" });
    return result.ok ? {} : result.errors;
  };

  test("an empty form is refused field by field in the merchant's words", () => {
    expect(messagesFor({})).toEqual({
      name: "Give the offer a name",
      "content.headline": "Write a headline",
      "content.ctaLabel": "Write the button's label",
      "content.ctaUrl": "Enter where the button leads: a path on your shop or an https:// address",
    });
  });

  test("hostile and mistyped fields: every message passes the word lint", () => {
    const cases: Record<string, string>[] = [
      {
        name: "x".repeat(200),
        "content.headline": "y".repeat(200),
        "content.ctaLabel": "z".repeat(50),
        "content.ctaUrl": "javascript:alert(1)",
      },
      { priority: "high", holdoutPercent: "75", startsAt: "someday" },
      { holdoutPercent: "-5", "content.image.url": "http://insecure.example/a.png", "content.image.width": "wide" },
      { "discount.kind": "existing_code", "discount.code": "" },
      { "discount.kind": "cadence_code", "discount.value.type": "percentage", "discount.value.percent": "0" },
      { "discount.kind": "cadence_code", "discount.value.type": "fixed_amount", "discount.value.amount": "1.234" },
      {
        audience: "guests",
        holdoutPercent: "10",
        "discount.kind": "cadence_code",
        "discount.value.type": "percentage",
        "discount.value.percent": "10",
      },
      { audience: "tier:platinum" },
      { startsAt: "2026-12-10", endsAt: "2026-12-01" },
    ];
    for (const fields of cases) {
      const messages = Object.values(messagesFor(fields));
      expect(messages.length, JSON.stringify(fields)).toBeGreaterThan(0);
      expect(wordProblems(messages.join("\n")), JSON.stringify(fields)).toEqual([]);
      for (const message of messages) expect(message, JSON.stringify(fields)).toMatch(/^[A-Z]/);
    }
  });

  test("a guest offer, or one holding out no one, is said to be not measured at once", () => {
    expect(notMeasured({ audience: { kind: "guests" }, holdoutPercent: 0 })?.message).toMatch(
      /^Not measured: guests have no holdout/,
    );
    expect(notMeasured({ audience: { kind: "everyone" }, holdoutPercent: 0 })?.kind).toBe("not_measured");
    expect(notMeasured({ audience: { kind: "everyone" }, holdoutPercent: 10 })).toBeNull();
    expect(verdictSummary("not_measured", "guests")).toBe("Not measured: guests have no holdout");
    expect(verdictSummary("too_early", "everyone")).toBe("Too early to tell");
  });
});
