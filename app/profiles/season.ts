import { calendarDate, type Day } from "./days";

// Seasonality: the three consecutive calendar months (December–February wraps) holding the most purchase days.
// Ties go to a season that opens with a month the customer bought in (so November-only buyers get Nov–Jan, not
// Sep–Nov), then to the season starting earliest in the year, so the answer is deterministic.

export const SEASON_MONTHS = 3;

export interface PeakSeason {
  /** 1–12 */
  startMonth: number;
  share: number;
  /** Distinct seasons (by the year each season starts in) with a purchase day: Dec 2024 and Jan 2025 are one. */
  years: number;
}

export function monthInSeason(month: number, startMonth: number): boolean {
  return (month - startMonth + 12) % 12 < SEASON_MONTHS;
}

export function peakSeason(purchaseDays: readonly Day[]): PeakSeason | null {
  if (purchaseDays.length === 0) return null;
  const dates = purchaseDays.map(calendarDate);
  const boughtIn = new Set(dates.map((date) => date.month));
  let best: (PeakSeason & { opensWithPurchase: boolean }) | null = null;
  for (let startMonth = 1; startMonth <= 12; startMonth += 1) {
    const inside = dates.filter((date) => monthInSeason(date.month, startMonth));
    const share = inside.length / dates.length;
    const opensWithPurchase = boughtIn.has(startMonth);
    if (best && (share < best.share || (share === best.share && (best.opensWithPurchase || !opensWithPurchase)))) continue;
    const seasons = new Set(inside.map((date) => (date.month < startMonth ? date.year - 1 : date.year)));
    best = { startMonth, share, years: seasons.size, opensWithPurchase };
  }
  return best && { startMonth: best.startMonth, share: best.share, years: best.years };
}
