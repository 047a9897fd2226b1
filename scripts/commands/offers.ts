import { parseArgs } from "node:util";
import { closeDatabase, database, migrateDatabase } from "../../app/db.server.ts";
import { UnknownShopError } from "../../app/exports/customers.ts";
import { formatOfferReports } from "../../app/offers/report-text.ts";
import { shopOfferReports } from "../../app/offers/report.server.ts";

export const summary = "Offer results: `offers report --shop DOMAIN [--window DAYS] [--format text|json]`";
export const usage = `Usage: npm run cadence -- offers report --shop DOMAIN [--window DAYS] [--format text|json]

Per offer: exposures, shoppers, conversions, conversion rate and revenue per shopper for treatment and holdout,
the lift with 95% confidence intervals, and a verdict in plain language. --window overrides the shop's
attribution window (days after a shopper's first exposure in which an order counts).`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { shop: { type: "string" }, window: { type: "string" }, format: { type: "string", default: "text" } },
  });
  if (positionals[0] !== "report" || positionals.length !== 1) {
    console.error(`Unknown offers command "${positionals.join(" ")}". ${usage}`);
    return 2;
  }
  if (!values.shop) {
    console.error("--shop DOMAIN is required.");
    return 2;
  }
  const windowDays = values.window === undefined ? undefined : Number(values.window);
  if (windowDays !== undefined && !(Number.isInteger(windowDays) && windowDays >= 1 && windowDays <= 365)) {
    console.error(`--window must be a whole number of days from 1 to 365, not "${values.window}".`);
    return 2;
  }
  if (values.format !== "text" && values.format !== "json") {
    console.error(`--format must be text or json, not "${values.format}".`);
    return 2;
  }
  try {
    await migrateDatabase();
    const reports = await shopOfferReports(database().prisma, values.shop, { windowDays });
    process.stdout.write(
      values.format === "json" ? JSON.stringify(reports, null, 2) + "\n" : formatOfferReports(reports),
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
