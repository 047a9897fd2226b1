// Customer lifetime value over a horizon: BG/NBD expected orders month by month × Gamma-Gamma expected order
// value, each month's value discounted at an annual rate compounded monthly.
import { probabilityAlive } from "./bgnbd.ts";
import type { BgNbdParams, RecencyFrequency } from "./bgnbd-likelihood.ts";
import { expectedPurchasesIfAlive } from "./hypergeometric.ts";

/** A month is a twelfth of a 365-day year, so 12 months is exactly the 365-day horizon of `expectedOrders365`. */
export const DAYS_PER_MONTH = 365 / 12;

export interface ClvSettings {
  /** Annual discount rate as a fraction (0.1 = 10 % a year), ≥ 0. */
  annualDiscountRate: number;
  /** Months ahead to value, a whole number from 1 to 120. */
  horizonMonths: number;
}

export function checkClvSettings(settings: ClvSettings): void {
  const { annualDiscountRate: rate, horizonMonths: months } = settings;
  if (!(rate >= 0 && Number.isFinite(rate)))
    throw new RangeError(`annual discount rate must be a finite fraction ≥ 0, not ${rate}`);
  if (!(Number.isInteger(months) && months >= 1 && months <= 120)) {
    throw new RangeError(`CLV horizon must be a whole number of months from 1 to 120, not ${months}`);
  }
}

/**
 * Cumulative expected orders at the end of each month 1…months after T, E[Y(t_k) | x, t_x, T] with
 * t_k = k · 365/12 days (`unitDays` converts days into the model's unit).
 */
export function monthlyExpectedOrders(
  params: BgNbdParams,
  c: RecencyFrequency,
  unitDays: number,
  months: number,
): number[] {
  const pAlive = probabilityAlive(params, c);
  const base = params.alpha + c.T;
  const out: number[] = [];
  for (let k = 1; k <= months; k++) {
    const s = (k * DAYS_PER_MONTH) / unitDays / base;
    out.push(pAlive * expectedPurchasesIfAlive(params.r + c.x, params.a, params.b + c.x, s));
  }
  return out;
}

/**
 * Σ_k (E[orders by month k] − E[orders by month k−1]) · orderValue / (1 + rate)^(k/12): orders expected in month k
 * are valued at the end of that month. Never negative for a non-negative order value.
 */
export function discountedValue(
  cumulativeOrders: readonly number[],
  orderValue: number,
  annualDiscountRate: number,
): number {
  let previous = 0;
  let total = 0;
  cumulativeOrders.forEach((orders, i) => {
    total += Math.max(0, orders - previous) * Math.pow(1 + annualDiscountRate, -(i + 1) / 12);
    previous = orders;
  });
  return total * orderValue;
}

/** Expected value of a customer's orders over `settings.horizonMonths` (same currency unit as `orderValue`). */
export function customerLifetimeValue(
  params: BgNbdParams,
  c: RecencyFrequency,
  orderValue: number,
  unitDays: number,
  settings: ClvSettings,
): number {
  checkClvSettings(settings);
  return discountedValue(
    monthlyExpectedOrders(params, c, unitDays, settings.horizonMonths),
    orderValue,
    settings.annualDiscountRate,
  );
}
