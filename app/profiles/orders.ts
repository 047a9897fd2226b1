import type { Day } from "./days";

// The facts a profile is computed from: one customer's orders, already reduced to what segmentation needs.
// Test orders never reach this point (they are not sales). Amounts are integer minor units of the shop currency.

export interface ProfileOrderLine {
  productType: string | null;
  amountMinor: number;
}

export interface ProfileOrder {
  /** The local calendar day the order was placed (processedAt in the shop's time zone). */
  day: Day;
  /** What the order is worth now on the shop's net-revenue basis: after refunds; 0 when cancelled. */
  netMinor: number;
  /** Money refunded on the same basis (0 when none). */
  refundedMinor: number;
  /** Day of the latest refund, when there was one. */
  refundDay: Day | null;
  discountMinor: number;
  /** Day the order was cancelled, or null. */
  cancelledDay: Day | null;
  lines: ProfileOrderLine[];
}

/**
 * A purchase is an order that was not cancelled and not refunded in full. A zero-value order that was never
 * refunded (a free sample, a 100% discount) is still a purchase: the customer chose to order.
 */
export function isPurchase(order: ProfileOrder): boolean {
  return order.cancelledDay === null && !(order.refundedMinor > 0 && order.netMinor <= 0);
}

/** The order's value before any refund: what it counted for until the refund day. */
export function grossMinor(order: ProfileOrder): number {
  return order.netMinor + order.refundedMinor;
}

export interface PurchaseOccasion {
  day: Day;
  /** Net amount of all the purchases made that day. */
  amountMinor: number;
}

/**
 * Purchases merged by day, in day order. Same-day purchases are one purchase occasion, the convention of the
 * BTYD literature (Fader, Hardie & Lee 2005) and of every interval in a profile.
 */
export function purchaseOccasions(orders: readonly ProfileOrder[]): PurchaseOccasion[] {
  const byDay = new Map<Day, number>();
  for (const order of orders) {
    if (!isPurchase(order)) continue;
    byDay.set(order.day, (byDay.get(order.day) ?? 0) + order.netMinor);
  }
  return [...byDay.entries()].sort((a, b) => a[0] - b[0]).map(([day, amountMinor]) => ({ day, amountMinor }));
}
