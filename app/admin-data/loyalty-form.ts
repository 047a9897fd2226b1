import { z } from "zod";
import { decimalToMinor, minorToDecimal } from "~/money/decimal";
import { UNREADABLE_FORM } from "~/request-body/form-json";
import { slugOf } from "./slug";
import { loyaltyProgramSchema } from "~/segments/tiers/program";
import type { LoyaltyProgram, LoyaltyProgramInput } from "~/segments/tiers/program";
import type { PreviewWords } from "~/segments/explain/tier-program";
import type { TierCount } from "~/segments/tiers/preview";

// The tiers editor's form and the loyalty program it stands for. The merchant types amounts in the shop currency
// and leaves a threshold empty to not use it; the program keeps minor units and nulls. Every problem is reported
// against the field it belongs to (`tiers.1.retainSpend`), so the page can put it under that input.

export interface TierDraft {
  id: string;
  name: string;
  enterSpend: string;
  enterOrders: string;
  retainSpend: string;
  retainOrders: string;
}

export interface ProgramDraft {
  window: "rolling" | "lifetime" | "calendar-year";
  days: string;
  combine: "any" | "all";
  graceDays: string;
  tiers: TierDraft[];
}

export type FieldErrors = Record<string, string>;

/** A change's preview as the editor receives it: the counts and their sentences. */
export interface PreviewResult extends PreviewWords {
  /** Per tier, rank order (lowest first, "No tier" first of all). */
  counts: TierCount[];
  customers: number;
  up: number;
  down: number;
  downAfterGrace: number;
  stay: number;
}

const draftSchema = z.object({
  window: z.enum(["rolling", "lifetime", "calendar-year"]),
  days: z.string().default(""),
  combine: z.enum(["any", "all"]).default("any"),
  graceDays: z.string().default("0"),
  tiers: z
    .array(
      z.object({
        id: z.string().default(""),
        name: z.string(),
        enterSpend: z.string(),
        enterOrders: z.string(),
        retainSpend: z.string(),
        retainOrders: z.string(),
      }),
    )
    .max(10),
});

export function draftFromProgram(program: LoyaltyProgram, currency: string): ProgramDraft {
  const amount = (minor: number | null) => (minor === null ? "" : minorToDecimal(minor, currency));
  const orders = (value: number | null) => (value === null ? "" : String(value));
  return {
    window: program.window.kind,
    days: program.window.kind === "rolling" ? String(program.window.days) : "",
    combine: program.combine,
    graceDays: String(program.graceDays),
    tiers: program.tiers.map((tier) => ({
      id: tier.id,
      name: tier.name,
      enterSpend: amount(tier.enter.spendMinor),
      enterOrders: orders(tier.enter.orders),
      retainSpend: amount(tier.retain.spendMinor),
      retainOrders: orders(tier.retain.orders),
    })),
  };
}

const SCHEMA_FIELD: Record<string, string> = { spendMinor: "Spend", orders: "Orders" };

/** The schema's words for a field, as the editor labels it. */
const FIELD_MESSAGES: Array<[RegExp, () => string]> = [
  [
    /retain threshold cannot be above the enter threshold/,
    () => "Keep at cannot be above Enter at: customers would need more to keep the tier than to reach it",
  ],
  [
    /retain must set the same thresholds as enter/,
    () => "Set Keep at for the same thresholds as Enter at (spend, orders or both), or leave both Keep at fields empty",
  ],
];

function merchantMessage(message: string): string {
  for (const [pattern, words] of FIELD_MESSAGES) if (pattern.test(message)) return words();
  return message.charAt(0).toUpperCase() + message.slice(1);
}

export type ThresholdKind = "Spend" | "Orders";

/** A tier whose keep threshold is above its enter threshold: the editor offers to lower the keep threshold with it. */
export interface RetainAboveEnter {
  index: number;
  kind: ThresholdKind;
  /** The enter threshold as typed, which the keep threshold would take. */
  enter: string;
  retain: string;
}

/**
 * Keep thresholds above their enter thresholds in a draft (a merchant lowered only the enter threshold). Fields
 * that are empty or not numbers yet are left to the form's own errors.
 */
export function retainAboveEnter(draft: ProgramDraft, currency: string): RetainAboveEnter[] {
  const parse = (text: string, kind: ThresholdKind): number | null => {
    if (!text.trim()) return null;
    try {
      const value = kind === "Spend" ? decimalToMinor(text, currency) : Number(text);
      return Number.isFinite(value) ? value : null;
    } catch {
      return null;
    }
  };
  const found: RetainAboveEnter[] = [];
  draft.tiers.forEach((tier, index) => {
    for (const kind of ["Spend", "Orders"] as const) {
      const enter = parse(tier[`enter${kind}`], kind);
      const retain = parse(tier[`retain${kind}`], kind);
      if (enter !== null && retain !== null && retain > enter)
        found.push({ index, kind, enter: tier[`enter${kind}`].trim(), retain: tier[`retain${kind}`].trim() });
    }
  });
  return found;
}

/** The draft with a tier's keep threshold lowered to its enter threshold. */
export function lowerRetainToEnter(draft: ProgramDraft, fix: Pick<RetainAboveEnter, "index" | "kind">): ProgramDraft {
  return {
    ...draft,
    tiers: draft.tiers.map((tier, index) =>
      index === fix.index ? { ...tier, [`retain${fix.kind}`]: tier[`enter${fix.kind}`] } : tier,
    ),
  };
}

/** The program a draft describes, or the errors that keep it from being one. Nothing here touches the database. */
export function programFromDraft(
  input: unknown,
  currency: string,
): { ok: true; program: LoyaltyProgramInput } | { ok: false; errors: FieldErrors } {
  const parsed = draftSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: { form: UNREADABLE_FORM } };
  const draft = parsed.data;
  const errors: FieldErrors = {};
  const money = (text: string, field: string): number | null => {
    if (!text.trim()) return null;
    try {
      const minor = decimalToMinor(text, currency);
      if (minor < 0) throw new RangeError("negative");
      return minor;
    } catch {
      errors[field] = `Enter an amount in ${currency}, like 100 or 49.50`;
      return null;
    }
  };
  const whole = (text: string, field: string, min: number, max: number): number | null => {
    if (!text.trim()) return null;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      errors[field] = `Enter a whole number from ${min} to ${max}`;
      return null;
    }
    return value;
  };
  const used = new Set<string>();
  const tiers = draft.tiers.map((tier, index) => {
    if (!tier.name.trim()) errors[`tiers.${index}.name`] = "Give the tier a name";
    let id = tier.id || slugOf(tier.name, 40) || "tier";
    for (let n = 2; used.has(id); n += 1) id = `${slugOf(tier.name, 40) || "tier"}-${n}`;
    used.add(id);
    const path = `tiers.${index}`;
    const enter = {
      spendMinor: money(tier.enterSpend, `${path}.enterSpend`),
      orders: whole(tier.enterOrders, `${path}.enterOrders`, 1, 100_000),
    };
    const retainGiven = tier.retainSpend.trim() || tier.retainOrders.trim();
    const retain = retainGiven
      ? {
          spendMinor: money(tier.retainSpend, `${path}.retainSpend`),
          orders: whole(tier.retainOrders, `${path}.retainOrders`, 1, 100_000),
        }
      : undefined;
    return { id, name: tier.name.trim(), enter, ...(retain ? { retain } : {}) };
  });
  if (tiers.length === 0) errors.tiers = "Add at least one tier";
  const days = draft.window === "rolling" ? whole(draft.days || "", "days", 1, 1095) : null;
  if (draft.window === "rolling" && days === null && !errors.days)
    errors.days = "Enter the window in days, from 1 to 1095";
  const graceDays = whole(draft.graceDays || "0", "graceDays", 0, 365) ?? 0;
  if (Object.keys(errors).length) return { ok: false, errors };
  const window =
    draft.window === "rolling" ? { kind: "rolling" as const, days: days as number } : { kind: draft.window };
  const program: LoyaltyProgramInput = { window, combine: draft.combine, graceDays, tiers };
  const checked = loyaltyProgramSchema.safeParse(program);
  if (checked.success) return { ok: true, program };
  for (const issue of checked.error.issues) {
    const [first, index, side, criterion] = issue.path.map(String);
    const field =
      first !== "tiers" || index === undefined
        ? (first ?? "form")
        : side === "enter" || side === "retain"
          ? `tiers.${index}.${side}${SCHEMA_FIELD[criterion ?? "spendMinor"] ?? "Spend"}`
          : `tiers.${index}.name`;
    errors[field] ??= merchantMessage(issue.message);
  }
  return { ok: false, errors };
}
