import { formatMoney } from "../explain/money";
import { percent } from "../explain/text";
import { LIFECYCLE_NAMES, type LifecycleStage } from "../lifecycle/stage";
import { RFM_GROUP_NAMES, type RfmGroup } from "../rfm/groups";
import { BUILTIN_SEGMENT_NAMES, type BuiltinSegment } from "../winback/occasions";
import type { CompiledCondition, CompiledRule } from "./rule";
import type { RuleSubject } from "./subject";

// Rules in words, for the merchant ("orders ≥ 3 and (net spend ≥ £100 or tier is Gold)") and, for one customer,
// the conditions that put them in the segment with their own figures ("orders 5 ≥ 3").

export interface DescribeContext {
  currency: string;
  locale?: string;
  tierNames: ReadonlyMap<string, string>;
}

const SYMBOLS: Record<string, string> = { eq: "=", ne: "≠", gt: ">", gte: "≥", lt: "<", lte: "≤" };

function valueName(field: string, value: string, context: DescribeContext): string {
  if (field === "tier") return context.tierNames.get(value) ?? value;
  if (field === "rfmGroup") return RFM_GROUP_NAMES[value as RfmGroup] ?? value;
  if (field === "lifecycle") return LIFECYCLE_NAMES[value as LifecycleStage] ?? value;
  if (field === "segments") return BUILTIN_SEGMENT_NAMES[value as BuiltinSegment] ?? value;
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
    if (condition.op === "between") return (operand as number[]).map((v) => formatNumber(condition, v, context)).join(" and ");
    return (operand as string[]).map((v) => valueName(field, v, context)).join(", ");
  }
  return "";
}

function conditionText(condition: CompiledCondition, context: DescribeContext, actual?: string): string {
  const label = actual === undefined ? condition.definition.label : `${condition.definition.label} ${actual}`;
  const operand = operandText(condition, context);
  switch (condition.op) {
    case "isSet":
      return `${label} is known`;
    case "isNotSet":
      return `${label} is not known`;
    case "between":
      return `${label} between ${operand}`;
    case "eq":
      return condition.definition.type === "enum" ? `${label} is ${operand}` : `${label} = ${operand}`;
    case "ne":
      return condition.definition.type === "enum" ? `${label} is not ${operand}` : `${label} ≠ ${operand}`;
    case "in":
      return `${label} is one of ${operand}`;
    case "notIn":
      return `${label} is none of ${operand}`;
    case "contains":
      return `${label} include ${operand}`;
    case "containsAny":
      return `${label} include any of ${operand}`;
    case "notContains":
      return `${label} exclude ${operand}`;
    default:
      return `${label} ${SYMBOLS[condition.op] ?? condition.op} ${operand}`;
  }
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
      return rule.children.map((child) => wrap(child, describeRule(child, context))).join(rule.kind === "all" ? " and " : " or ");
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
