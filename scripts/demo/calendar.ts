import type { Random } from "./random.ts";

// The shop's year: when shoppers buy. A day table over the history makes each lookup an array read, which the
// million-order benchmark scale needs.

export const DAY_MS = 86_400_000;

// Month factors (Jan…Dec) average about 1: a summer dip and the Nov/Dec gifting peak.
const MONTH_FACTOR = [0.85, 0.85, 0.95, 0.95, 0.95, 0.8, 0.72, 0.72, 0.95, 1.05, 1.45, 1.6];
// Shoppers' local hours (the demo shop is in the UK), quiet at night, peaks at lunch and in the evening.
const HOUR_WEIGHT = [
  1, 0.6, 0.4, 0.3, 0.3, 0.4, 0.8, 1.5, 2.5, 3.2, 3.6, 3.9, 4.3, 4.1, 3.8, 3.6, 3.6, 3.9, 4.3, 5, 5.4, 5, 3.8, 2.2,
];
const HOUR_CDF = cumulative(HOUR_WEIGHT);
// A shop that doubles its new customers every two years.
const GROWTH_PER_DAY = Math.log(2) / 730;

function cumulative(weights: readonly number[]): Float64Array {
  const cdf = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((weight, i) => {
    total += weight;
    cdf[i] = total;
  });
  return cdf;
}

/** First index whose cumulative weight exceeds target. */
function search(cdf: Float64Array, target: number): number {
  let low = 0;
  let high = cdf.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((cdf[mid] as number) > target) high = mid;
    else low = mid + 1;
  }
  return low;
}

/** Black Friday (the day after the fourth Thursday of November) as a UTC day number. */
function blackFriday(year: number): number {
  const first = Date.UTC(year, 10, 1);
  const weekday = new Date(first).getUTCDay();
  const firstThursday = 1 + ((4 - weekday + 7) % 7);
  return Math.floor(Date.UTC(year, 10, firstThursday + 21 + 1) / DAY_MS);
}

/** Relative order intensity on a UTC day; 1 is an ordinary day. */
export function seasonFactor(dayNumber: number): number {
  const date = new Date(dayNumber * DAY_MS);
  const month = date.getUTCMonth();
  const day = date.getUTCDate();
  let factor = MONTH_FACTOR[month] as number;
  const fromBlackFriday = dayNumber - blackFriday(date.getUTCFullYear());
  if (fromBlackFriday >= 0 && fromBlackFriday <= 3) factor *= 2.2; // Black Friday to Cyber Monday
  if (month === 11 && day <= 18) factor *= 1.15; // last posting dates before Christmas
  if (month === 11 && day >= 24 && day <= 26) factor *= 0.45;
  return factor;
}

export class Calendar {
  readonly startMs: number;
  readonly endMs: number;
  private readonly firstDay: number;
  private readonly season: Float64Array;
  readonly seasonMax: number;
  private readonly acquisitionCdf: Float64Array;

  constructor(start: Date, end: Date) {
    this.startMs = start.getTime();
    this.endMs = end.getTime();
    this.firstDay = Math.floor(this.startMs / DAY_MS);
    const days = Math.floor((this.endMs - 1) / DAY_MS) - this.firstDay + 1;
    this.season = new Float64Array(days);
    this.acquisitionCdf = new Float64Array(days);
    let max = 0;
    let total = 0;
    for (let i = 0; i < days; i += 1) {
      const factor = seasonFactor(this.firstDay + i);
      this.season[i] = factor;
      max = Math.max(max, factor);
      total += factor * Math.exp(GROWTH_PER_DAY * i) * this.dayCoverage(i);
      this.acquisitionCdf[i] = total;
    }
    this.seasonMax = max;
  }

  /** Share of day i that lies inside [start, end): partial first and last days weigh less. */
  private dayCoverage(i: number): number {
    const dayStart = (this.firstDay + i) * DAY_MS;
    const from = Math.max(dayStart, this.startMs);
    const to = Math.min(dayStart + DAY_MS, this.endMs);
    return Math.max(0, to - from) / DAY_MS;
  }

  seasonAt(ms: number): number {
    const index = Math.floor(ms / DAY_MS) - this.firstDay;
    return this.season[Math.min(Math.max(index, 0), this.season.length - 1)] as number;
  }

  /** A time when a new customer first appears: growing over the history, seasonal, at a plausible hour. */
  sampleAcquisition(random: Random): number {
    const total = this.acquisitionCdf[this.acquisitionCdf.length - 1] as number;
    const day = search(this.acquisitionCdf, random.next() * total);
    return this.clamp(this.atShopperHour((this.firstDay + day) * DAY_MS, random));
  }

  /** The same day at an hour drawn from shoppers' daily rhythm, to the second. */
  atShopperHour(ms: number, random: Random): number {
    const dayStart = Math.floor(ms / DAY_MS) * DAY_MS;
    const hour = search(HOUR_CDF, random.next() * (HOUR_CDF[HOUR_CDF.length - 1] as number));
    return dayStart + hour * 3_600_000 + random.int(0, 3599) * 1000;
  }

  /** Keeps a time inside [start, end) when the first or last day is only partly covered. */
  clamp(ms: number): number {
    return Math.min(Math.max(ms, this.startMs), this.endMs - 1000);
  }
}
