import type { Arm } from "../holdout";
import { summarise } from "./intervals";
import type { SampleSummary } from "./intervals";

// Who converted, per arm. The unit is the shopper: a customer enters an offer's comparison at their first
// exposure (the block rendered in view, in either arm: holdout shoppers see generic content in the same place,
// so both arms are counted the same way). A conversion is an order by that customer at or after the first
// exposure and within the attribution window, or an order at any time after it that redeems the offer's code.
// Revenue per shopper is the net amount of those orders divided by every exposed shopper, zeros included.

export interface Exposure {
  customerId: string;
  offerId: string;
  arm: Arm;
  at: Date;
}

export interface OrderFact {
  customerId: string;
  processedAt: Date;
  /** Net of refunds, in the shop currency's minor units. */
  netMinor: number | bigint;
  discountCodes?: readonly string[];
}

export interface ArmOutcome {
  /** Exposure events recorded (a shopper may see the offer many times). */
  exposures: number;
  /** Distinct shoppers exposed: the unit of the comparison. */
  shoppers: number;
  conversions: number;
  conversionRate: number;
  revenueMinor: number;
  /** Per-shopper revenue in minor units: n, mean and sample variance. */
  revenue: SampleSummary;
}

export interface AttributionInput {
  offerId: string;
  /** The offer's discount codes (matched case-insensitively, as Shopify matches codes). */
  offerCodes: readonly string[];
  exposures: readonly Exposure[];
  orders: readonly OrderFact[];
  windowDays: number;
}

const DAY_MS = 86_400_000;

export function armOutcomes(input: AttributionInput): Record<Arm, ArmOutcome> {
  if (!(input.windowDays > 0))
    throw new RangeError(`the attribution window must be positive, not ${input.windowDays} days`);
  // A customer's first exposure fixes their arm. Arms are stable by construction (holdout.ts); if the merchant
  // raised the holdout share mid-flight, the arm the shopper actually saw first is the one that counts.
  const first = new Map<string, Exposure>();
  const events: Record<Arm, number> = { treatment: 0, holdout: 0 };
  for (const exposure of input.exposures) {
    if (exposure.offerId !== input.offerId) continue;
    events[exposure.arm] += 1;
    const seen = first.get(exposure.customerId);
    if (!seen || exposure.at < seen.at) first.set(exposure.customerId, exposure);
  }
  const ordersByCustomer = new Map<string, OrderFact[]>();
  for (const order of input.orders) {
    if (!first.has(order.customerId)) continue;
    const list = ordersByCustomer.get(order.customerId) ?? [];
    list.push(order);
    ordersByCustomer.set(order.customerId, list);
  }
  const codes = new Set(input.offerCodes.map((code) => code.toLowerCase()));
  const windowMs = input.windowDays * DAY_MS;
  const perArm: Record<Arm, { converted: number; revenues: number[] }> = {
    treatment: { converted: 0, revenues: [] },
    holdout: { converted: 0, revenues: [] },
  };
  for (const [customerId, exposure] of first) {
    const start = exposure.at.getTime();
    let revenue = 0;
    let converted = false;
    for (const order of ordersByCustomer.get(customerId) ?? []) {
      const at = order.processedAt.getTime();
      if (at < start) continue;
      const redeemed = order.discountCodes?.some((code) => codes.has(code.toLowerCase())) ?? false;
      if (at < start + windowMs || redeemed) {
        converted = true;
        revenue += Number(order.netMinor);
      }
    }
    const arm = perArm[exposure.arm];
    if (converted) arm.converted += 1;
    arm.revenues.push(revenue);
  }
  const outcome = (arm: Arm): ArmOutcome => ({
    exposures: events[arm],
    shoppers: perArm[arm].revenues.length,
    conversions: perArm[arm].converted,
    conversionRate: perArm[arm].revenues.length ? perArm[arm].converted / perArm[arm].revenues.length : 0,
    revenueMinor: perArm[arm].revenues.reduce((sum, value) => sum + value, 0),
    revenue: summarise(perArm[arm].revenues),
  });
  return { treatment: outcome("treatment"), holdout: outcome("holdout") };
}
