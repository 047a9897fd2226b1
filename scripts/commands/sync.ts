import { parseArgs } from "node:util";
import { closeDatabase, database, migrateDatabase } from "../../app/db.server.ts";
import { formatSyncStatus, syncStatus, UnknownShopError } from "../../app/ingest/sync-status.ts";

export const summary = "Where a shop's sync stands: `sync status --shop DOMAIN [--format text|json]`";
export const usage = `Usage: npm run cadence -- sync status --shop DOMAIN [--format text|json]

The install backfill (state, progress per bulk import, refund details), reconciliation (last run, watermark,
what it applied), webhooks (last per topic, the last 24 hours by outcome, recent deliveries not applied), and the
work queued behind them (profile refreshes, shoppers to publish, the last full pass). No customer data is shown.
Uses DATABASE_URL, or the embedded database (stop the demo first).`;

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, allowPositionals: true, options: { shop: { type: "string" }, format: { type: "string", default: "text" } } }));
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${usage}`);
  }
  const [what] = argv.filter((arg) => !arg.startsWith("-") && arg !== values.shop && arg !== values.format);
  if (what !== "status") return fail(`Unknown sync command "${what ?? ""}".\n\n${usage}`);
  if (!values.shop) return fail(`--shop DOMAIN is required.\n\n${usage}`);
  if (values.format !== "text" && values.format !== "json") return fail(`--format must be text or json, not "${values.format}".`);
  try {
    await migrateDatabase();
    const status = await syncStatus(database().sql, values.shop);
    process.stdout.write((values.format === "json" ? JSON.stringify(status, null, 2) : formatSyncStatus(status)) + "\n");
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
