import { parseArgs } from "node:util";
import { csvRecords } from "../../app/csv/safe-csv.ts";
import { closeDatabase, database, migrateDatabase } from "../../app/db.server.ts";
import { CUSTOMER_EXPORT_COLUMNS, exportCustomers, UnknownShopError } from "../../app/exports/customers.ts";

export const summary = "Export synced data: `export customers --shop DOMAIN [--format csv|json]`";
export const usage = `Usage: npm run cadence -- export customers --shop DOMAIN [--format csv|json]

Prints one row per customer: customer_id (Shopify's numeric ID, as a string), orders_count, net_spend
(shop currency), first_order_at, last_order_at, then from the last recompute top_product_types and the segment
labels (x, t_x, T in days, tier, rfm_r, rfm_f, rfm_m, rfm_group, lifecycle, p_alive, expected_orders_365,
expected_order_value, clv_12m, segments, confidence, explanations; see docs/segments.md). CSV by default; JSON
prints an array. CSV text cells are quoted, and one that starts with =, +, -, @, tab or carriage return gets a
leading apostrophe so a spreadsheet does not run it as a formula.`;

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
    const rows = await exportCustomers(database().prisma, values.shop);
    process.stdout.write(
      values.format === "json" ? JSON.stringify(rows, null, 2) + "\n" : csvRecords(CUSTOMER_EXPORT_COLUMNS, rows),
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
