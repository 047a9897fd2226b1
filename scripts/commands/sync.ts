import { parseArgs } from "node:util";
import { closeDatabase, database, migrateDatabase } from "../../app/db.server.ts";
import { formatSyncStatus, storedDataRequest, syncStatus, UnknownShopError } from "../../app/ingest/sync-status.ts";

export const summary =
  "Where a shop's sync stands: `sync status --shop DOMAIN`; `sync data-request --shop DOMAIN --id ID`";
export const usage = `Usage: npm run cadence -- sync status --shop DOMAIN [--format text|json]
       npm run cadence -- sync data-request --shop DOMAIN --id REQUEST_ID

data-request prints, as JSON, what Cadence assembled for a customers/data_request webhook (everything it stores
about that customer), for the merchant to hand to the customer. REQUEST_ID is Shopify's data_request.id, or
customer-<customer ID> when Shopify sent none.

The install backfill (state, progress per bulk import, refund details), reconciliation (last run, watermark,
what it applied), webhooks (last per topic, the last 24 hours by outcome, recent deliveries not applied), and the
work queued behind them (profile refreshes, shoppers to publish, the last full pass). No customer data is shown.
Uses DATABASE_URL, or the embedded database (stop the demo first).`;

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { shop: { type: "string" }, format: { type: "string", default: "text" }, id: { type: "string" } },
    }));
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${usage}`);
  }
  const [what] = argv.filter(
    (arg) => !arg.startsWith("-") && arg !== values.shop && arg !== values.format && arg !== values.id,
  );
  if (what !== "status" && what !== "data-request") return fail(`Unknown sync command "${what ?? ""}".\n\n${usage}`);
  if (!values.shop) return fail(`--shop DOMAIN is required.\n\n${usage}`);
  if (what === "data-request") {
    if (!values.id) return fail(`--id REQUEST_ID is required.\n\n${usage}`);
    return printDataRequest(values.shop, values.id);
  }
  if (values.format !== "text" && values.format !== "json")
    return fail(`--format must be text or json, not "${values.format}".`);
  try {
    await migrateDatabase();
    const status = await syncStatus(database().sql, values.shop);
    process.stdout.write(
      (values.format === "json" ? JSON.stringify(status, null, 2) : formatSyncStatus(status)) + "\n",
    );
    return 0;
  } catch (error) {
    if (error instanceof UnknownShopError) return fail(error.message, 1);
    throw error;
  } finally {
    await closeDatabase();
  }
}

async function printDataRequest(shopDomain: string, requestId: string): Promise<number> {
  try {
    await migrateDatabase();
    const data = await storedDataRequest(database().sql, shopDomain, requestId);
    if (data === null) return fail(`No data request "${requestId}" for ${shopDomain}.`, 1);
    process.stdout.write(JSON.stringify(data, null, 2) + "\n");
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
