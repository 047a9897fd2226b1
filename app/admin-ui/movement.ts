import { count, date } from "./format";

// How the admin says segment movement: "+3 in, −1 out" counted after the order-history import (movement.server.ts),
// under a heading that says over which period.

/** The column heading: "Last 30 days", or "Since 7 Dec 2026" when the import ended less than 30 days ago. */
export function movementHeading(from: string | null, sinceImport: boolean): string {
  if (!from) return "Movement";
  return sinceImport ? `Since ${date(from)}` : "Last 30 days";
}

/** "+3 in, −1 out", "No change", or "—" when nothing counts yet (the import is still under way). */
export function movementText(trend: { entered: number; exited: number } | null): string {
  if (!trend) return "—";
  if (trend.entered === 0 && trend.exited === 0) return "No change";
  return `+${count(trend.entered)} in, −${count(trend.exited)} out`;
}
