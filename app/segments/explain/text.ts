// Plain-English pieces shared by every explanation.

const counts = new Intl.NumberFormat("en");

export function formatCount(count: number): string {
  return Math.abs(count) < 1000 && Number.isInteger(count) ? String(count) : counts.format(count);
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : pluralForm}`;
}

export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** "every 45 days" style figures: whole days, at least 1. */
export function wholeDays(days: number): number {
  return Math.max(1, Math.round(days));
}

export const MONTH_NAMES = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
] as const;

export function monthName(month: number): string {
  return MONTH_NAMES[(((month - 1) % 12) + 12) % 12] as string;
}

const readable = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

/** A calendar day as a merchant reads it: "19 Dec 2026". */
export function readableDate(isoDate: string): string {
  return readable.format(new Date(`${isoDate}T00:00:00Z`));
}
