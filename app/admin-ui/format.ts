import { formatMoney } from "~/segments/explain/money";

// Figures as the admin shows them. Money arrives from loaders as minor-unit strings (BigInt does not cross the
// loader boundary); the explanations' formatter does the currency.

export function money(minor: string | number | null, currency: string): string {
  return minor === null ? "—" : formatMoney(Number(minor), currency);
}

export function share(value: number | null): string {
  return value === null ? "—" : `${(value * 100).toFixed(1)}%`;
}

const counts = new Intl.NumberFormat("en");
export function count(value: number): string {
  return counts.format(value);
}
