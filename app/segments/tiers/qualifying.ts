import { calendarDate, startOfYear } from "~/profiles/days";
import type { Day } from "~/profiles/days";
import { grossMinor, isPurchase } from "~/profiles/orders";
import type { ProfileOrder } from "~/profiles/orders";
import type { LoyaltyProgram, Threshold, TierWindow } from "./program";

// What a customer has "done" for the loyalty program on a given day: net spend and purchases inside the
// program's window. Refunds count from the day they were made (an order counts at its full value until then), so a
// refund starts a grace period on the day it happens rather than rewriting the past. Cancelled orders never count.

export interface QualifyingValue {
  spendMinor: number;
  orders: number;
}

function countsAt(order: ProfileOrder, day: Day): QualifyingValue | null {
  if (order.cancelledDay !== null || order.day > day) return null;
  const refunded = order.refundDay !== null && order.refundedMinor > 0 && order.refundDay <= day;
  if (!refunded) return { spendMinor: grossMinor(order), orders: 1 };
  return { spendMinor: order.netMinor, orders: isPurchase(order) ? 1 : 0 };
}

function sum(orders: readonly ProfileOrder[], day: Day, inWindow: (orderDay: Day) => boolean): QualifyingValue {
  const total = { spendMinor: 0, orders: 0 };
  for (const order of orders) {
    if (!inWindow(order.day)) continue;
    const value = countsAt(order, day);
    if (!value) continue;
    total.spendMinor += value.spendMinor;
    total.orders += value.orders;
  }
  return total;
}

/**
 * rolling N days: orders placed in the N days ending on `day` (day − N + 1 … day);
 * lifetime: every order up to `day`;
 * calendar year: the better of this calendar year and the last one, per criterion, so a tier earned in year N is
 * kept through year N + 1 (the convention of calendar-year loyalty programs).
 */
export function qualifyingValue(window: TierWindow, orders: readonly ProfileOrder[], day: Day): QualifyingValue {
  switch (window.kind) {
    case "rolling":
      return sum(orders, day, (orderDay) => orderDay > day - window.days && orderDay <= day);
    case "lifetime":
      return sum(orders, day, (orderDay) => orderDay <= day);
    case "calendar-year": {
      const year = calendarDate(day).year;
      const thisYear = sum(orders, day, (orderDay) => orderDay >= startOfYear(year) && orderDay <= day);
      const lastYear = sum(
        orders,
        day,
        (orderDay) => orderDay >= startOfYear(year - 1) && orderDay < startOfYear(year),
      );
      return {
        spendMinor: Math.max(thisYear.spendMinor, lastYear.spendMinor),
        orders: Math.max(thisYear.orders, lastYear.orders),
      };
    }
  }
}

/** Every day on which the qualifying value can change: orders, refunds, and orders leaving the window. */
export function changeDays(window: TierWindow, orders: readonly ProfileOrder[]): Day[] {
  const days = new Set<Day>();
  for (const order of orders) {
    if (order.cancelledDay !== null) continue;
    days.add(order.day);
    if (order.refundDay !== null && order.refundedMinor > 0) days.add(Math.max(order.refundDay, order.day));
    if (window.kind === "rolling") days.add(order.day + window.days);
    if (window.kind === "calendar-year") {
      const year = calendarDate(order.day).year;
      days.add(startOfYear(year + 1));
      days.add(startOfYear(year + 2));
    }
  }
  return [...days].sort((a, b) => a - b);
}

export function meets(threshold: Threshold, value: QualifyingValue, combine: LoyaltyProgram["combine"]): boolean {
  const checks: boolean[] = [];
  if (threshold.spendMinor !== null) checks.push(value.spendMinor >= threshold.spendMinor);
  if (threshold.orders !== null) checks.push(value.orders >= threshold.orders);
  if (checks.length === 0) return false;
  return combine === "any" ? checks.some(Boolean) : checks.every(Boolean);
}
