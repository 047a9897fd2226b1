import { z } from "zod";

// A shop's loyalty program: ordered tiers that customers qualify for by net spend and/or purchases over a window.
// Separate enter and retain thresholds give hysteresis (no flapping at a boundary); a grace period delays a
// downgrade. Amounts are minor units of the shop currency. See docs/segments.md#loyalty-tiers.

export type TierWindow = { kind: "rolling"; days: number } | { kind: "lifetime" } | { kind: "calendar-year" };

export interface Threshold {
  spendMinor: number | null;
  orders: number | null;
}

export interface TierDefinition {
  id: string;
  name: string;
  enter: Threshold;
  retain: Threshold;
}

export interface LoyaltyProgram {
  window: TierWindow;
  /** "any": meeting one of a tier's thresholds is enough; "all": every threshold the tier sets must be met. */
  combine: "any" | "all";
  graceDays: number;
  /** Lowest first. */
  tiers: TierDefinition[];
}

// Messages written for whoever reads them (the admin puts them under a field, the CLI after the field's name).
const amount = z
  .number()
  .int("must be a whole number of minor units")
  .min(0, "cannot be negative")
  .nullable()
  .default(null);
const count = z
  .number()
  .int("must be a whole number of orders")
  .min(1, "must be at least 1 order")
  .nullable()
  .default(null);
const threshold = z.object({ spendMinor: amount, orders: count });

export const loyaltyProgramSchema = z
  .object({
    window: z.discriminatedUnion("kind", [
      z.object({
        kind: z.literal("rolling"),
        days: z
          .number()
          .int("must be a whole number of days")
          .min(1, "must be at least 1 day")
          .max(1095, "must be at most 1095 days"),
      }),
      z.object({ kind: z.literal("lifetime") }),
      z.object({ kind: z.literal("calendar-year") }),
    ]),
    combine: z.enum(["any", "all"]).default("any"),
    graceDays: z
      .number()
      .int("must be a whole number of days")
      .min(0, "cannot be negative")
      .max(365, "must be at most 365 days")
      .default(0),
    tiers: z
      .array(
        z.object({
          id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "tier ids are lower-case letters, digits, - and _"),
          name: z.string().trim().min(1, "a tier needs a name").max(40, "a tier name has at most 40 characters"),
          enter: threshold,
          /** Defaults to the enter thresholds (no hysteresis). */
          retain: threshold.optional(),
        }),
      )
      .min(1, "a program needs at least one tier")
      .max(10, "a program has at most 10 tiers"),
  })
  .transform((program, context): LoyaltyProgram => {
    const tiers = program.tiers.map((tier) => ({ ...tier, retain: tier.retain ?? { ...tier.enter } }));
    validateTiers(tiers, (path, message) => context.addIssue({ code: "custom", path, message }));
    return { ...program, tiers };
  });

export type LoyaltyProgramInput = z.input<typeof loyaltyProgramSchema>;

type Report = (path: Array<string | number>, message: string) => void;

const CRITERIA = ["spendMinor", "orders"] as const;

function validateTiers(tiers: TierDefinition[], report: Report): void {
  const ids = new Set<string>();
  const names = new Set<string>();
  tiers.forEach((tier, index) => {
    if (ids.has(tier.id)) report(["tiers", index, "id"], `duplicate tier id "${tier.id}"`);
    if (names.has(tier.name.toLowerCase())) report(["tiers", index, "name"], `duplicate tier name "${tier.name}"`);
    ids.add(tier.id);
    names.add(tier.name.toLowerCase());
    if (tier.enter.spendMinor === null && tier.enter.orders === null) {
      report(["tiers", index, "enter"], "a tier needs a spend or an orders threshold");
    }
    for (const criterion of CRITERIA) {
      const enter = tier.enter[criterion];
      const retain = tier.retain[criterion];
      if ((enter === null) !== (retain === null)) {
        report(["tiers", index, "retain", criterion], "retain must set the same thresholds as enter");
      } else if (enter !== null && retain !== null && retain > enter) {
        report(["tiers", index, "retain", criterion], "the retain threshold cannot be above the enter threshold");
      }
    }
    const previous = tiers[index - 1];
    if (!previous) return;
    let higher = false;
    for (const criterion of CRITERIA) {
      const below = previous.enter[criterion];
      const here = tier.enter[criterion];
      if (below !== null && here !== null) {
        if (here < below) report(["tiers", index, "enter", criterion], `must not be below ${previous.name}'s`);
        if (here > below) higher = true;
      } else if (here !== null) higher = true;
    }
    if (!higher) report(["tiers", index, "enter"], `must be harder to enter than ${previous.name}`);
  });
}

export class InvalidProgramError extends Error {
  override name = "InvalidProgramError";
}

export function parseProgram(input: unknown): LoyaltyProgram {
  const parsed = loyaltyProgramSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidProgramError(
      `loyalty program: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`,
    );
  }
  return parsed.data;
}

export function tierIndex(program: LoyaltyProgram, tierId: string | null): number {
  return tierId === null ? -1 : program.tiers.findIndex((tier) => tier.id === tierId);
}
