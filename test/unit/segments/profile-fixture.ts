import { computeProfile } from "~/profiles/profile";
import type { CustomerProfile } from "~/profiles/profile";
import type { ProfileOrder } from "~/profiles/orders";

/** A profile from orders, with overrides for fields a test wants to pin. */
export function profileOf(
  orders: ProfileOrder[],
  asOf: number,
  overrides: Partial<CustomerProfile> = {},
): CustomerProfile {
  return { ...computeProfile("c", orders, asOf).profile, ...overrides };
}
