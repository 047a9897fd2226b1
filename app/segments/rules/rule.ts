import { z } from "zod";
import { decimalToMinor } from "~/money/decimal";
import { fieldDefinition } from "./fields";
import type { FieldDefinition } from "./fields";
import type { RuleSubject } from "./subject";

// Custom segment rules: a JSON tree of and/or/not over comparisons of profile fields, e.g.
//   {"all": [{"field": "orders", "op": "gte", "value": 3},
//            {"any": [{"field": "netSpend", "op": "gte", "value": "100.00"}, {"field": "tier", "op": "eq", "value": "gold"}]}]}
// Money values are decimal amounts in the shop currency ("100.00"); shares are 0–1. Parsing checks the shape,
// compiling checks the meaning (field exists, operator fits the field, values fit the field) and reports every
// problem with its path, so a merchant sees all mistakes at once.

export type RuleNode = { all: RuleNode[] } | { any: RuleNode[] } | { not: RuleNode } | Condition;

export interface Condition {
  field: string;
  op: string;
  value?: unknown;
}

const conditionSchema = z.object({ field: z.string(), op: z.string(), value: z.unknown().optional() }).strict();
export const ruleSchema: z.ZodType<RuleNode> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(ruleSchema).min(1) }).strict(),
    z.object({ any: z.array(ruleSchema).min(1) }).strict(),
    z.object({ not: ruleSchema }).strict(),
    conditionSchema,
  ]),
);

export const MAX_CONDITIONS = 50;
export const MAX_DEPTH = 6;

const OPERATORS = {
  number: ["eq", "ne", "gt", "gte", "lt", "lte", "between", "isSet", "isNotSet"],
  enum: ["eq", "ne", "in", "notIn", "isSet", "isNotSet"],
  list: ["contains", "notContains", "containsAny", "isSet", "isNotSet"],
} as const;

export interface RuleContext {
  currency: string;
  /** The tier IDs of the shop's program, for rules on `tier`. */
  tierIds: readonly string[];
}

export interface RuleIssue {
  path: string;
  message: string;
}

export class InvalidRuleError extends Error {
  override name = "InvalidRuleError";
  constructor(readonly issues: RuleIssue[]) {
    super(`invalid segment rule: ${issues.map((issue) => `${issue.path || "(root)"}: ${issue.message}`).join("; ")}`);
  }
}

export type Predicate = (subject: RuleSubject) => boolean;

export interface CompiledCondition {
  field: string;
  definition: FieldDefinition;
  op: string;
  /** Numbers in minor units for money fields; strings for enum/list fields. */
  operand: number | string | readonly number[] | readonly string[] | null;
  test: Predicate;
}

export type CompiledRule =
  | { kind: "all" | "any"; children: CompiledRule[]; test: Predicate }
  | { kind: "not"; child: CompiledRule; test: Predicate }
  | ({ kind: "condition" } & CompiledCondition);

function numericOperand(value: unknown, definition: FieldDefinition, context: RuleContext): number | null {
  if (definition.type === "money") {
    if (typeof value !== "string" && typeof value !== "number") return null;
    try {
      return decimalToMinor(typeof value === "number" ? String(value) : value, context.currency);
    } catch {
      return null;
    }
  }
  if (typeof value !== "number" || !Number.isFinite(value)) return null;
  if (definition.type === "share" && (value < 0 || value > 1)) return null;
  return value;
}

function vocabulary(field: string, definition: FieldDefinition, context: RuleContext): readonly string[] | null {
  if (field === "tier") return context.tierIds;
  return definition.values ?? null;
}

function compileCondition(
  condition: Condition,
  path: string,
  context: RuleContext,
  issues: RuleIssue[],
): CompiledRule | null {
  const definition = fieldDefinition(condition.field);
  if (!definition) {
    issues.push({ path: `${path}.field`, message: `unknown field "${condition.field}"` });
    return null;
  }
  const family = definition.type === "enum" ? "enum" : definition.type === "list" ? "list" : "number";
  const allowed: readonly string[] = OPERATORS[family];
  if (!allowed.includes(condition.op)) {
    issues.push({
      path: `${path}.op`,
      message: `"${condition.op}" does not apply to ${condition.field} (use ${allowed.join(", ")})`,
    });
    return null;
  }
  const bad = (message: string) => {
    issues.push({ path: `${path}.value`, message });
    return null;
  };
  const read = definition.read;
  const op = condition.op;
  if (op === "isSet" || op === "isNotSet") {
    const present = (subject: RuleSubject) => {
      const value = read(subject);
      return value !== null && !(Array.isArray(value) && value.length === 0);
    };
    return {
      kind: "condition",
      field: condition.field,
      definition,
      op,
      operand: null,
      test: op === "isSet" ? present : (s) => !present(s),
    };
  }
  if (family === "number") {
    if (op === "between") {
      const pair = Array.isArray(condition.value)
        ? condition.value.map((v) => numericOperand(v, definition, context))
        : [];
      if (pair.length !== 2 || pair.some((v) => v === null) || (pair[0] as number) > (pair[1] as number)) {
        return bad(`between needs [low, high] ${definition.type === "money" ? "amounts" : "numbers"} with low ≤ high`);
      }
      const [low, high] = pair as [number, number];
      const test: Predicate = (s) => {
        const v = read(s);
        return typeof v === "number" && v >= low && v <= high;
      };
      return { kind: "condition", field: condition.field, definition, op, operand: [low, high], test };
    }
    const operand = numericOperand(condition.value, definition, context);
    if (operand === null) {
      return bad(
        definition.type === "money"
          ? 'an amount like "100.00" is required'
          : definition.type === "share"
            ? "a share from 0 to 1 is required"
            : "a number is required",
      );
    }
    const compare: Record<string, (v: number) => boolean> = {
      eq: (v) => v === operand,
      ne: (v) => v !== operand,
      gt: (v) => v > operand,
      gte: (v) => v >= operand,
      lt: (v) => v < operand,
      lte: (v) => v <= operand,
    };
    const check = compare[op] as (v: number) => boolean;
    return {
      kind: "condition",
      field: condition.field,
      definition,
      op,
      operand,
      test: (s) => {
        const v = read(s);
        return typeof v === "number" && check(v);
      },
    };
  }
  const known = vocabulary(condition.field, definition, context);
  const many = op === "in" || op === "notIn" || op === "containsAny";
  const values = many ? condition.value : [condition.value];
  if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== "string" || v === "")) {
    return bad(many ? "a non-empty list of values is required" : "a value is required");
  }
  const unknown = known ? (values as string[]).filter((v) => !known.includes(v)) : [];
  if (unknown.length > 0)
    return bad(`unknown ${definition.label}: ${unknown.join(", ")} (known: ${known?.join(", ") || "none"})`);
  const set = new Set(values as string[]);
  const operand = many ? (values as string[]) : (values[0] as string);
  const tests: Record<string, Predicate> = {
    eq: (s) => set.has(read(s) as string),
    in: (s) => set.has(read(s) as string),
    ne: (s) => read(s) !== null && !set.has(read(s) as string),
    notIn: (s) => read(s) !== null && !set.has(read(s) as string),
    contains: (s) => ((read(s) as readonly string[] | null) ?? []).some((v) => set.has(v)),
    containsAny: (s) => ((read(s) as readonly string[] | null) ?? []).some((v) => set.has(v)),
    notContains: (s) => !((read(s) as readonly string[] | null) ?? []).some((v) => set.has(v)),
  };
  return { kind: "condition", field: condition.field, definition, op, operand, test: tests[op] as Predicate };
}

function compileNode(
  node: RuleNode,
  path: string,
  depth: number,
  context: RuleContext,
  issues: RuleIssue[],
  counter: { n: number },
): CompiledRule | null {
  if (depth > MAX_DEPTH) {
    issues.push({ path, message: `rules may nest at most ${MAX_DEPTH} levels` });
    return null;
  }
  if ("all" in node || "any" in node) {
    const kind = "all" in node ? "all" : "any";
    const list = "all" in node ? node.all : node.any;
    const children = list.map((child, index) =>
      compileNode(child, `${path}.${kind}.${index}`, depth + 1, context, issues, counter),
    );
    if (children.some((child) => child === null)) return null;
    const compiled = children as CompiledRule[];
    const test: Predicate =
      kind === "all" ? (s) => compiled.every((c) => c.test(s)) : (s) => compiled.some((c) => c.test(s));
    return { kind, children: compiled, test };
  }
  if ("not" in node) {
    const child = compileNode(node.not, `${path}.not`, depth + 1, context, issues, counter);
    return child && { kind: "not", child, test: (s) => !child.test(s) };
  }
  counter.n += 1;
  if (counter.n === MAX_CONDITIONS + 1)
    issues.push({ path, message: `a rule may have at most ${MAX_CONDITIONS} conditions` });
  return compileCondition(node, path, context, issues);
}

/** Parses and compiles a rule; throws InvalidRuleError listing every problem. */
export function compileRule(input: unknown, context: RuleContext): CompiledRule {
  const parsed = ruleSchema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidRuleError([
      { path: "", message: "a rule is {all:[…]}, {any:[…]}, {not:…} or {field, op, value}" },
    ]);
  }
  const issues: RuleIssue[] = [];
  const compiled = compileNode(parsed.data, "", 0, context, issues, { n: 0 });
  if (issues.length > 0 || !compiled)
    throw new InvalidRuleError(issues.map((issue) => ({ ...issue, path: issue.path.replace(/^\./, "") })));
  return compiled;
}

/** The problems with a rule, or an empty list when it compiles. */
export function validateRule(input: unknown, context: RuleContext): RuleIssue[] {
  try {
    compileRule(input, context);
    return [];
  } catch (error) {
    if (error instanceof InvalidRuleError) return error.issues;
    throw error;
  }
}
