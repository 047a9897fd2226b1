// The shop-level facts that decide how much a shop's predictions can be trusted.
import { UNIT_DAYS } from "./purchase-summary.ts";
import type { PurchaseSummary, TimeUnit } from "./purchase-summary.ts";

/** What a shop's purchase summaries amount to. */
export interface ShopData {
  /** Customers with at least one purchase on or before the as-of date. */
  customers: number;
  /** Customers with x ≥ 1 (at least two purchase days). */
  repeatCustomers: number;
  /** Σ x over all customers. */
  repeatOccasions: number;
  /** Σ T over all customers, in the model's unit. */
  exposure: number;
  /** Days from the earliest first purchase to the as-of date. */
  historyDays: number;
  /** Repeat customers whose mean repeat value is positive: the Gamma-Gamma sample. */
  valuedRepeatCustomers: number;
  /** Mean value of all purchase occasions (first ones included); 0 when there are none. */
  meanOccasionValue: number;
}

/** The fields of a summary the shop-level counts need. */
export type SummaryCounts = Pick<PurchaseSummary, "x" | "tx" | "T" | "monetary" | "totalValue">;

export function describeShop(summaries: readonly SummaryCounts[], unit: TimeUnit): ShopData {
  const unitDays = UNIT_DAYS[unit];
  let repeatCustomers = 0;
  let repeatOccasions = 0;
  let exposure = 0;
  let longest = 0;
  let valued = 0;
  let value = 0;
  let occasions = 0;
  for (const s of summaries) {
    if (s.x > 0) repeatCustomers++;
    if (s.x > 0 && s.monetary > 0) valued++;
    repeatOccasions += s.x;
    exposure += s.T;
    longest = Math.max(longest, s.T);
    value += s.totalValue;
    occasions += s.x + 1;
  }
  return {
    customers: summaries.length,
    repeatCustomers,
    repeatOccasions,
    exposure,
    historyDays: Math.round(longest * unitDays),
    valuedRepeatCustomers: valued,
    meanOccasionValue: occasions > 0 ? value / occasions : 0,
  };
}
