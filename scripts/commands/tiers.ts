import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { closeDatabase, database, migrateDatabase } from "../../app/db.server.ts";
import { isoDateFromDay } from "../../app/profiles/days.ts";
import { loadShop, UnknownShopError } from "../../app/recompute/facts.server.ts";
import type { ShopFacts } from "../../app/recompute/facts.server.ts";
import { changeLoyaltyProgram, getLoyaltyProgram, previewLoyaltyProgram } from "../../app/recompute/loyalty.server.ts";
import { parseProgramFile, ProgramFileError, programToFile } from "../../app/segments/tiers/program-file.ts";
import type { LoyaltyProgram } from "../../app/segments/tiers/program.ts";
import { describePreview, longDate, programSummary, programTable } from "../../app/segments/explain/tier-program.ts";

export const summary = "Loyalty tiers: `tiers show|preview|apply --shop DOMAIN [--program FILE]`";
export const usage = `Usage: npm run cadence -- tiers show --shop DOMAIN [--format json|text]
       npm run cadence -- tiers preview --shop DOMAIN --program FILE [--format json|text]
       npm run cadence -- tiers apply --shop DOMAIN --program FILE

show     the shop's loyalty program. JSON (the default) is the program file that preview and apply read:
           { "window": { "kind": "rolling", "days": 365 } | { "kind": "lifetime" } | { "kind": "calendar-year" },
             "combine": "any" | "all",            (optional, "any": one threshold of a tier is enough)
             "graceDays": 30,
             "tiers": [{ "id": "silver", "name": "Silver",
                         "enter": { "spend": "150.00", "orders": null },
                         "retain": { "spend": "100.00", "orders": null } }, …] }   (lowest tier first)
         spend is a decimal string in the shop currency, a threshold not used is null. Text adds the customers
         holding each tier.
preview  what applying FILE today would do, without changing anything: customers moving up or down now, moving
         down when the new grace period ends (unless they buy again), staying; and each move by tier and day.
         JSON: { customers, up, down, downAfterGrace, stay, moves: [{ from, to, on, customers }] }. Text (default)
         says the same per tier, lowest first.
apply    saves FILE as the shop's program, in effect today, and brings every customer forward under it (a full
         pass; it waits for one already running). Prints the moves it made, which are the preview's.

A file that is not a valid program exits 2 naming the field (tiers[1].enter.spend: …). Uses DATABASE_URL, or the
embedded database (stop the demo first).`;

type Action = "show" | "preview" | "apply";

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { shop: { type: "string" }, program: { type: "string" }, format: { type: "string" } },
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${usage}`);
  }
  const { values, positionals } = parsed;
  const action = positionals[0] as Action | undefined;
  if (positionals.length !== 1 || !["show", "preview", "apply"].includes(action ?? ""))
    return fail(`Unknown tiers command "${positionals.join(" ")}".\n\n${usage}`);
  if (!values.shop) return fail("--shop DOMAIN is required.");
  if (action !== "show" && !values.program)
    return fail(`--program FILE is required: the program as \`tiers show --shop ${values.shop}\` prints it.`);
  if (action === "show" && values.program) return fail("tiers show takes no --program.");
  if (action === "apply" && values.format !== undefined)
    return fail("tiers apply takes no --format: it prints what it did.");
  const format = values.format ?? (action === "show" ? "json" : "text");
  if (format !== "json" && format !== "text") return fail(`--format must be json or text, not "${format}".`);
  let text: string | null = null;
  if (values.program) {
    try {
      text = readFileSync(values.program, "utf8");
    } catch (error) {
      return fail(
        `--program ${values.program}: cannot read it (${
          (error as NodeJS.ErrnoException).code ?? (error as Error).message
        }).`,
      );
    }
  }
  try {
    await migrateDatabase();
    const shop = await loadShop(database().prisma, { domain: values.shop });
    let program: LoyaltyProgram | null = null;
    if (text !== null) {
      try {
        program = parseProgramFile(text, shop.currency);
      } catch (error) {
        if (error instanceof ProgramFileError) return fail(`${values.program}: ${error.message}`);
        throw error;
      }
    }
    if (action === "show") return await show(shop, format);
    if (action === "preview") return await preview(shop, program as LoyaltyProgram, format);
    return await apply(shop, program as LoyaltyProgram);
  } catch (error) {
    if (error instanceof UnknownShopError) return fail(error.message, 1);
    throw error;
  } finally {
    await closeDatabase();
  }
}

async function show(shop: ShopFacts, format: string): Promise<number> {
  const current = await getLoyaltyProgram(database().prisma, shop.id);
  if (!current)
    return fail(
      `${shop.domain} has no loyalty program yet; the first full pass suggests one: npm run cadence -- recompute --shop ${shop.domain}`,
      1,
    );
  if (format === "json") {
    process.stdout.write(JSON.stringify(programToFile(current.program, shop.currency), null, 2) + "\n");
    return 0;
  }
  const rows = await database().prisma.customerProfile.groupBy({
    by: ["tierId"],
    where: { shopId: shop.id },
    _count: { _all: true },
  });
  const holders = new Map(rows.map((row) => [row.tierId, row._count._all]));
  const origin = current.source === "default" ? ", suggested from the shop's spend" : "";
  const lines = [
    `Loyalty program of ${shop.domain}: version ${current.version}${origin}, in effect since ${longDate(
      current.effectiveOn,
    )}.`,
    programSummary(current.program),
    "",
    ...programTable(current.program, shop.currency, holders),
  ];
  process.stdout.write(lines.join("\n") + "\n");
  return 0;
}

async function preview(shop: ShopFacts, program: LoyaltyProgram, format: string): Promise<number> {
  const result = await previewLoyaltyProgram(database(), shop.id, program);
  if (format === "json") {
    const { customers, up, down, downAfterGrace, stay } = result;
    const moves = result.moves.map((move) => ({
      from: move.from,
      to: move.to,
      on: isoDateFromDay(move.on),
      customers: move.customers,
    }));
    process.stdout.write(JSON.stringify({ customers, up, down, downAfterGrace, stay, moves }, null, 2) + "\n");
    return 0;
  }
  const words = describePreview(result);
  const lines = [
    `Applying this program to ${shop.domain} today:`,
    words.summary,
    `up ${result.up}, down ${result.down}, down after the grace period ${result.downAfterGrace}, stay ${result.stay} (of ${result.customers})`,
    "",
    "By tier, lowest first:",
    ...words.tiers.map((tier) => `  ${tier.line}`),
    "",
    words.moves.length ? "Moves:" : "Moves: none",
    ...words.moves.map((move) => `  ${move}`),
  ];
  process.stdout.write(lines.join("\n") + "\n");
  return 0;
}

async function apply(shop: ShopFacts, program: LoyaltyProgram): Promise<number> {
  const applied = await changeLoyaltyProgram(database(), shop.id, program);
  const when = longDate(applied.effectiveOn);
  if (applied.recompute.status !== "done") {
    process.stderr.write(
      `Saved version ${applied.version} of ${shop.domain}'s program, but another full pass kept running; the change applies at the next pass.\n`,
    );
    return 1;
  }
  const names = new Map<string | null, string>(program.tiers.map((tier) => [tier.id, tier.name]));
  const name = (tierId: string | null) => (tierId === null ? "No tier" : (names.get(tierId) ?? tierId));
  const lines = [
    `Saved version ${applied.version} of ${shop.domain}'s loyalty program, in effect from ${when}; ${applied.recompute.customers} customers brought forward under it.`,
    `Moves made on ${when}: up ${applied.up}, down ${applied.down}.`,
    ...applied.moves.map((move) => `  ${name(move.from)} → ${name(move.to)}: ${move.customers}`),
  ];
  if (applied.graceEndsOn !== null && applied.downAfterGrace > 0) {
    lines.push(
      `In the grace period: ${applied.downAfterGrace} below their tier's new keep threshold move down on ${longDate(
        applied.graceEndsOn,
      )} unless they buy again.`,
    );
  } else if (applied.graceEndsOn !== null) {
    lines.push("In the grace period: nobody (no customer is below their tier's new keep threshold).");
  }
  process.stdout.write(lines.join("\n") + "\n");
  return 0;
}

function fail(message: string, code = 2): number {
  process.stderr.write(`${message}\n`);
  return code;
}
