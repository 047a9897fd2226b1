import { currencyExponent } from "~/money/decimal";
import { nearestRank, sortedCopy } from "../quantiles";
import type { LoyaltyProgram } from "./program";

// The program a shop starts with, derived from its own customers: Bronze for anyone who bought in the last 12
// months, Silver for about the top 30% of 12-month spend, Gold for about the top 10%, each rounded to a round
// amount (…, 100, 125, 150, 200, 250, 300, 400, 500, 600, 750, 1,000, …) so merchants can say it out loud. Retaining a
// tier takes 75% of entering it (rounded down to a round amount) and a 30-day grace period softens downgrades.

export const DEFAULT_SHARES = { silver: 0.7, gold: 0.9 } as const;
export const MIN_BUYERS_FOR_DISTRIBUTION = 20;
const LADDER = [1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5];

/** Round amounts around `major` that the currency can express (no ¥7.50: yen have no minor unit). */
function ladder(around: number, scale: number): number[] {
  const decade = Math.floor(Math.log10(Math.max(around, 1)));
  const values: number[] = [];
  for (let power = Math.max(0, decade - 1); power <= decade + 1; power += 1) {
    for (const step of LADDER) {
      const value = step * 10 ** power;
      if (Number.isInteger(Math.round(value * scale * 1e6) / 1e6)) values.push(value);
    }
  }
  return values;
}

/** The round amount nearest to `major` on a log scale (never below 1). */
export function roundAmount(major: number, scale = 100): number {
  let best = 1;
  for (const candidate of ladder(major, scale)) {
    if (Math.abs(Math.log(candidate / Math.max(major, 1))) < Math.abs(Math.log(best / Math.max(major, 1))))
      best = candidate;
  }
  return best;
}

export function roundAmountDown(major: number, scale = 100): number {
  return (
    ladder(major, scale)
      .filter((candidate) => candidate <= major)
      .at(-1) ?? 1
  );
}

function nextRoundAmount(major: number, scale: number): number {
  return ladder(major * 10, scale).find((candidate) => candidate > major) as number;
}

/**
 * spend365Minor: each recent buyer's net spend over the last 365 days (customers without a purchase in that
 * window left out). Below MIN_BUYERS_FOR_DISTRIBUTION buyers the thresholds are 3× and 8× the median instead.
 */
export function defaultProgram(spend365Minor: ArrayLike<number>, currency: string): LoyaltyProgram {
  const scale = 10 ** currencyExponent(currency);
  const sorted = sortedCopy(spend365Minor);
  let silver: number;
  let gold: number;
  if (sorted.length >= MIN_BUYERS_FOR_DISTRIBUTION) {
    silver = roundAmount(nearestRank(sorted, DEFAULT_SHARES.silver) / scale, scale);
    gold = roundAmount(nearestRank(sorted, DEFAULT_SHARES.gold) / scale, scale);
  } else {
    const median = sorted.length > 0 ? nearestRank(sorted, 0.5) / scale : scale === 1 ? 5000 : 50;
    silver = roundAmount(median * 3, scale);
    gold = roundAmount(median * 8, scale);
  }
  if (gold <= silver) gold = nextRoundAmount(silver, scale);
  const tier = (id: string, name: string, enterMajor: number) => ({
    id,
    name,
    enter: { spendMinor: Math.round(enterMajor * scale), orders: null },
    retain: { spendMinor: Math.round(roundAmountDown(enterMajor * 0.75, scale) * scale), orders: null },
  });
  return {
    window: { kind: "rolling", days: 365 },
    combine: "any",
    graceDays: 30,
    tiers: [
      { id: "bronze", name: "Bronze", enter: { spendMinor: null, orders: 1 }, retain: { spendMinor: null, orders: 1 } },
      tier("silver", "Silver", silver),
      tier("gold", "Gold", gold),
    ],
  };
}
