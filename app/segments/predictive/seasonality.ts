import { calendarDate } from "~/profiles/days";
// A shop's seasonal intensity: how much more (or less) its customers buy in each calendar month than on average,
// and the "operational time" it implies. If every customer's purchase rate is λ · s(t) with a shop-wide s, their
// purchases form a plain Poisson process in operational time τ(t) = ∫ s, so BG/NBD and Pareto/NBD apply unchanged
// once t_x, T and the horizon are measured in τ: a 90-day horizon over November–January is longer in τ than one
// over June–August. Estimated from the shop's own repeat purchases by the classical ratio to a centred 12-month
// moving average (which removes the shop's growth), averaged over the years; only with two years of history.
// Hand-written: a dozen lines of arithmetic, and no npm package does ratio-to-moving-average decomposition.

/** Monthly intensity, January first, normalised so an ordinary (non-leap) year lasts 365 operational days. */
export type SeasonalIndex = number[];

/** Days of history before a seasonal index is estimated. */
export const SEASONALITY_MIN_HISTORY_DAYS = 730;
/** Repeat purchase occasions needed (about ten a month over two years). */
export const SEASONALITY_MIN_REPEATS = 240;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Civil date of a (possibly fractional) day number, month 0–11. */
function monthOf(day: number): { year: number; month: number; date: number } {
  const { year, month, dayOfMonth } = calendarDate(Math.floor(day));
  return { year, month: month - 1, date: dayOfMonth };
}

function daysInMonth(year: number, month: number): number {
  return month === 1 && isLeap(year) ? 29 : DAYS_IN_MONTH[month]!;
}

/**
 * The index from the days of a shop's repeat purchase occasions (any order; days after `asOfDay` are ignored), or
 * why there is none. `firstDay` is the shop's first purchase day.
 */
export function estimateSeasonalIndex(
  repeatDays: ArrayLike<number>,
  firstDay: number,
  asOfDay: number,
): { index: SeasonalIndex | null; reason: string } {
  const historyDays = asOfDay - firstDay;
  if (historyDays < SEASONALITY_MIN_HISTORY_DAYS) {
    return {
      index: null,
      reason: `${historyDays} days of history (a seasonal pattern needs ${SEASONALITY_MIN_HISTORY_DAYS})`,
    };
  }
  const first = monthOf(firstDay);
  const last = monthOf(asOfDay);
  // Whole months only: from the month after the first purchase to the last month that ended by the as-of date.
  const start = first.year * 12 + first.month + 1;
  const end = last.year * 12 + last.month - (last.date === daysInMonth(last.year, last.month) ? 0 : 1);
  const counts = new Float64Array(Math.max(0, end - start + 1));
  let repeats = 0;
  for (let i = 0; i < repeatDays.length; i++) {
    const day = repeatDays[i]!;
    if (day > asOfDay) continue;
    const m = monthOf(day);
    const key = m.year * 12 + m.month - start;
    if (key >= 0 && key < counts.length) {
      counts[key]! += 1;
      repeats++;
    }
  }
  if (repeats < SEASONALITY_MIN_REPEATS) {
    return {
      index: null,
      reason: `${repeats} repeat purchases in whole months (a seasonal pattern needs ${SEASONALITY_MIN_REPEATS})`,
    };
  }
  const rate = Array.from(counts, (count, i) => count / daysInMonth(Math.floor((start + i) / 12), (start + i) % 12));
  const ratios: number[][] = Array.from({ length: 12 }, () => []);
  for (let i = 6; i + 6 < rate.length; i++) {
    let average = 0;
    for (let j = -6; j <= 6; j++) average += (Math.abs(j) === 6 ? 0.5 : 1) * rate[i + j]!;
    average /= 12;
    if (average > 0) ratios[(start + i) % 12]!.push(rate[i]! / average);
  }
  if (ratios.some((list) => list.length === 0))
    return { index: null, reason: "not every calendar month has a centred year of data around it yet" };
  const raw = ratios.map((list) => list.reduce((sum, v) => sum + v, 0) / list.length);
  const year = raw.reduce((sum, v, m) => sum + v * DAYS_IN_MONTH[m]!, 0);
  return {
    index: raw.map((v) => (v * 365) / year),
    reason: `estimated from ${repeats.toLocaleString("en")} repeat purchases over ${
      Math.round(historyDays / 36.5) / 10
    } years`,
  };
}

function leapYearsBefore(year: number): number {
  const y = year - 1;
  return Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400);
}

/**
 * Operational time in days of average intensity, from an arbitrary origin: τ(day₂) − τ(day₁) is the seasonal length
 * of the span between two days. Without an index it is the day number itself.
 */
const clocks = new WeakMap<SeasonalIndex, (day: number) => number>();
const identity = (day: number) => day;

export function operationalClock(index: SeasonalIndex | null): (day: number) => number {
  if (!index) return identity;
  const known = clocks.get(index);
  if (known) return known;
  const clock = buildClock(index);
  clocks.set(index, clock);
  return clock;
}

function buildClock(index: SeasonalIndex): (day: number) => number {
  const monthStart = [0];
  for (let m = 0; m < 12; m++) monthStart.push(monthStart[m]! + index[m]! * DAYS_IN_MONTH[m]!);
  const year = monthStart[12]!;
  const base = 1970 * year + index[1]! * leapYearsBefore(1970);
  return (day) => {
    const whole = Math.floor(day);
    const { year: y, month, date } = monthOf(whole);
    const leap = month > 1 && isLeap(y) ? index[1]! : 0;
    return (
      y * year +
      index[1]! * leapYearsBefore(y) -
      base +
      monthStart[month]! +
      leap +
      index[month]! * (date - 1 + day - whole)
    );
  };
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Calendar days after `fromDay` that an operational span `span` covers (the inverse of the clock), whole days. */
export function calendarSpan(index: SeasonalIndex | null, fromDay: number, span: number): number {
  if (!index) return span;
  let day = fromDay;
  let left = span;
  // Month by month, then the last partial month in whole days.
  for (let step = 0; step < 1200; step++) {
    const { year, month, date } = monthOf(day);
    const rest = daysInMonth(year, month) - date + 1;
    const cost = rest * index[month]!;
    if (cost >= left) return day - fromDay + left / index[month]!;
    left -= cost;
    day += rest;
  }
  return day - fromDay;
}
