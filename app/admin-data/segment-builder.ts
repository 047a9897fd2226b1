import { z } from "zod";
import { RULE_FIELDS, type FieldType } from "~/segments/rules/fields";
import type { RuleIssue, RuleNode } from "~/segments/rules/rule";

// The segment builder edits a flat rule: conditions joined by "all" or "any". It turns the form's text inputs
// into the rule language's values (numbers for counts and shares, decimals for money, lists for "in"), and the
// rule compiler's complaints (`all.2.value`) back into the form's fields (`conditions.2.value`).

export interface ConditionDraft {
  field: string;
  op: string;
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
  conditions: z.array(z.object({ field: z.string(), op: z.string(), value: z.string().default("") })).max(50),
});

export const OPERATORS: Record<FieldType, { op: string; label: string }[]> = {
  number: ["gte", "gt", "lte", "lt", "eq", "ne", "between", "isSet", "isNotSet"].map((op) => ({ op, label: op })),
  money: ["gte", "gt", "lte", "lt", "eq", "ne", "between", "isSet", "isNotSet"].map((op) => ({ op, label: op })),
  share: ["gte", "gt", "lte", "lt", "eq", "ne", "between", "isSet", "isNotSet"].map((op) => ({ op, label: op })),
  enum: ["eq", "ne", "in", "notIn", "isSet", "isNotSet"].map((op) => ({ op, label: op })),
  list: ["contains", "notContains", "containsAny", "isSet", "isNotSet"].map((op) => ({ op, label: op })),
};

const LIST_OPS = new Set(["in", "notIn", "containsAny", "between"]);

function typedValue(type: FieldType | undefined, text: string): unknown {
  const trimmed = text.trim();
  const one = (part: string) => (type === "number" || type === "share") && part !== "" && Number.isFinite(Number(part)) ? Number(part) : part;
  return one(trimmed);
}

export function ruleFromDraft(draft: SegmentDraft): RuleNode {
  const conditions = draft.conditions.map((condition): RuleNode => {
    const type = (RULE_FIELDS as Record<string, { type: FieldType }>)[condition.field]?.type;
    if (condition.op === "isSet" || condition.op === "isNotSet") return { field: condition.field, op: condition.op };
    const value = LIST_OPS.has(condition.op) ? condition.value.split(",").map((part) => typedValue(type, part)).filter((part) => part !== "") : typedValue(type, condition.value);
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
    const value = child.value === undefined ? "" : Array.isArray(child.value) ? child.value.join(", ") : String(child.value);
    conditions.push({ field: child.field, op: child.op, value });
  }
  return { name, combine, conditions };
}

export function fieldErrorsFromRule(issues: RuleIssue[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const match = /^(?:all|any)\.(\d+)(?:\.(field|op|value))?/.exec(issue.path);
    const key = match ? `conditions.${match[1]}.${match[2] ?? "value"}` : "conditions";
    errors[key] ??= issue.message;
  }
  return errors;
}
