import { parseArgs } from "node:util";
import { closeDatabase, database, migrateDatabase } from "../../app/db.server.ts";
import { dayFromIsoDate } from "../../app/profiles/days.ts";
import { loadShop, UnknownShopError } from "../../app/recompute/facts.server.ts";
import { runFullPass } from "../../app/recompute/full-pass.server.ts";
import { refreshCustomers } from "../../app/recompute/refresh.server.ts";

export const summary = "Recompute a shop's profiles and segments: `recompute --shop DOMAIN [--customer ID …]`";
export const usage = `Usage: npm run cadence -- recompute --shop DOMAIN [--as-of YYYY-MM-DD] [--customer ID]... [--batch-size N]

Without --customer: the full pass. Refits the shop's models, re-ranks RFM, reclassifies every customer and
writes profiles, tiers, segment memberships and transitions back, in batches. Creates the default loyalty program
on the first run. Skipped (exit 0, says so) when another full pass of the shop is running.
With --customer (repeatable): refreshes only those customers against the shop's current model state.
--as-of defaults to today in the shop's time zone. Uses DATABASE_URL, or the embedded database.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      shop: { type: "string" },
      "as-of": { type: "string" },
      customer: { type: "string", multiple: true },
      "batch-size": { type: "string" },
    },
  });
  if (!values.shop) return fail("--shop DOMAIN is required.");
  let asOf: number | undefined;
  if (values["as-of"]) {
    try {
      asOf = dayFromIsoDate(values["as-of"]);
    } catch {
      return fail(`--as-of must be a date (YYYY-MM-DD), not "${values["as-of"]}".`);
    }
  }
  const batchSize = values["batch-size"] === undefined ? undefined : Number(values["batch-size"]);
  if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize > 0))
    return fail("--batch-size must be a positive integer.");
  try {
    await migrateDatabase();
    const shop = await loadShop(database().prisma, { domain: values.shop });
    if (values.customer?.length) {
      const result = await refreshCustomers(database(), shop.id, values.customer, asOf === undefined ? {} : { asOf });
      console.log(
        `Refreshed ${result.written} customer(s) of ${shop.domain}: ${result.entered} segment entries, ${result.exited} exits, ` +
          `${result.tierChanges} tier changes; ${result.removed} removed (deleted in Shopify).`,
      );
      return 0;
    }
    const result = await runFullPass(database(), shop.id, {
      ...(asOf === undefined ? {} : { asOf }),
      ...(batchSize ? { batchSize } : {}),
      log: (line) => console.log(line),
    });
    if (result.status === "skipped") {
      console.log(`Skipped: ${result.reason}.`);
      return 0;
    }
    console.log(
      `Full pass of ${shop.domain} as of ${result.asOf}: ${result.customers} customers in ${
        result.batches
      } batch(es), ${(result.millis / 1000).toFixed(1)} s. ` +
        `${result.written.entered} segment entries, ${result.written.exited} exits, ${result.written.tierChanges} tier changes, ${result.removed} removed.` +
        (result.createdDefaultProgram ? " Created the default loyalty program." : ""),
    );
    return 0;
  } catch (error) {
    if (error instanceof UnknownShopError) return fail(error.message, 1);
    throw error;
  } finally {
    await closeDatabase();
  }
}

function fail(message: string, code = 2): number {
  process.stderr.write(`${message}\n`);
  return code;
}
