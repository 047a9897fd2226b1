import { parseArgs } from "node:util";
import { stringify } from "csv-stringify/sync";
import { closeDatabase, db, migrateDatabase } from "../../app/db.server.ts";
import { exportCustomers, UnknownShopError } from "../../app/exports/customers.ts";

export const summary = "Export synced data: `export customers --shop DOMAIN [--format csv|json]`";
export const usage = `Usage: npm run cadence -- export customers --shop DOMAIN [--format csv|json]

Prints one row per customer: customer_id (Shopify's numeric ID, as a string), orders_count, net_spend
(shop currency), first_order_at, last_order_at. CSV by default; JSON prints an array.`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { shop: { type: "string" }, format: { type: "string", default: "csv" } },
  });
  if (positionals[0] !== "customers" || positionals.length !== 1) {
    console.error(`Unknown export "${positionals.join(" ")}". ${usage}`);
    return 2;
  }
  if (!values.shop) {
    console.error("--shop DOMAIN is required.");
    return 2;
  }
  if (values.format !== "csv" && values.format !== "json") {
    console.error(`--format must be csv or json, not "${values.format}".`);
    return 2;
  }
  try {
    await migrateDatabase();
    const rows = await exportCustomers(db(), values.shop);
    process.stdout.write(
      values.format === "json" ? JSON.stringify(rows, null, 2) + "\n" : stringify(rows, { header: true, columns: Object.keys(EMPTY_ROW) }),
    );
    return 0;
  } catch (error) {
    if (error instanceof UnknownShopError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await closeDatabase();
  }
}

const EMPTY_ROW = { customer_id: "", orders_count: 0, net_spend: "", first_order_at: null, last_order_at: null };
