import { formatMoney } from "~/money/format";
import { MONTH_NAMES, percent } from "../explain/text";
import { LIFECYCLE_NAMES } from "../lifecycle/stage";
import type { LifecycleStage } from "../lifecycle/stage";
import { RFM_GROUP_NAMES } from "../rfm/groups";
import type { RfmGroup } from "../rfm/groups";
import { builtinSegmentLabel, isBuiltinSegment } from "../names";
import type { CompiledCondition, CompiledRule } from "./rule";
import type { RuleSubject } from "./subject";

// Rules in words, for the merchant ("orders at least 3 and (net spend at least £100.00 or tier is Gold)") and, for one
// customer, the conditions that put them in the segment with their own figures ("orders 5 (at least 3)"). Comparisons
// are words, never the rule language's operator keys, and shares are percentages.

export interface DescribeContext {
  currency: string;
  locale?: string;
  tierNames: ReadonlyMap<string, string>;
}

/** How each comparison reads; "is"/"is not" for exact numbers too ("orders is 3"). */
export const COMPARISON_WORDS: Record<string, string> = {
  eq: "is",
  ne: "is not",
  gt: "more than",
  gte: "at least",
  lt: "less than",
  lte: "at most",
  between: "between",
  in: "is one of",
  notIn: "is none of",
  contains: "include",
  containsAny: "include any of",
  notContains: "do not include",
  isSet: "is not empty",
  isNotSet: "is empty",
};

// The field's label already says which family a value is from ("RFM group is At risk"), so values are plain names.
export function valueName(field: string, value: string, context: Pick<DescribeContext, "tierNames">): string {
  if (field === "tier") return context.tierNames.get(value) ?? value;
  if (field === "rfmGroup") return RFM_GROUP_NAMES[value as RfmGroup] ?? value;
  if (field === "lifecycle") return LIFECYCLE_NAMES[value as LifecycleStage] ?? value;
  if (field === "segments") return isBuiltinSegment(value) ? builtinSegmentLabel(value) : value;
  if (field === "purchaseMonths") return MONTH_NAMES[Number(value) - 1] ?? value;
  return value;
}

function formatNumber(condition: CompiledCondition, value: number, context: DescribeContext): string {
  if (condition.definition.type === "money") return formatMoney(value, context.currency, context.locale);
  if (condition.definition.type === "share") return percent(value);
  return Number.isInteger(value) ? value.toLocaleString("en") : value.toFixed(1);
}

function operandText(condition: CompiledCondition, context: DescribeContext): string {
  const { operand, field } = condition;
  if (typeof operand === "number") return formatNumber(condition, operand, context);
  if (typeof operand === "string") return valueName(field, operand, context);
  if (Array.isArray(operand)) {
    if (condition.op === "between")
      return (operand as number[]).map((v) => formatNumber(condition, v, context)).join(" and ");
    return (operand as string[]).map((v) => valueName(field, v, context)).join(", ");
  }
  return "";
}

function conditionText(condition: CompiledCondition, context: DescribeContext, actual?: string): string {
  const label = condition.definition.label;
  const operand = operandText(condition, context);
  const words = COMPARISON_WORDS[condition.op] ?? condition.op;
  const rule = condition.op === "isSet" || condition.op === "isNotSet" ? words : `${words} ${operand}`;
  if (actual === undefined) return `${label} ${rule}`;
  // A customer's own value first, then the rule it meets; an enum's value alone says both ("tier is Gold").
  return condition.definition.type === "enum" && (condition.op === "eq" || condition.op === "in")
    ? `${label} is ${actual}`
    : `${label} ${actual} (${rule})`;
}

function wrap(rule: CompiledRule, text: string): string {
  return rule.kind === "all" || rule.kind === "any" ? `(${text})` : text;
}

export function describeRule(rule: CompiledRule, context: DescribeContext): string {
  switch (rule.kind) {
    case "condition":
      return conditionText(rule, context);
    case "not":
      return `not ${wrap(rule.child, describeRule(rule.child, context))}`;
    default:
      return rule.children
        .map((child) => wrap(child, describeRule(child, context)))
        .join(rule.kind === "all" ? " and " : " or ");
  }
}

function actualValue(condition: CompiledCondition, subject: RuleSubject, context: DescribeContext): string | undefined {
  const value = condition.definition.read(subject);
  if (typeof value === "number") return formatNumber(condition, value, context);
  if (typeof value === "string") return valueName(condition.field, value, context);
  return undefined;
}

/** Why a customer matches a rule, with their own figures; null when they do not match. */
export function explainMatch(rule: CompiledRule, subject: RuleSubject, context: DescribeContext): string | null {
  if (!rule.test(subject)) return null;
  switch (rule.kind) {
    case "condition":
      return conditionText(rule, context, actualValue(rule, subject, context));
    case "not":
      return `not ${wrap(rule.child, describeRule(rule.child, context))}`;
    case "all":
      return rule.children.map((child) => explainMatch(child, subject, context) as string).join(", ");
    case "any": {
      const first = rule.children.find((child) => child.test(subject)) as CompiledRule;
      return explainMatch(first, subject, context);
    }
  }
}
