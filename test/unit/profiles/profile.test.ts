import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { dayFromIsoDate, dayOfInstant, isoDateFromDay, sameDateInYear } from "~/profiles/days";
import { isPurchase, purchaseOccasions } from "~/profiles/orders";
import { computeProfile } from "~/profiles/profile";
import { peakSeason } from "~/profiles/season";
import { order } from "../segments/orders-fixture";

const d = dayFromIsoDate;

describe("days", () => {
  test("calendar dates round-trip and invalid dates are refused", () => {
    expect(isoDateFromDay(d("2024-02-29"))).toBe("2024-02-29");
    expect(d("1970-01-02")).toBe(1);
    expect(() => d("2023-02-29")).toThrow(/not a calendar date/);
    expect(() => d("2023-2-1")).toThrow(/YYYY-MM-DD/);
  });

  test("an instant falls on the shop's local day", () => {
    const instant = new Date("2026-03-31T23:30:00Z");
    expect(isoDateFromDay(dayOfInstant(instant, null))).toBe("2026-03-31");
    expect(isoDateFromDay(dayOfInstant(instant, "Europe/London"))).toBe("2026-04-01"); // BST
    expect(isoDateFromDay(dayOfInstant(instant, "America/New_York"))).toBe("2026-03-31");
  });

  test("29 February's anniversary in a common year is 28 February", () => {
    expect(isoDateFromDay(sameDateInYear(d("2024-02-29"), 2025))).toBe("2025-02-28");
    expect(isoDateFromDay(sameDateInYear(d("2024-02-29"), 2028))).toBe("2028-02-29");
  });
});

describe("purchases", () => {
  test("cancelled and fully refunded orders are not purchases; zero-value orders never refunded are", () => {
    expect(isPurchase(order(1, 0, { cancelledDay: 2 }))).toBe(false);
    expect(isPurchase(order(1, 0, { refundedMinor: 500, refundDay: 3 }))).toBe(false);
    expect(isPurchase(order(1, 100, { refundedMinor: 400, refundDay: 3 }))).toBe(true);
    expect(isPurchase(order(1, 0))).toBe(true);
  });

  test("same-day purchases are one occasion with their summed amount", () => {
    expect(purchaseOccasions([order(5, 300), order(2, 100), order(5, 200), order(7, 0, { cancelledDay: 7 })])).toEqual([
      { day: 2, amountMinor: 100 },
      { day: 5, amountMinor: 500 },
    ]);
  });
});

describe("computeProfile", () => {
  const asOf = d("2026-03-01");
  const orders = [
    order(d("2025-01-10"), 4000, {
      discountMinor: 500,
      lines: [
        { productType: "Coffee", amountMinor: 3000 },
        { productType: "Mugs", amountMinor: 1000 },
      ],
    }),
    order(d("2025-01-10"), 1000, { lines: [{ productType: "Tea", amountMinor: 1000 }] }),
    order(d("2025-04-10"), 2500, {
      refundedMinor: 500,
      refundDay: d("2025-04-20"),
      lines: [{ productType: "Coffee", amountMinor: 3000 }],
    }),
    order(d("2025-05-01"), 0, { cancelledDay: d("2025-05-02") }),
    order(d("2026-02-10"), 3000, { lines: [{ productType: "Tea", amountMinor: 3000 }] }),
    order(d("2026-03-05"), 9999), // after asOf: ignored
  ];
  const { profile, occasions } = computeProfile("c1", orders, asOf);

  test("counts, money and dates", () => {
    expect(profile).toMatchObject({
      customerId: "c1",
      orders: 4,
      ordersPlaced: 5,
      netSpendMinor: 10500,
      averageOrderValueMinor: 2625,
      firstOrderDay: d("2025-01-10"),
      lastOrderDay: d("2026-02-10"),
      daysSinceLastOrder: 19,
      daysSinceFirstOrder: 415,
      purchaseDays: 3,
      refundedMinor: 500,
      lastRefundOrCancelDay: d("2025-05-02"),
      lastOrderRefunded: false,
      discountMinor: 500,
      discountedOrderShare: 0.25,
      refundCancelShare: 2 / 5,
      topProductTypes: ["Coffee", "Tea", "Mugs"],
      purchaseYears: 2,
    });
    expect(occasions.map((o) => o.amountMinor)).toEqual([5000, 2500, 3000]);
  });

  test("intervals between purchase days", () => {
    expect(profile.meanIntervalDays).toBe((90 + 306) / 2);
    expect(profile.medianIntervalDays).toBe((90 + 306) / 2);
    expect(profile.lastIntervalDays).toBe(306);
  });

  test("the last 365 days are asOf − 364 … asOf", () => {
    const edge = computeProfile("c", [order(d("2025-03-02"), 100), order(d("2025-03-01"), 50)], asOf).profile;
    expect(edge).toMatchObject({ netSpend365Minor: 100, orders365: 1 });
  });

  test("purchase months and the peak season", () => {
    expect(profile.purchaseMonths).toEqual([1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    // Jan 2025, Feb 2026 and Apr 2025: Dec–Feb and Jan–Mar both hold 2 of 3; the earliest start (Jan) wins.
    expect(profile).toMatchObject({ peakSeasonStartMonth: 1, peakSeasonShare: 2 / 3, peakSeasonYears: 2 });
  });

  test("a prospect has counts of zero and nulls for everything that needs a purchase", () => {
    const { profile: empty } = computeProfile("p", [], asOf);
    expect(empty).toMatchObject({
      orders: 0,
      netSpendMinor: 0,
      averageOrderValueMinor: null,
      firstOrderDay: null,
      daysSinceLastOrder: null,
      meanIntervalDays: null,
      refundCancelShare: null,
      discountedOrderShare: null,
      topProductTypes: [],
      peakSeasonStartMonth: null,
    });
  });

  test("the latest purchase day being refunded is flagged", () => {
    const refunded = computeProfile("r", [order(10, 100, { refundedMinor: 50, refundDay: 12 })], 20).profile;
    expect(refunded.lastOrderRefunded).toBe(true);
  });

  test("properties: spend is the sum of occasions, intervals are consistent", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            day: fc.integer({ min: 0, max: 2000 }),
            net: fc.integer({ min: 0, max: 50000 }),
            cancelled: fc.boolean(),
          }),
          { maxLength: 30 },
        ),
        (list) => {
          const facts = list.map(({ day, net, cancelled }) =>
            order(day, cancelled ? 0 : net, cancelled ? { cancelledDay: day } : {}),
          );
          const result = computeProfile("x", facts, 2000);
          expect(result.occasions.reduce((s, o) => s + o.amountMinor, 0)).toBe(result.profile.netSpendMinor);
          expect(result.profile.purchaseDays).toBe(result.occasions.length);
          if (result.profile.purchaseDays >= 2) {
            const span = (result.profile.lastOrderDay as number) - (result.profile.firstOrderDay as number);
            expect((result.profile.meanIntervalDays as number) * (result.profile.purchaseDays - 1)).toBeCloseTo(
              span,
              9,
            );
          }
          expect(result.profile.purchaseMonths.reduce((a, b) => a + b, 0)).toBe(result.profile.purchaseDays);
        },
      ),
    );
  });
});

describe("peak season", () => {
  test("wraps over New Year, and counts a December–January season once", () => {
    expect(peakSeason([d("2023-12-20"), d("2024-01-05"), d("2025-02-10"), d("2025-06-01")])).toEqual({
      startMonth: 12,
      share: 0.75,
      years: 2,
    });
  });

  test("ties go to a season opening with a month bought in, then to the earliest", () => {
    expect(peakSeason([d("2023-12-20"), d("2024-01-05"), d("2024-12-15"), d("2025-06-01")])).toMatchObject({
      startMonth: 12,
      share: 0.75,
    });
    expect(peakSeason([d("2022-11-20"), d("2023-11-18")])).toMatchObject({ startMonth: 11, share: 1, years: 2 });
    expect(peakSeason([d("2022-03-01"), d("2023-09-01")])).toMatchObject({ startMonth: 3, share: 0.5 });
  });
});

describe("calendar arithmetic", () => {
  test("property: day → date → day round-trips and agrees with Date for 1900–2200", () => {
    fc.assert(
      fc.property(fc.integer({ min: -25567, max: 84000 }), (day) => {
        const iso = isoDateFromDay(day);
        expect(iso).toBe(new Date(day * 86_400_000).toISOString().slice(0, 10));
        expect(d(iso)).toBe(day);
      }),
      { numRuns: 2000 },
    );
  });
});
