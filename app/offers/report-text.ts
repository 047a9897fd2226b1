import { minorToDecimal } from "~/money/decimal";
import type { ShopOfferReports } from "./report.server";

// The offer report as an operator reads it in a terminal.

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

export function formatOfferReports(reports: ShopOfferReports): string {
  const lines = [`Offers on ${reports.shop} (attribution window ${reports.windowDays} days, ${reports.currency})`, ""];
  if (reports.offers.length === 0) lines.push("No published offers yet.", "");
  for (const { offer, report, clicks, guest } of reports.offers) {
    lines.push(`${offer.name} [${offer.id}, ${offer.status}]`);
    lines.push(
      `  ${"arm".padEnd(10)} ${"exposures".padStart(9)} ${"shoppers".padStart(8)} ${"clicks".padStart(
        6,
      )} ${"converted".padStart(9)} ${"rate".padStart(7)} ${"revenue/shopper".padStart(15)}`,
    );
    for (const arm of ["treatment", "holdout"] as const) {
      const outcome = report.arms[arm];
      const perShopper = minorToDecimal(BigInt(Math.round(outcome.revenue.mean)), reports.currency);
      lines.push(
        `  ${arm.padEnd(10)} ${String(outcome.exposures).padStart(9)} ${String(outcome.shoppers).padStart(8)} ${String(
          clicks[arm],
        ).padStart(6)} ${String(outcome.conversions).padStart(9)} ${percent(outcome.conversionRate).padStart(
          7,
        )} ${perShopper.padStart(15)}`,
      );
    }
    if (guest.exposures || guest.clicks)
      lines.push(
        `  guests: ${guest.exposures} exposures, ${guest.clicks} clicks (not compared: guests have no holdout)`,
      );
    const d = report.lift?.conversionDifference;
    if (d)
      lines.push(
        `  conversion lift: ${(d.estimate * 100).toFixed(1)} points (95% CI ${(d.lower * 100).toFixed(1)} to ${(
          d.upper * 100
        ).toFixed(1)})`,
      );
    lines.push(`  ${report.verdict.message}`, "");
  }
  return lines.join("\n");
}
