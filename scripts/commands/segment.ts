import { createReadStream, createWriteStream } from "node:fs";
import { access, mkdir, readFile, writeFile } from "node:fs/promises";
import { once } from "node:events";
import path from "node:path";
import { parseArgs } from "node:util";
import { csvHeader, csvRows } from "../../app/csv/safe-csv.ts";
import { minorToDecimal } from "../../app/money/decimal.ts";
import { dayFromIsoDate, isoDateFromDay } from "../../app/profiles/days.ts";
import { InputError } from "../../app/profiles/sources/input-error.ts";
import { readShopifyOrdersExport } from "../../app/profiles/sources/shopify-orders-export.ts";
import { readTransactions } from "../../app/profiles/sources/transactions-csv.ts";
import { columnNames, CUSTOMER_COLUMNS, customerCsvRow } from "../../app/segments/customer-csv.ts";
import type { TimeUnit } from "../../app/segments/customer-csv.ts";
import { customerRecord } from "../../app/segments/customer-record.ts";
import { modelReport, predictHorizon, purchaseModelReport } from "../../app/segments/predictions.ts";
import { trackRecord } from "../../app/segments/track-record.ts";
import { segmentDataset } from "../../app/segments/segment-dataset.ts";
import { InvalidSettingsError, resolveSettings } from "../../app/segments/settings.ts";
import { InvalidProgramError, parseProgram } from "../../app/segments/tiers/program.ts";
import { csvRecords } from "../segment/csv-records.ts";
import { describeProgram, LabelCounts, summaryTables } from "../segment/summary.ts";

export const summary =
  "Segment a CSV of orders without a database: `segment --input FILE --format … --as-of DATE --out DIR`";
export const usage = `Usage: npm run cadence -- segment --input FILE --format transactions|shopify-orders-export --as-of YYYY-MM-DD
                                 [--unit day|week] --out DIR [--currency CODE] [--basis merchandise|total]
                                 [--program FILE.json] [--settings FILE.json] [--horizon-days N]

Reads every order in FILE up to and including --as-of, profiles and segments each customer, fits the shop's
models, and writes DIR/customers.csv (one row per customer) and DIR/model.json. No database is used.

  --format transactions            CSV with header customer_id,date,amount[,order_id]; one purchase per row.
  --format shopify-orders-export   the Shopify admin's "Export orders" CSV (customers by pseudonymised email).
  --unit day|week                  unit of t_x and T in customers.csv and of the fitted models (default day).
  --currency CODE                  currency of a transactions file (default USD; an export names its own).
  --basis merchandise|total        net revenue of an export: subtotal or total, less refunds (default merchandise).
  --program FILE.json              a loyalty program (docs/segments.md); default: derived from the data.
  --settings FILE.json             segment settings overriding the defaults (docs/segments.md).
  --horizon-days N                 adds expected_orders_horizon (purchase days expected in the N days after
                                   --as-of) and p_order_horizon (chance of at least one) to customers.csv.

Exit codes: 0 done, 1 bad input file (the message names the line), 2 bad arguments.`;

class UsageError extends Error {}

const HORIZON_COLUMNS = ["expected_orders_horizon", "p_order_horizon"];

function horizonCells(prediction: { expectedOrders: number; probabilityOfOrder: number } | null): Array<number | null> {
  return prediction === null
    ? [null, null]
    : [Number(prediction.expectedOrders.toFixed(4)), Number(prediction.probabilityOfOrder.toFixed(4))];
}

/** model.json's `purchaseModel` (which model the predictions use), `backtest` and its words. */
function backtestSection(state: Parameters<typeof purchaseModelReport>[0]) {
  const { purchaseModel, backtest, noBacktestReason } = purchaseModelReport(state);
  return { purchaseModel, backtest: backtest && { ...backtest, inWords: trackRecord(backtest) }, noBacktestReason };
}

function fail(code: number, message: string): number {
  process.stderr.write(`${message}\n`);
  return code;
}

async function readJson(file: string, what: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new UsageError(`--${what} ${file}: ${(error as Error).message}`);
  }
}

async function parseOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      input: { type: "string" },
      format: { type: "string" },
      "as-of": { type: "string" },
      unit: { type: "string", default: "day" },
      out: { type: "string" },
      currency: { type: "string", default: "USD" },
      basis: { type: "string", default: "merchandise" },
      program: { type: "string" },
      settings: { type: "string" },
      "horizon-days": { type: "string" },
    },
  });
  for (const required of ["input", "format", "as-of", "out"] as const) {
    if (!values[required]) throw new UsageError(`--${required} is required.`);
  }
  if (values.format !== "transactions" && values.format !== "shopify-orders-export") {
    throw new UsageError(`--format must be transactions or shopify-orders-export, not "${values.format}".`);
  }
  if (values.unit !== "day" && values.unit !== "week")
    throw new UsageError(`--unit must be day or week, not "${values.unit}".`);
  if (values.basis !== "merchandise" && values.basis !== "total")
    throw new UsageError(`--basis must be merchandise or total, not "${values.basis}".`);
  if (!/^[A-Z]{3}$/.test(values.currency ?? ""))
    throw new UsageError(`--currency must be an ISO 4217 code like USD, not "${values.currency}".`);
  const horizon = values["horizon-days"];
  if (horizon !== undefined && !(/^\d{1,4}$/.test(horizon) && Number(horizon) >= 1 && Number(horizon) <= 3650)) {
    throw new UsageError(`--horizon-days must be a whole number of days from 1 to 3650, not "${horizon}".`);
  }
  let asOf: number;
  try {
    asOf = dayFromIsoDate(values["as-of"] as string);
  } catch {
    throw new UsageError(`--as-of must be a date (YYYY-MM-DD), not "${values["as-of"]}".`);
  }
  try {
    return {
      input: values.input as string,
      format: values.format,
      asOf,
      unit: values.unit as TimeUnit,
      out: values.out as string,
      currency: values.currency as string,
      basis: values.basis as "merchandise" | "total",
      horizonDays: horizon === undefined ? null : Number(horizon),
      program: values.program ? parseProgram(await readJson(values.program, "program")) : undefined,
      settings: resolveSettings(values.settings ? await readJson(values.settings, "settings") : {}),
    };
  } catch (error) {
    if (error instanceof InvalidProgramError || error instanceof InvalidSettingsError)
      throw new UsageError(error.message);
    throw error;
  }
}

function backtestLines(
  backtest: ReturnType<typeof backtestSection>["backtest"],
  noBacktestReason: string | null,
): string[] {
  if (!backtest) return [`Backtest: none (${noBacktestReason ?? "no predictions"})`];
  const words = backtest.inWords;
  return [
    `Backtest: ${words.headline} ${words.ranking ?? ""}`.trim(),
    `  ${words.model}`,
    `  ${words.seasonality}`,
    `  Confidence: ${words.confidence} (${words.confidenceReason})`,
  ];
}

export async function run(argv: string[]): Promise<number> {
  let options: Awaited<ReturnType<typeof parseOptions>>;
  try {
    options = await parseOptions(argv);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      return fail(2, `${(error as Error).message}\n\n${usage}`);
    }
    throw error;
  }
  try {
    await access(options.input);
  } catch {
    return fail(1, `Cannot read ${options.input}: no such file.`);
  }

  const started = performance.now();
  let dataset;
  try {
    const records = csvRecords(createReadStream(options.input));
    dataset =
      options.format === "transactions"
        ? await readTransactions(records, options.asOf, options.currency)
        : await readShopifyOrdersExport(records, options.asOf, options.basis);
  } catch (error) {
    if (error instanceof InputError) return fail(1, `${options.input}: ${error.message}`);
    throw error;
  }

  const segmented = segmentDataset(dataset, options.asOf, options.settings, {
    ...(options.program ? { program: options.program } : {}),
    unit: options.unit,
  });
  await mkdir(options.out, { recursive: true });
  const customersFile = path.join(options.out, "customers.csv");
  const modelFile = path.join(options.out, "model.json");
  const output = createWriteStream(customersFile);
  const counts = new LabelCounts();
  const format = { currency: dataset.currency, unit: options.unit };
  const { horizonDays } = options;
  let chunk = csvHeader([...columnNames(CUSTOMER_COLUMNS), ...(horizonDays === null ? [] : HORIZON_COLUMNS)]);
  for (const classification of segmented.customers()) {
    counts.add(classification);
    const row = customerCsvRow(customerRecord(classification, segmented.program), format);
    if (horizonDays !== null)
      row.push(...horizonCells(predictHorizon(segmented.model.predictive, classification.summary, horizonDays)));
    chunk += csvRows([row]);
    if (chunk.length > 1 << 16) {
      if (!output.write(chunk)) await once(output, "drain");
      chunk = "";
    }
  }
  output.end(chunk);
  await once(output, "finish");

  const { model } = segmented;
  const report = {
    asOf: isoDateFromDay(options.asOf),
    unit: options.unit,
    currency: dataset.currency,
    rows: dataset.rows,
    skippedRows: dataset.skipped,
    customers: model.customers,
    buyers: model.buyers,
    repeatCustomers: model.repeatBuyers,
    ...modelReport(model.predictive),
    fallback: model.fallback,
    ...backtestSection(model.predictive),
    ...(options.horizonDays === null ? {} : { horizonDays: options.horizonDays }),
    typicalGapDays: model.typicalGapDays,
    rfmCutoffs: model.rfm && {
      recency: model.rfm.recency.map((day) => (day === null ? null : isoDateFromDay(day))),
      frequency: model.rfm.frequency,
      monetary: model.rfm.monetary.map((minor) => (minor === null ? null : minorToDecimal(minor, dataset.currency))),
    },
    highValueCutoff:
      model.valueCutoffMinor === null ? null : minorToDecimal(Math.round(model.valueCutoffMinor), dataset.currency),
    highValueBasis: model.valueBasis,
    loyaltyProgram: { source: options.program ? "file" : "default", currency: dataset.currency, ...segmented.program },
    counts: counts.toJSON(),
  };
  await writeFile(modelFile, JSON.stringify(report, null, 2) + "\n");

  const skipped = Object.entries(dataset.skipped).map(([reason, count]) => `${count.toLocaleString("en")} ${reason}`);
  const lines = [
    `Segmented ${model.customers.toLocaleString("en")} customers (${model.repeatBuyers.toLocaleString(
      "en",
    )} repeat) from ${dataset.rows.toLocaleString("en")} rows as of ${report.asOf}` +
      (skipped.length ? ` (left out: ${skipped.join(", ")})` : "") +
      ` in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
    `Wrote ${customersFile} and ${modelFile}.`,
    `Loyalty program (${report.loyaltyProgram.source}): ${describeProgram(segmented.program, dataset.currency)}`,
    `Predictions: ${model.predictive ? "fitted" : `not available (${model.fallback})`}`,
    ...backtestLines(report.backtest, report.noBacktestReason),
    "",
    ...summaryTables(counts, segmented.program),
  ];
  process.stdout.write(lines.join("\n"));
  return 0;
}
