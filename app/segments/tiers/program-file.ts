import { z } from "zod";
import { currencyExponent, decimalToMinor, minorToDecimal } from "~/money/decimal";
import { loyaltyProgramSchema } from "./program";
import type { LoyaltyProgram, Threshold } from "./program";

// The loyalty program as an operator reads and writes it (`npm run cadence -- tiers …`): spend as a decimal string
// in the shop currency ("150.00"), a threshold not used as null. `tiers show` prints this and `tiers preview` /
// `tiers apply` read it back, so a shown program round-trips. Every problem names its field ("tiers[1].enter.spend").

export interface ThresholdFile {
  spend: string | null;
  orders: number | null;
}

export interface ProgramFile {
  window: LoyaltyProgram["window"];
  /** "any": one of a tier's thresholds is enough; "all": every one it sets. Optional: "any". */
  combine: LoyaltyProgram["combine"];
  graceDays: number;
  /** Lowest first. */
  tiers: Array<{ id: string; name: string; enter: ThresholdFile; retain: ThresholdFile }>;
}

export function programToFile(program: LoyaltyProgram, currency: string): ProgramFile {
  const threshold = (t: Threshold): ThresholdFile => ({
    spend: t.spendMinor === null ? null : minorToDecimal(t.spendMinor, currency),
    orders: t.orders,
  });
  return {
    window: program.window,
    combine: program.combine,
    graceDays: program.graceDays,
    tiers: program.tiers.map((tier) => ({
      id: tier.id,
      name: tier.name,
      enter: threshold(tier.enter),
      retain: threshold(tier.retain),
    })),
  };
}

export class ProgramFileError extends Error {
  override name = "ProgramFileError";
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

const MAX_MINOR = 1e13;
const typed = (expected: string) => ({
  error: (issue: { input: unknown }) =>
    issue.input === undefined ? "missing" : `expected ${expected}, not ${JSON.stringify(issue.input)}`,
});

function fileSchema(currency: string) {
  const digits = currencyExponent(currency);
  const example = digits === 0 ? "150" : `150.${"0".repeat(digits)}`;
  const amount = new RegExp(digits === 0 ? "^\\d+$" : `^\\d+(\\.\\d{1,${digits}})?$`);
  const spend = z
    .string(typed(`an amount in ${currency} as a string, like "${example}", or null`))
    .refine((text) => amount.test(text) && decimalToMinor(text, currency) <= MAX_MINOR, {
      error: (issue) =>
        `${JSON.stringify(
          issue.input,
        )} is not an amount in ${currency} (like "${example}", at most ${digits} decimals)`,
    })
    .nullable()
    .default(null);
  const orders = z
    .number(typed("a whole number of orders or null"))
    .int("expected a whole number of orders")
    .min(1, "must be at least 1")
    .max(100_000, "must be at most 100000")
    .nullable()
    .default(null);
  const threshold = z.strictObject({ spend, orders }, typed('an object like { "spend": "150.00", "orders": null }'));
  return z.strictObject(
    {
      window: z.discriminatedUnion(
        "kind",
        [
          z.strictObject({
            kind: z.literal("rolling"),
            days: z
              .number(typed("a whole number of days"))
              .int("expected a whole number of days")
              .min(1, "must be at least 1")
              .max(1095, "must be at most 1095"),
          }),
          z.strictObject({ kind: z.literal("lifetime") }),
          z.strictObject({ kind: z.literal("calendar-year") }),
        ],
        {
          error: () =>
            `expected { "kind": "rolling", "days": 365 }, { "kind": "lifetime" } or { "kind": "calendar-year" }`,
        },
      ),
      combine: z.enum(["any", "all"], { error: () => `expected "any" or "all"` }).default("any"),
      graceDays: z
        .number(typed("a whole number of days"))
        .int("expected a whole number of days")
        .min(0, "must be at least 0")
        .max(365, "must be at most 365"),
      tiers: z
        .array(
          z.strictObject(
            {
              id: z.string(typed("a tier id string")),
              name: z.string(typed("a name string")),
              enter: threshold,
              retain: threshold,
            },
            typed("a tier object"),
          ),
          typed("a list of tiers"),
        )
        .min(1, "needs at least one tier")
        .max(10, "holds at most 10 tiers"),
    },
    typed("a JSON object with window, graceDays and tiers"),
  );
}

/** `tiers[1].enter.spend` from a path of keys and indexes. */
function fieldName(path: ReadonlyArray<PropertyKey>): string {
  let name = "";
  for (const key of path) name += typeof key === "number" ? `[${key}]` : `${name ? "." : ""}${String(key)}`;
  return name || "(the file)";
}

const FILE_KEYS: Record<string, string> = { spendMinor: "spend" };

/** The program a parsed JSON file describes, in the shop's currency; ProgramFileError names the first bad field. */
export function programFromFile(input: unknown, currency: string): LoyaltyProgram {
  const parsed = fileSchema(currency).safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === "unrecognized_keys")
      throw new ProgramFileError(fieldName([...issue.path, issue.keys[0]!]), "unknown field");
    throw new ProgramFileError(fieldName(issue.path), issue.message);
  }
  const file = parsed.data;
  const threshold = (t: { spend: string | null; orders: number | null }) => ({
    spendMinor: t.spend === null ? null : decimalToMinor(t.spend, currency),
    orders: t.orders,
  });
  const checked = loyaltyProgramSchema.safeParse({
    ...file,
    tiers: file.tiers.map((tier) => ({ ...tier, enter: threshold(tier.enter), retain: threshold(tier.retain) })),
  });
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new ProgramFileError(
      fieldName(issue.path.map((key) => (typeof key === "string" ? (FILE_KEYS[key] ?? key) : key))),
      issue.message,
    );
  }
  return checked.data;
}

/** A program file's text (JSON) → program; bad JSON is reported as such. */
export function parseProgramFile(text: string, currency: string): LoyaltyProgram {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ProgramFileError("(the file)", `not JSON: ${(error as Error).message}`);
  }
  return programFromFile(json, currency);
}
