import { describe, expect, test } from "vitest";
import { dayFromIsoDate as d, isoDateFromDay } from "~/profiles/days";
import { lifecycle } from "~/segments/lifecycle/stage";
import { DEFAULT_SETTINGS, resolveSettings } from "~/segments/settings";
import {
  inUpsellWindow,
  isHighValueAtRisk,
  isUnhappy,
  nearAnniversary,
  nextAnniversary,
  seasonalBuyer,
} from "~/segments/winback/occasions";
import { order } from "./orders-fixture";
import { profileOf } from "./profile-fixture";

const winback = DEFAULT_SETTINGS.winback; // unhappy ≤ 60 days; upsell 3–21 days; anniversary lead 14; seasonal 75%, 2 years, 3 days, lead 30

describe("unhappy", () => {
  test("a refund or cancellation within 60 days, inclusive", () => {
    const refunded = (asOf: number) =>
      profileOf([order(0, 500, { refundedMinor: 500, refundDay: 10 }), order(5, 800)], asOf);
    expect(isUnhappy(refunded(10), winback)).toBe(true);
    expect(isUnhappy(refunded(70), winback)).toBe(true);
    expect(isUnhappy(refunded(71), winback)).toBe(false);
    const cancelled = profileOf([order(20, 0, { cancelledDay: 21 })], 30);
    expect(isUnhappy(cancelled, winback)).toBe(true);
    expect(isUnhappy(profileOf([order(20, 900)], 30), winback)).toBe(false);
  });
});

describe("upsell window", () => {
  const at = (since: number, extra = {}) => inUpsellWindow(profileOf([order(100, 900, extra)], 100 + since), winback);
  test("3 to 21 days after the latest purchase, inclusive", () => {
    expect([2, 3, 21, 22].map((since) => at(since))).toEqual([false, true, true, false]);
  });
  test("not when that purchase was refunded, or anything was refunded or cancelled since", () => {
    expect(at(5, { refundedMinor: 100, refundDay: 102 })).toBe(false);
    const laterCancel = profileOf([order(100, 900), order(101, 0, { cancelledDay: 101 })], 105);
    expect(inUpsellWindow(laterCancel, winback)).toBe(false);
    const oldRefund = profileOf([order(10, 900, { refundedMinor: 100, refundDay: 12 }), order(100, 900)], 105);
    expect(inUpsellWindow(oldRefund, winback)).toBe(true);
  });
});

describe("first-order anniversary", () => {
  const first = d("2024-03-12");
  test("from 14 days before to the day itself, one year or more after the first order", () => {
    const on = (asOf: string) => nearAnniversary(profileOf([order(first, 900)], d(asOf)), winback);
    expect(on("2025-02-25")).toBeNull();
    expect(on("2025-02-26")).toEqual({ day: d("2025-03-12"), years: 1, inDays: 14 });
    expect(on("2025-03-12")).toMatchObject({ years: 1, inDays: 0 });
    expect(on("2025-03-13")).toBeNull();
    expect(on("2024-03-12")).toBeNull(); // the first order itself is no anniversary
    expect(on("2026-03-01")).toMatchObject({ years: 2, inDays: 11 });
  });
  test("a 29 February first order is celebrated on 28 February in common years", () => {
    const next = nextAnniversary(profileOf([order(d("2024-02-29"), 900)], d("2025-02-20")));
    expect(next && isoDateFromDay(next.day)).toBe("2025-02-28");
  });
});

describe("seasonal buyer", () => {
  // Bought every November for three years, plus one June: 3 of 4 purchase days in Nov–Jan (75%).
  const orders = [
    order(d("2022-11-20"), 900),
    order(d("2023-11-18"), 900),
    order(d("2024-11-22"), 900),
    order(d("2024-06-01"), 900),
  ];
  const on = (asOf: string, settings = winback) => seasonalBuyer(profileOf(orders, d(asOf)), settings);

  test("a member from 30 days before the season until its last day", () => {
    expect(on("2025-10-01")).toBeNull();
    expect(on("2025-10-02")).toMatchObject({ startMonth: 11, startDay: d("2025-11-01"), endDay: d("2026-01-31") });
    expect(on("2026-01-31")).not.toBeNull();
    expect(on("2026-02-01")).toBeNull();
  });

  test("the share, years and purchase-day minimums are inclusive thresholds", () => {
    expect(on("2025-11-05", resolveSettings({ winback: { seasonalShare: 0.76 } }).winback)).toBeNull();
    expect(on("2025-11-05", resolveSettings({ winback: { seasonalMinYears: 3 } }).winback)).not.toBeNull();
    expect(on("2025-11-05", resolveSettings({ winback: { seasonalMinYears: 4 } }).winback)).toBeNull();
    expect(on("2025-11-05", resolveSettings({ winback: { seasonalMinPurchaseDays: 5 } }).winback)).toBeNull();
  });
});

describe("high-value at risk", () => {
  const atRisk = lifecycle(profileOf([order(0, 900)], 200), 60, DEFAULT_SETTINGS.lifecycle);
  const active = lifecycle(profileOf([order(0, 900)], 10), 60, DEFAULT_SETTINGS.lifecycle);
  test("at risk and at or above the top-20% cut-off", () => {
    expect(atRisk.stage).toBe("at_risk");
    expect(isHighValueAtRisk(atRisk, { valueMinor: 5000, cutoffMinor: 5000 })).toBe(true);
    expect(isHighValueAtRisk(atRisk, { valueMinor: 4999, cutoffMinor: 5000 })).toBe(false);
    expect(isHighValueAtRisk(active, { valueMinor: 9000, cutoffMinor: 5000 })).toBe(false);
    expect(isHighValueAtRisk(atRisk, { valueMinor: 0, cutoffMinor: 0 })).toBe(false);
    expect(isHighValueAtRisk(atRisk, { valueMinor: 9000, cutoffMinor: null })).toBe(false);
  });
});
