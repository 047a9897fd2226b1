// Segmentation works on calendar days in the shop's own time zone: a purchase at 23:30 in London on 31 March is a
// 31 March purchase. A Day is the number of days from 1970-01-01 to that local date, so day arithmetic is exact
// integer arithmetic with no daylight-saving surprises.

export type Day = number;

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2026-03-01" → Day. Throws on anything that is not a real calendar date. */
export function dayFromIsoDate(text: string): Day {
  const match = ISO_DATE.exec(text);
  if (!match) throw new RangeError(`"${text}" is not a date (YYYY-MM-DD)`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`"${text}" is not a calendar date`);
  }
  return ms / DAY_MS;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

export function isoDateFromDay(day: Day): string {
  const { year, month, dayOfMonth } = calendarDate(day);
  return `${year < 1000 ? String(year).padStart(4, "0") : year}-${pad2(month)}-${pad2(dayOfMonth)}`;
}

/** The Day at which an instant falls in a time zone (IANA name; UTC when null). */
export function dayOfInstant(instant: Date, timeZone: string | null): Day {
  if (!timeZone || timeZone === "UTC") return Math.floor(instant.getTime() / DAY_MS);
  return dayFromIsoDate(localDateFormatter(timeZone).format(instant));
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function localDateFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // en-CA formats dates as YYYY-MM-DD.
    formatter = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function dayToUtcDate(day: Day): Date {
  return new Date(day * DAY_MS);
}

export interface CalendarDate {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  dayOfMonth: number;
}

/**
 * Day → calendar date by integer arithmetic (Howard Hinnant's civil_from_days, proleptic Gregorian): profiles
 * convert millions of days, and a Date object per conversion was a measurable share of a full pass.
 */
export function calendarDate(day: Day): CalendarDate {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const dayOfMonth = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, dayOfMonth };
}

export function dayOf(year: number, month: number, dayOfMonth: number): Day {
  return Date.UTC(year, month - 1, dayOfMonth) / DAY_MS;
}

export function startOfYear(year: number): Day {
  return dayOf(year, 1, 1);
}

/** The same month and day in another year; 29 February becomes 28 February in a common year. */
export function sameDateInYear(day: Day, year: number): Day {
  const { month, dayOfMonth } = calendarDate(day);
  if (month === 2 && dayOfMonth === 29 && calendarDate(dayOf(year, 2, 29)).month !== 2) return dayOf(year, 2, 28);
  return dayOf(year, month, dayOfMonth);
}

/** Month names in English, January first (index 0), as the admin writes dates. */
export const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;
