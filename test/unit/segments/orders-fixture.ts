import type { ProfileOrder } from "~/profiles/orders";

// Compact order facts for unit tests: order(day, net) with optional refund/cancellation/discount/lines.
export function order(
  day: number,
  netMinor: number,
  extra: Partial<Omit<ProfileOrder, "day" | "netMinor">> = {},
): ProfileOrder {
  return {
    day,
    netMinor,
    refundedMinor: 0,
    refundDay: null,
    discountMinor: 0,
    cancelledDay: null,
    lines: [],
    ...extra,
  };
}
