import { calendarDate } from "./days";
import type { Day } from "./days";

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
  const perMonth = new Array<number>(13).fill(0);
  for (const date of dates) perMonth[date.month] = (perMonth[date.month] as number) + 1;
  let bestStart = 0;
  let bestCount = -1;
  let bestOpens = false;
  for (let startMonth = 1; startMonth <= 12; startMonth += 1) {
    let count = 0;
    for (let offset = 0; offset < SEASON_MONTHS; offset += 1)
      count += perMonth[((startMonth - 1 + offset) % 12) + 1] as number;
    const opens = (perMonth[startMonth] as number) > 0;
    if (count > bestCount || (count === bestCount && opens && !bestOpens))
      [bestStart, bestCount, bestOpens] = [startMonth, count, opens];
  }
  const seasons = new Set<number>();
  for (const date of dates)
    if (monthInSeason(date.month, bestStart)) seasons.add(date.month < bestStart ? date.year - 1 : date.year);
  return { startMonth: bestStart, share: bestCount / dates.length, years: seasons.size };
}
