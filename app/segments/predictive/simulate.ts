// Seeded simulation of a shop under BG/NBD and Gamma-Gamma: synthetic customers with known parameters for tests,
// benchmarks and demos. Purchases fall on whole calendar days, like real orders.
import type { BgNbdParams } from "./bgnbd-likelihood.ts";
import { addDays, dayNumber } from "./calendar-days.ts";
import type { CalendarDay } from "./calendar-days.ts";
import type { GammaGammaParams } from "./gamma-gamma.ts";
import type { CustomerPurchase } from "./purchase-summary.ts";

export interface SimulationOptions {
  customers: number;
  /** Last day simulated. */
  asOf: CalendarDay;
  /** First purchases are spread uniformly over this many days before `asOf`. */
  historyDays: number;
  /** BG/NBD parameters with α in days. */
  bgnbd: BgNbdParams;
  /** Order values; defaults to CDNOW's Gamma-Gamma fit (values in dollars). */
  gammaGamma?: GammaGammaParams;
  seed?: number;
  /**
   * Shop-wide purchase intensity on a day number (1 = ordinary; seasons, a campaign): every customer's rate is
   * multiplied by it. Simulated by thinning, so `maxIntensity` must bound it.
   */
  intensity?: (day: number) => number;
  maxIntensity?: number;
}

// mulberry32: a tiny, fast, well-distributed 32-bit generator; reproducible across platforms.
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(uniform: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

// Gamma(shape, rate) by Marsaglia & Tsang (2000), with the shape < 1 boost.
function gamma(uniform: () => number, shape: number, rate: number): number {
  if (shape < 1) return gamma(uniform, shape + 1, rate) * Math.pow(uniform(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = normal(uniform);
    const v = Math.pow(1 + c * z, 3);
    if (v > 0 && Math.log(1 - uniform()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

/** Purchases of `customers` simulated customers, customer ids "1", "2", … */
export function simulatePurchases(options: SimulationOptions): CustomerPurchase[] {
  const uniform = random(options.seed ?? 1);
  const { r, alpha, a, b } = options.bgnbd;
  const values = options.gammaGamma ?? { p: 6.25, q: 3.74, gamma: 15.44 };
  const end = dayNumber(options.asOf);
  const purchases: CustomerPurchase[] = [];
  for (let i = 1; i <= options.customers; i++) {
    const customerId = String(i);
    const rate = gamma(uniform, r, alpha);
    const pA = gamma(uniform, a, 1);
    const dropout = pA / (pA + gamma(uniform, b, 1));
    const scale = gamma(uniform, values.q, values.gamma);
    let day = end - Math.floor(uniform() * options.historyDays);
    let time = day;
    // BG/NBD: the first purchase starts the clock; a customer may drop out only after each repeat purchase.
    for (let repeat = false; ; repeat = true) {
      purchases.push({
        customerId,
        date: addDays(options.asOf, day - end),
        amount: Math.round(gamma(uniform, values.p, scale) * 100) / 100,
      });
      if (repeat && uniform() < dropout) break;
      if (options.intensity) {
        const top = options.maxIntensity ?? 1;
        do time += -Math.log(1 - uniform()) / (rate * top);
        while (time <= end + 1 && uniform() * top > options.intensity(Math.floor(time)));
      } else time += -Math.log(1 - uniform()) / rate;
      day = Math.floor(time);
      if (day > end) break;
    }
  }
  return purchases;
}
