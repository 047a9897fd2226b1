import { calendarDay, dayNumber } from "./calendar-days.ts";
import type { CalendarDay } from "./calendar-days.ts";

/** Time unit of the models: `day`, or `week` = days / 7 (the CDNOW convention). */
export type TimeUnit = "day" | "week";

/** Days in one model time unit. */
export const UNIT_DAYS: Readonly<Record<TimeUnit, number>> = { day: 1, week: 7 };

/** One purchase: its calendar day and its value (any currency unit; outputs come back in the same unit). */
export interface Purchase {
  date: CalendarDay;
  amount: number;
}

/** A purchase of a named customer, for summarising a whole shop at once. */
export interface CustomerPurchase extends Purchase {
  customerId: string;
}

/** Calibration period of a summary: purchases up to and including `asOf`, times measured in `unit`. */
export interface SummaryOptions {
  asOf: CalendarDay;
  unit: TimeUnit;
}

/**
 * A customer's purchase history reduced to what the BTYD models use. Purchases on the same calendar day are one
 * purchase occasion (their amounts add up); purchases after `asOf` are ignored.
 */
export interface PurchaseSummary {
  /** Last calendar day of the calibration period (inclusive). */
  asOf: CalendarDay;
  /** Unit of `tx` and `T`. */
  unit: TimeUnit;
  /** x: repeat purchase occasions, i.e. purchase days minus one. */
  x: number;
  /** t_x: time from the first to the last purchase occasion, in `unit`. 0 when x = 0. */
  tx: number;
  /** T: time from the first purchase occasion to `asOf`, in `unit` (CDNOW: (1997-09-30 − first) / 7). */
  T: number;
  /** Mean value of the repeat occasions (the first is left out, as in Gamma-Gamma's `zbar`); 0 when x = 0. */
  monetary: number;
  /** Value of all purchase occasions in the calibration period, the first included. */
  totalValue: number;
  /** Day of the first purchase occasion. */
  firstPurchase: CalendarDay;
  /** Day of the last purchase occasion on or before `asOf`. */
  lastPurchase: CalendarDay;
}

function checkOptions(options: SummaryOptions): { asOfDay: number; unitDays: number } {
  const unitDays = UNIT_DAYS[options.unit];
  if (unitDays === undefined) throw new RangeError(`unit must be "day" or "week", not "${String(options.unit)}"`);
  return { asOfDay: dayNumber(options.asOf), unitDays };
}

// A shop's million purchases fall on a few thousand distinct days: parse each day once.
function dayParser(): (date: CalendarDay) => number {
  const cache = new Map<string, number>();
  return (date) => {
    let day = cache.get(date);
    if (day === undefined) {
      day = dayNumber(date);
      cache.set(date, day);
    }
    return day;
  };
}

function addOccasion(
  occasions: Map<number, number>,
  purchase: Purchase,
  asOfDay: number,
  parse: (date: CalendarDay) => number,
): void {
  const day = parse(purchase.date);
  if (!Number.isFinite(purchase.amount)) {
    throw new RangeError(`purchase on ${purchase.date} has amount ${String(purchase.amount)}, not a finite number`);
  }
  if (day > asOfDay) return;
  occasions.set(day, (occasions.get(day) ?? 0) + purchase.amount);
}

function summariseOccasions(
  occasions: Map<number, number>,
  options: SummaryOptions,
  asOfDay: number,
  unitDays: number,
): PurchaseSummary | null {
  if (occasions.size === 0) return null;
  let first = Infinity;
  let last = -Infinity;
  let total = 0;
  for (const [day, value] of occasions) {
    if (day < first) first = day;
    if (day > last) last = day;
    total += value;
  }
  const x = occasions.size - 1;
  const firstValue = occasions.get(first) ?? 0;
  return {
    asOf: options.asOf,
    unit: options.unit,
    x,
    tx: (last - first) / unitDays,
    T: (asOfDay - first) / unitDays,
    monetary: x === 0 ? 0 : (total - firstValue) / x,
    totalValue: total,
    firstPurchase: calendarDay(first),
    lastPurchase: calendarDay(last),
  };
}

/**
 * Summarises one customer's purchases for the calibration period ending `asOf` (inclusive).
 * Returns null when the customer has no purchase on or before `asOf` (they are not yet a customer then).
 * Throws a RangeError for a date that is not `YYYY-MM-DD` or an amount that is not finite.
 */
export function summarisePurchases(purchases: Iterable<Purchase>, options: SummaryOptions): PurchaseSummary | null {
  const { asOfDay, unitDays } = checkOptions(options);
  const occasions = new Map<number, number>();
  for (const purchase of purchases) addOccasion(occasions, purchase, asOfDay, dayNumber);
  return summariseOccasions(occasions, options, asOfDay, unitDays);
}

/**
 * Summarises every customer of a shop from one stream of purchases (in any order). Customers whose first purchase
 * is after `asOf` are left out. The map iterates customers in order of first appearance in `purchases`.
 */
export function summariseByCustomer(
  purchases: Iterable<CustomerPurchase>,
  options: SummaryOptions,
): Map<string, PurchaseSummary> {
  const { asOfDay, unitDays } = checkOptions(options);
  const byCustomer = new Map<string, Map<number, number>>();
  const parse = dayParser();
  for (const purchase of purchases) {
    let occasions = byCustomer.get(purchase.customerId);
    if (!occasions) {
      occasions = new Map();
      byCustomer.set(purchase.customerId, occasions);
    }
    addOccasion(occasions, purchase, asOfDay, parse);
  }
  const summaries = new Map<string, PurchaseSummary>();
  for (const [customerId, occasions] of byCustomer) {
    const summary = summariseOccasions(occasions, options, asOfDay, unitDays);
    if (summary) summaries.set(customerId, summary);
  }
  return summaries;
}
