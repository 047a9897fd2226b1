// Purchase dates are calendar days, not instants: a day number counts days since 1970-01-01 in the proleptic
// Gregorian calendar, computed with Date.UTC so the machine's time zone can never shift a purchase by a day.

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** A calendar day written `YYYY-MM-DD` (no time, no zone). */
export type CalendarDay = string;

/** Day number (days since 1970-01-01) of a `YYYY-MM-DD` calendar day; throws a RangeError on anything else. */
export function dayNumber(day: CalendarDay): number {
  const match = ISO_DAY.exec(day);
  if (!match) throw new RangeError(`"${day}" is not a calendar day (expected YYYY-MM-DD)`);
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, date);
  const check = new Date(ms);
  // Date.UTC rolls 1997-02-30 over to March; a real calendar day survives the round trip unchanged.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date) {
    throw new RangeError(`"${day}" is not a real calendar day`);
  }
  return ms / MS_PER_DAY;
}

/** The `YYYY-MM-DD` calendar day of a day number. */
export function calendarDay(dayNo: number): CalendarDay {
  if (!Number.isInteger(dayNo)) throw new RangeError(`day number ${dayNo} is not an integer`);
  return new Date(dayNo * MS_PER_DAY).toISOString().slice(0, 10);
}

/** `day` plus a whole number of days. */
export function addDays(day: CalendarDay, days: number): CalendarDay {
  return calendarDay(dayNumber(day) + days);
}
