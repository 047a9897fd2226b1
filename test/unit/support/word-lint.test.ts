import { describe, expect, test } from "vitest";
import { moneyProblems, wordProblems } from "../../support/merchant-words";

// The word lint the admin walk applies to every page: each rule catches what the issue saw on screen, and passes
// the merchant's words that replaced it.

describe("the admin word lint", () => {
  test.each([
    ["Share of each month&apos;s new customers", "HTML entity"],
    [
      "Predictions {predictions.confidence ? <Badge>{`${predictions.confidence} confidence`}</Badge> : null}",
      "source code",
    ],
    ["Predictions <Badge>medium</Badge>", "source code"],
    ["Value ${amount}", "source code"],
    ["Lifecycle at_risk", "internal key"],
    ["Audience: rfm_champions", "internal key"],
    ["See tier:gold", "segment key"],
    ["Comparison gte", "rule operator key"],
    ["Comparison isSet", "rule operator key"],
    ["orders ≥ 3", "comparison symbol"],
    ["Too small: expected string to have >=1 characters", "validation library"],
    ["Invalid input: expected number, received NaN", "validation library"],
    ["Lost: last order 900 days ago, usually every 21", "without its unit"],
    ["Active: usually every 1,204. Next", "without its unit"],
    ["1 shoppers have opted out", "plural after 1"],
    ["Last webhook 2026-12-07T11:08:49.000Z", "raw timestamp"],
    ["High-value at risk: top share (0–1)", "0–1 share"],
    ["£545 and £342.90", "money not in the one format"],
    ["1 triggers will be sent again", "plural after 1"],
    ["refitted on your orders up to 2026-09-08, predicted", "raw date"],
    ["12-month value 1234.56 GBP, 40 days since", "a number and a currency code"],
    ["Silver → Gold (shopify flow)", "lower case"],
    ["Examples are in Cadence's docs/flow.md.", "file path"],
  ])("catches %j", (text, rule) => {
    expect(wordProblems(text).join("\n")).toContain(rule);
  });

  test("passes the words that replace them", () => {
    const plain = [
      "At risk (win-back) · At risk (RFM group) · At risk (lifecycle stage)",
      "Orders at least 3 and net spend more than £100.00; days since last order is empty",
      "Give the offer a name",
      "Lost (lifecycle stage): last order 900 days ago, usually every 21 days",
      "1 shopper has opted out; 11 orders; 21 customers",
      "Last webhook 7 Dec 2026, 11:08 UTC",
      "High-value at risk: customers at risk in the top 20 % by 12-month value",
      "£545.00 of £1,342.90; 9.0% of customers",
      "Not measured: guests have no holdout",
      "Up to 8 Sept 2026, 14:27 UTC; 1 trigger; Set by Shopify Flow: Demo VIP; words-demo.myshopify.com",
      "12-month value £1,234.56, 40 days since the last order; an amount in GBP, like 100.00",
    ].join("\n");
    expect(wordProblems(plain)).toEqual([]);
  });

  test("money: symbol and two decimals, thousands separated", () => {
    expect(moneyProblems("£0.00 £12.50 £1,240.00 £1,234,567.89")).toEqual([]);
    expect(moneyProblems("£1240.00")).toEqual(['money not in the one format: "£1240.00"']);
    expect(moneyProblems("£3.5")).toHaveLength(1);
  });
});
