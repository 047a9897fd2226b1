import { formatMoney } from "~/money/format";
import { plural } from "~/segments/explain/text";

// Figures as every admin page shows them: one money format (the shop currency with its decimals, always), shares as
// percentages, counts with thousands separators and the noun agreeing with them, dates as "7 Dec 2026". Money
// arrives from loaders as minor-unit strings (BigInt does not cross the loader boundary). A missing figure is "—".

export function money(minor: string | number | null | undefined, currency: string): string {
  return minor === null || minor === undefined ? "—" : formatMoney(Number(minor), currency);
}

/** A share (0–1) as a percentage: whole points by default ("46%"), or with `digits` decimals ("46.4%"). */
export function percent(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return `${(value * 100).toFixed(digits)}%`;
}

const counts = new Intl.NumberFormat("en");
export function count(value: number): string {
  return counts.format(value);
}

/** "1 shopper", "2 shoppers", "1,204 customers". */
export function countOf(value: number, singular: string, pluralForm = `${singular}s`): string {
  return plural(value, singular, pluralForm);
}

/** "1 shopper has", "3 shoppers have": a count that is the subject of a sentence. */
export function countHas(value: number, singular: string, pluralForm = `${singular}s`): string {
  return `${countOf(value, singular, pluralForm)} ${value === 1 ? "has" : "have"}`;
}

const dates = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const months = new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });
const times = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
  timeZoneName: "short",
});

/** "2026-12-07" or an ISO instant → "7 Dec 2026"; null → "—". */
export function date(value: string | null | undefined): string {
  if (!value) return "—";
  const parsed = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(parsed.getTime()) ? value : dates.format(parsed);
}

/** "2026-12" → "Dec 2026". */
export function month(value: string): string {
  const parsed = new Date(`${value}-01T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) ? value : months.format(parsed);
}

/** An ISO instant → "7 Dec 2026, 11:08 UTC"; null → "never". */
export function dateTime(value: string | null | undefined): string {
  if (!value) return "never";
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? value : times.format(parsed);
}
