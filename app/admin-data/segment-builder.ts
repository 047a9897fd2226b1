import { MONTH_NAMES } from "~/profiles/days";
import { z } from "zod";
import { currencyExponent } from "~/money/decimal";
import { COMPARISON_WORDS } from "~/segments/rules/describe";
import { fieldDefinition, RULE_FIELDS } from "~/segments/rules/fields";
import type { FieldType } from "~/segments/rules/fields";
import type { RuleIssue, RuleNode } from "~/segments/rules/rule";
import { LIFECYCLE_NAMES, LIFECYCLE_STAGES } from "~/segments/lifecycle/stage";
import { builtinSegmentLabel } from "~/segments/names";
import { RFM_GROUP_NAMES, RFM_GROUPS } from "~/segments/rfm/groups";
import { BUILTIN_SEGMENTS } from "~/segments/winback/occasions";

// The segment builder edits a flat rule: conditions joined by "all" or "any". It turns the form's text inputs
// into the rule language's values (numbers for counts, decimals for money, lists for "one of"), and back. Shares
// (probability active, refunded share…) are typed as percentages, 0–100, and stored as the rule language's 0–1.
// Every value is checked here first, with a sentence for the merchant; the rule compiler's own complaints
// (`all.2.value: …`) only reach a form that was not made by this page, and then as a plain "choose from the list".

export interface ConditionDraft {
  field: string;
  op: string;
  /** What the merchant typed or chose; "low, high" for "between", comma-separated keys for "one of". */
  value: string;
}

export interface SegmentDraft {
  name: string;
  combine: "all" | "any";
  conditions: ConditionDraft[];
}

export const draftSchema = z.object({
  name: z.string().max(80),
  combine: z.enum(["all", "any"]),
  conditions: z
    .array(z.object({ field: z.string().max(40), op: z.string().max(20), value: z.string().max(2000).default("") }))
    .max(50),
});

const comparisons = (ops: string[]) => ops.map((op) => ({ op, label: COMPARISON_WORDS[op] ?? op }));

/** The comparisons each kind of field offers, in the order the merchant sees them. */
export const OPERATORS: Record<FieldType, { op: string; label: string }[]> = {
  number: comparisons(["gte", "gt", "lte", "lt", "eq", "ne", "between", "isSet", "isNotSet"]),
  money: comparisons(["gte", "gt", "lte", "lt", "eq", "ne", "between", "isSet", "isNotSet"]),
  share: comparisons(["gte", "gt", "lte", "lt", "eq", "ne", "between", "isSet", "isNotSet"]),
  enum: comparisons(["eq", "ne", "in", "notIn", "isSet", "isNotSet"]),
  list: comparisons(["contains", "notContains", "containsAny", "isSet", "isNotSet"]),
};

/** Comparisons that take no value, and those whose value is a list ("between" is a pair). */
export const VALUELESS = new Set(["isSet", "isNotSet"]);
export const LIST_OPS = new Set(["in", "notIn", "containsAny"]);

export function fieldType(field: string): FieldType | undefined {
  return fieldDefinition(field)?.type;
}

/** "10, 20" → ["10", "20"]; empty parts dropped. */
export function splitValues(text: string): string[] {
  return text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

// Percentages to the rule's shares without binary noise: 12.5 → 0.125, not 0.12500000000000003.
const shareOf = (percent: number) => Number((percent / 100).toPrecision(12));
const percentOf = (share: number) => Number((share * 100).toPrecision(12));

function typedValue(type: FieldType | undefined, text: string): unknown {
  if (type === "number") return Number(text);
  if (type === "share") return shareOf(Number(text));
  return text;
}

export function ruleFromDraft(draft: SegmentDraft): RuleNode {
  const conditions = draft.conditions.map((condition): RuleNode => {
    const type = fieldType(condition.field);
    if (VALUELESS.has(condition.op)) return { field: condition.field, op: condition.op };
    const value =
      LIST_OPS.has(condition.op) || condition.op === "between"
        ? splitValues(condition.value).map((part) => typedValue(type, part))
        : typedValue(type, condition.value.trim());
    return { field: condition.field, op: condition.op, value };
  });
  return draft.combine === "all" ? { all: conditions } : { any: conditions };
}

/** A stored rule as a draft, when the builder can show it (a flat all/any of conditions); null otherwise. */
export function draftFromRule(name: string, rule: unknown): SegmentDraft | null {
  const node = rule as Record<string, unknown>;
  const combine = Array.isArray(node?.all) ? "all" : Array.isArray(node?.any) ? "any" : null;
  if (!combine) return null;
  const conditions: ConditionDraft[] = [];
  for (const child of node[combine] as Array<Record<string, unknown>>) {
    if (typeof child?.field !== "string" || typeof child.op !== "string") return null;
    const shown = (part: unknown) =>
      fieldType(child.field as string) === "share" && typeof part === "number" ? String(percentOf(part)) : String(part);
    const value =
      child.value === undefined
        ? ""
        : Array.isArray(child.value)
          ? child.value.map(shown).join(", ")
          : shown(child.value);
    conditions.push({ field: child.field, op: child.op, value });
  }
  return { name, combine, conditions };
}

export interface DraftContext {
  currency: string;
  /** The values an enum or list field may take (tier IDs, RFM groups…), when it has a fixed set. */
  choices: (field: string) => readonly string[] | null;
}

/** What is wrong with one typed number, in the merchant's words; null when it is fine. */
function numberProblem(type: FieldType, text: string, currency: string): string | null {
  if (type === "money") {
    const digits = currencyExponent(currency);
    const pattern = digits > 0 ? new RegExp(`^\\d+(\\.\\d{1,${digits}})?$`) : /^\d+$/;
    return pattern.test(text)
      ? null
      : digits > 0
        ? `Enter an amount in ${currency}, like 100.00`
        : `Enter a whole amount in ${currency}, like 100`;
  }
  if (text === "" || !Number.isFinite(Number(text)))
    return type === "share" ? "Enter a percentage from 0 to 100" : "Enter a number";
  if (type === "share" && (Number(text) < 0 || Number(text) > 100)) return "Enter a percentage from 0 to 100";
  return null;
}

/**
 * Field errors for a draft, keyed as the form's fields ("conditions.2.value"); empty when every condition can be
 * saved. Fields and comparisons come from lists on the page, so only a tampered form gets those two errors.
 */
export function draftErrors(draft: SegmentDraft, context: DraftContext): Record<string, string> {
  const errors: Record<string, string> = {};
  draft.conditions.forEach((condition, index) => {
    const at = `conditions.${index}`;
    const type = fieldType(condition.field);
    if (!type) return void (errors[`${at}.field`] = "Choose a field from the list");
    if (!OPERATORS[type].some((option) => option.op === condition.op))
      return void (errors[`${at}.op`] = "Choose a comparison from the list");
    if (VALUELESS.has(condition.op)) return;
    const parts = splitValues(condition.value);
    if (type === "number" || type === "money" || type === "share") {
      if (condition.op === "between") {
        if (parts.length !== 2) return void (errors[`${at}.value`] = "Enter both ends of the range");
        const problem = parts.map((part) => numberProblem(type, part, context.currency)).find(Boolean);
        if (problem) return void (errors[`${at}.value`] = problem);
        if (Number(parts[0]) > Number(parts[1]))
          errors[`${at}.value`] = "The first number must not be above the second";
        return;
      }
      const problem = numberProblem(type, condition.value.trim(), context.currency);
      if (problem) errors[`${at}.value`] = problem;
      return;
    }
    const many = LIST_OPS.has(condition.op);
    if (parts.length === 0 || (!many && parts.length > 1))
      return void (errors[`${at}.value`] = many ? "Choose at least one" : "Choose a value");
    const known = context.choices(condition.field);
    if (known && parts.some((part) => !known.includes(part))) errors[`${at}.value`] = "Choose from the list";
  });
  return errors;
}

/** The rule compiler's complaints on the form's fields, in words (the compiler's own are for the CLI's JSON). */
export function fieldErrorsFromRule(issues: RuleIssue[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const match = /^(?:all|any)\.(\d+)(?:\.(field|op|value))?/.exec(issue.path);
    const part = match?.[2] ?? "value";
    const key = match ? `conditions.${match[1]}.${part}` : "conditions";
    errors[key] ??=
      part === "field"
        ? "Choose a field from the list"
        : part === "op"
          ? "Choose a comparison from the list"
          : "Check this value";
  }
  return errors;
}

/** The values an enum or list field offers, labelled; null for free text (product types) and numbers. */
export function valueChoices(
  field: string,
  tiers: readonly { id: string; name: string }[],
): { value: string; label: string }[] | null {
  switch (field) {
    case "tier":
      return tiers.map((tier) => ({ value: tier.id, label: tier.name }));
    case "rfmGroup":
      return RFM_GROUPS.map((group) => ({ value: group, label: RFM_GROUP_NAMES[group] }));
    case "lifecycle":
      return LIFECYCLE_STAGES.map((stage) => ({ value: stage, label: LIFECYCLE_NAMES[stage] }));
    case "segments":
      return BUILTIN_SEGMENTS.map((key) => ({ value: key, label: builtinSegmentLabel(key) }));
    case "purchaseMonths":
      return MONTH_NAMES.map((label, index) => ({ value: String(index + 1), label }));
    default:
      return null;
  }
}

/** The builder's list of fields, labelled as a merchant reads them ("Orders in the last 365 days"). */
export function fieldChoices() {
  return Object.entries(RULE_FIELDS).map(([name, definition]) => ({
    name,
    label: definition.label.charAt(0).toUpperCase() + definition.label.slice(1),
    type: definition.type as FieldType,
  }));
}
