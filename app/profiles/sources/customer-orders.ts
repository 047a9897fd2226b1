import type { ProfileOrder } from "../orders";

// Orders gathered per customer from a file. Orders are built in place, so a million rows make a million small
// objects and nothing more.

export const NO_LINES: ProfileOrder["lines"] = Object.freeze([]) as unknown as ProfileOrder["lines"];

export interface CustomerOrders {
  currency: string;
  customers: Map<string, ProfileOrder[]>;
  /** Rows read, and rows left out with the reason ("after as-of", "guest", …). */
  rows: number;
  skipped: Record<string, number>;
}

export function skip(result: CustomerOrders, reason: string): void {
  result.skipped[reason] = (result.skipped[reason] ?? 0) + 1;
}

export function addOrder(result: CustomerOrders, customerId: string, order: ProfileOrder): void {
  const list = result.customers.get(customerId);
  if (list) list.push(order);
  else result.customers.set(customerId, [order]);
}
