import { describe, expect, test } from "vitest";
import { summariseByCustomer, summarisePurchases } from "~/segments/predictive/index.ts";
import { addDays, dayNumber } from "~/segments/predictive/calendar-days.ts";
import { cdnowPurchases, cdnowSummaryCsv } from "./cdnow.ts";

const CALIBRATION = { asOf: "1997-09-30", unit: "week" as const };

describe("CDNOW summaries from the raw transactions", () => {
  const summaries = summariseByCustomer(cdnowPurchases(), CALIBRATION);

  test("every customer of the sample is summarised", () => {
    expect(summaries.size).toBe(2357);
  });

  test("x, t_x and T equal cdnow_customers_summary.csv", () => {
    const rows = cdnowSummaryCsv("cdnow_customers_summary.csv");
    expect(rows).toHaveLength(2357);
    const differences = rows.filter((row) => {
      const s = summaries.get(row.id)!;
      return (
        s.x !== row.x || s.tx.toFixed(2) !== Number(row.tx).toFixed(2) || s.T.toFixed(2) !== Number(row.T).toFixed(2)
      );
    });
    expect(differences).toEqual([]);
  });

  test("x, t_x, T and zbar equal cdnow_customers_summary_with_transactions.csv (zbar to 0.01)", () => {
    const rows = cdnowSummaryCsv("cdnow_customers_summary_with_transactions.csv");
    const differences = rows.filter((row) => {
      const s = summaries.get(row.id)!;
      return (
        s.x !== row.x ||
        s.tx.toFixed(2) !== row.tx ||
        s.T.toFixed(2) !== row.T ||
        Math.abs(s.monetary - row.zbar!) > 0.01 + 1e-9
      );
    });
    expect(differences).toEqual([]);
  });

  test("the published totals hold: Σx = 2,457 and 946 repeat customers", () => {
    let x = 0;
    let repeaters = 0;
    for (const s of summaries.values()) {
      x += s.x;
      if (s.x > 0) repeaters++;
    }
    expect([x, repeaters]).toEqual([2457, 946]);
  });

  test("customer 1: first purchase 1997-01-01, T = 272 days / 7", () => {
    const s = summaries.get("1")!;
    expect(s).toMatchObject({ x: 2, firstPurchase: "1997-01-01", lastPurchase: "1997-08-02", T: 272 / 7, tx: 213 / 7 });
    // Repeat occasions 29.73 and 14.96; the first (29.33) is left out of zbar.
    expect(s.monetary).toBeCloseTo((29.73 + 14.96) / 2, 10);
    expect(s.totalValue).toBeCloseTo(29.33 + 29.73 + 14.96, 10);
  });
});

describe("summarisePurchases", () => {
  const options = { asOf: "2025-03-31", unit: "day" as const };

  test("merges same-day purchases into one occasion and sums their amounts", () => {
    const s = summarisePurchases(
      [
        { date: "2025-01-10", amount: 10 },
        { date: "2025-01-10", amount: 5 },
        { date: "2025-02-01", amount: 20 },
        { date: "2025-02-01", amount: 4 },
        { date: "2025-03-01", amount: 30 },
      ],
      options,
    );
    expect(s).toMatchObject({ x: 2, tx: 50, T: 80, monetary: 27, totalValue: 69 });
  });

  test("ignores purchases after the as-of date and counts the as-of date itself", () => {
    const s = summarisePurchases(
      [
        { date: "2025-03-31", amount: 8 },
        { date: "2025-01-01", amount: 2 },
        { date: "2025-04-01", amount: 1000 },
      ],
      options,
    );
    expect(s).toMatchObject({ x: 1, tx: 89, T: 89, monetary: 8, lastPurchase: "2025-03-31" });
  });

  test("a one-time buyer has x = 0, t_x = 0 and monetary 0", () => {
    expect(summarisePurchases([{ date: "2025-03-01", amount: 12 }], options)).toMatchObject({
      x: 0,
      tx: 0,
      T: 30,
      monetary: 0,
      totalValue: 12,
    });
  });

  test("returns null when nothing was bought by the as-of date", () => {
    expect(summarisePurchases([], options)).toBeNull();
    expect(summarisePurchases([{ date: "2025-04-02", amount: 5 }], options)).toBeNull();
  });

  test("weeks are days / 7", () => {
    const s = summarisePurchases(
      [
        { date: "2025-03-17", amount: 1 },
        { date: "2025-03-24", amount: 1 },
      ],
      { ...options, unit: "week" },
    );
    expect(s).toMatchObject({ x: 1, tx: 1, T: 2 });
  });

  test("rejects dates that are not real YYYY-MM-DD days, and non-finite amounts, with a clear message", () => {
    expect(() => summarisePurchases([{ date: "1997-02-30", amount: 1 }], options)).toThrow(/not a real calendar day/);
    expect(() => summarisePurchases([{ date: "19970101", amount: 1 }], options)).toThrow(/not a calendar day/);
    expect(() => summarisePurchases([{ date: "2025-01-01", amount: Number.NaN }], options)).toThrow(
      /not a finite number/,
    );
    expect(() => summarisePurchases([], { asOf: "2025-13-01", unit: "day" })).toThrow(/not a real calendar day/);
    expect(() => summarisePurchases([], { asOf: "2025-01-01", unit: "month" as "day" })).toThrow(/unit must be/);
  });

  test("the machine's time zone cannot move a purchase to another day", () => {
    const original = process.env.TZ;
    const results = ["Pacific/Kiritimati", "America/Adak", "UTC"].map((zone) => {
      process.env.TZ = zone;
      return summarisePurchases(
        [
          { date: "2025-03-30", amount: 1 },
          { date: "2024-03-31", amount: 1 },
        ],
        options,
      );
    });
    process.env.TZ = original;
    expect(results[0]).toEqual(results[2]);
    expect(results[1]).toEqual(results[2]);
    expect(results[2]).toMatchObject({ firstPurchase: "2024-03-31", x: 1, tx: 364, T: 365 });
  });

  test("calendar arithmetic crosses leap days", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2024-02-28", 2)).toBe("2024-03-01");
    expect(dayNumber("1970-01-01")).toBe(0);
  });
});
