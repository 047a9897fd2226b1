import { MONTH_NAMES } from "~/profiles/days";
import { calendarDate } from "~/profiles/days";
import type { Day } from "~/profiles/days";
import type { ProgramChangePreview, TierCount } from "../tiers/preview";
import type { LoyaltyProgram, Threshold } from "../tiers/program";
import { formatMoney } from "~/money/format";
import { plural } from "./text";

// The loyalty program and a change's preview in the merchant's words, for the tiers editor and the CLI alike:
// "Gold 47 → 0 when the 30-day grace period ends on 6 January 2027". Tiers are listed in rank order, lowest first.

/** "6 January 2027". */
export function longDate(day: Day): string {
  const { year, month, dayOfMonth } = calendarDate(day);
  return `${dayOfMonth} ${MONTH_NAMES[month - 1]} ${year}`;
}

/** "£150 or 3 orders"; "—" for a threshold that sets nothing. */
export function thresholdText(threshold: Threshold, combine: LoyaltyProgram["combine"], currency: string): string {
  const parts: string[] = [];
  if (threshold.spendMinor !== null) parts.push(formatMoney(threshold.spendMinor, currency));
  if (threshold.orders !== null) parts.push(plural(threshold.orders, "order"));
  return parts.join(combine === "any" ? " or " : " and ") || "—";
}

export function windowText(program: LoyaltyProgram): string {
  const window = program.window;
  if (window.kind === "lifetime") return "lifetime (every order counts)";
  if (window.kind === "calendar-year") return "calendar year (this year or last, whichever is better)";
  return `the last ${plural(window.days, "day")}`;
}

const graceText = (preview: Pick<ProgramChangePreview, "graceDays" | "graceEndsOn">) =>
  preview.graceEndsOn === null
    ? ""
    : `when the ${preview.graceDays}-day grace period ends on ${longDate(preview.graceEndsOn)}`;

/** One tier's line: "Silver 46 → 61 now", "Gold 47 → 0 when the 30-day grace period ends on 6 January 2027". */
export function tierLine(tier: TierCount, preview: Pick<ProgramChangePreview, "graceDays" | "graceEndsOn">): string {
  const changes: string[] = [];
  if (tier.now !== tier.before) changes.push(`→ ${tier.now} now`);
  if (tier.afterGrace !== tier.now) changes.push(`→ ${tier.afterGrace} ${graceText(preview)}`);
  const removed = tier.removed ? " (removed from the program)" : "";
  if (changes.length === 0) return `${tier.name} ${tier.before}, no change${removed}`;
  return `${tier.name} ${tier.before} ${changes.join(", ")}${removed}`;
}

export interface PreviewWords {
  /** "On 7 December 2026, 15 customers move up and none move down; …" */
  summary: string;
  /** Per tier, rank order (lowest first); tiers nobody holds before or after are left out. */
  tiers: Array<{ tierId: string | null; line: string }>;
  /** "Bronze → Silver: 15 customers on 7 December 2026". */
  moves: string[];
}

const customers = (count: number) => plural(count, "customer");
/** "1 customer moves", "3 customers move". */
const customersDo = (count: number, verb: string, verbs: string) => `${customers(count)} ${count === 1 ? verbs : verb}`;

export function describePreview(preview: ProgramChangePreview): PreviewWords {
  const names = new Map(preview.tiers.map((tier) => [tier.tierId, tier.name]));
  const name = (tierId: string | null) => names.get(tierId) ?? tierId ?? "No tier";
  const moving = [
    preview.up > 0 ? `${customersDo(preview.up, "move", "moves")} up` : "",
    preview.down > 0 ? `${customersDo(preview.down, "move", "moves")} down` : "",
  ];
  const now = moving.filter(Boolean).join(" and ") || "nobody moves";
  const later =
    preview.downAfterGrace === 0 || preview.graceEndsOn === null
      ? ""
      : `; ${customersDo(preview.downAfterGrace, "fall", "falls")} below the new threshold to keep their tier and ${
          preview.downAfterGrace === 1 ? "moves" : "move"
        } down ${graceText(preview)}, unless they buy again`;
  const summary = `On ${longDate(preview.asOf)}, ${now}${later}. ${customersDo(
    preview.stay,
    "keep",
    "keeps",
  )} their tier (of ${preview.customers}).`;
  const tiers = preview.tiers
    .filter((tier) => tier.before + tier.now + tier.afterGrace > 0)
    .map((tier) => ({ tierId: tier.tierId, line: tierLine(tier, preview) }));
  const moves = preview.moves.map(
    (move) =>
      `${name(move.from)} → ${name(move.to)}: ${customers(move.customers)} on ${longDate(move.on)}${
        move.on === preview.asOf ? "" : " (when the grace period ends)"
      }`,
  );
  return { summary, tiers, moves };
}

/** The program as a table, lowest tier first, with how many customers hold each tier (the key null: no tier). */
export function programTable(
  program: LoyaltyProgram,
  currency: string,
  holders: ReadonlyMap<string | null, number>,
): string[] {
  const rows = [
    ["Tier", "Enter at", "Keep at", "Customers"],
    ...program.tiers.map((tier) => [
      tier.name,
      thresholdText(tier.enter, program.combine, currency),
      thresholdText(tier.retain, program.combine, currency),
      String(holders.get(tier.id) ?? 0),
    ]),
    ["No tier", "", "", String(holders.get(null) ?? 0)],
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) =>
    `${row
      .slice(0, 3)
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join("   ")}   ${row[3]!.padStart(9)}`.trimEnd(),
  );
}

export function programSummary(program: LoyaltyProgram): string {
  const combine =
    program.combine === "any"
      ? "a tier's spend or orders threshold is enough"
      : "a tier needs both its spend and orders thresholds";
  const grace =
    program.graceDays === 0
      ? "no grace period (a customer below a tier's keep threshold moves down at once)"
      : `a ${program.graceDays}-day grace period before a customer below a tier's keep threshold moves down`;
  return `Counts orders and spend over ${windowText(program)}; ${combine}; ${grace}.`;
}

/** What applying a program did: "On 7 December 2026, 15 customers moved up (Bronze → Silver: 15). …" */
export function appliedSummary(
  applied: {
    effectiveOn: Day;
    up: number;
    down: number;
    downAfterGrace: number;
    graceEndsOn: Day | null;
    moves: Array<{ from: string | null; to: string | null; customers: number }>;
  },
  names: ReadonlyMap<string | null, string>,
): string {
  const name = (tierId: string | null) => names.get(tierId) ?? tierId ?? "No tier";
  const moved =
    [
      applied.up > 0 ? `${customers(applied.up)} moved up` : "",
      applied.down > 0 ? `${customers(applied.down)} moved down` : "",
    ]
      .filter(Boolean)
      .join(" and ") || "nobody moved";
  const detail = applied.moves.length
    ? ` (${applied.moves.map((move) => `${name(move.from)} → ${name(move.to)}: ${move.customers}`).join(", ")})`
    : "";
  const grace =
    applied.graceEndsOn !== null && applied.downAfterGrace > 0
      ? ` ${customers(applied.downAfterGrace)} below their tier's new keep threshold ${
          applied.downAfterGrace === 1 ? "moves" : "move"
        } down on ${longDate(applied.graceEndsOn)} unless they buy again.`
      : "";
  return `On ${longDate(applied.effectiveOn)}, ${moved}${detail}.${grace}`;
}
