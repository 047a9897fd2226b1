import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import {
  conditionalExpectedPurchases,
  probabilityOfPurchaseWithin,
  scoreForecast,
} from "~/segments/predictive/index.ts";
import { cdnowReference } from "../predictive/cdnow";
import * as segment from "../../../scripts/commands/segment";
import { cdnowTransactions, DATA, readCsv, runCommand, tempDir, writeTemp } from "./cli-harness";

const dir = tempDir();
const reference = cdnowReference;

/** The segment command on CDNOW transactions as of the end of the calibration period, in weeks. */
const segmentCdnow = (input: string, more: string[]) =>
  runCommand(segment, [
    "--input",
    input,
    "--format",
    "transactions",
    "--as-of",
    "1997-09-30",
    "--unit",
    "week",
    ...more,
  ]);

describe("CDNOW sample, as of 1997-09-30, in weeks", () => {
  let result: Awaited<ReturnType<typeof runCommand>>;
  let customers: Array<Record<string, string>>;
  let model: Record<string, unknown>;
  beforeAll(async () => {
    const input = writeTemp(dir, "cdnow.csv", cdnowTransactions());
    result = await segmentCdnow(input, ["--out", path.join(dir, "cdnow")]);
    customers = readCsv(path.join(dir, "cdnow/customers.csv"));
    model = JSON.parse(readFileSync(path.join(dir, "cdnow/model.json"), "utf8"));
  });

  test("x, t_x and T equal the published calibration summary for all 2,357 customers", () => {
    expect(result.code).toBe(0);
    const summary = readCsv(path.join(DATA, "cdnow/cdnow_customers_summary.csv"));
    expect(customers).toHaveLength(2357);
    const byId = new Map(customers.map((row) => [row.customer_id, row]));
    for (const expected of summary) {
      const row = byId.get(expected.ID as string);
      expect(row, expected.ID).toBeDefined();
      expect(Number(row?.x)).toBe(Number(expected.frequency));
      expect(Number(row?.t_x)).toBeCloseTo(Number(expected.recency), 2);
      expect(Number(row?.T)).toBeCloseTo(Number(expected.T), 2);
    }
  });

  test("model.json counts the customers and repeat customers, and names every label count", () => {
    expect(model).toMatchObject({
      asOf: "1997-09-30",
      unit: "week",
      customers: 2357,
      repeatCustomers: 946,
      rows: 6919,
      skippedRows: { "after as-of date": 1959 },
    });
    for (const key of ["bgnbd", "gammaGamma", "fallback"]) expect(model).toHaveProperty(key);
    const counts = model.counts as { lifecycle: Record<string, number> };
    expect(Object.values(counts.lifecycle).reduce((a, b) => a + b, 0)).toBe(2357);
  });

  test("BG/NBD reproduces Fader, Hardie & Lee (2005): r 0.243, α 4.414, a 0.793, b 2.426, LL −9582.4", () => {
    const published = reference.bg_nbd.published;
    const bgnbd = model.bgnbd as Record<string, number | string>;
    expect(bgnbd.method).toBe("mle");
    expect(bgnbd.r).toBeCloseTo(published.r, 3);
    expect(bgnbd.alpha).toBeCloseTo(published.alpha, 2);
    expect(bgnbd.a).toBeCloseTo(published.a, 3);
    expect(bgnbd.b).toBeCloseTo(published.b, 2);
    expect(bgnbd.logLikelihood).toBeCloseTo(published.log_likelihood, 0);
    expect(model.fallback).toBe("none");
  });

  test("Gamma-Gamma reproduces Fader & Hardie (2013): p 6.25, q 3.74, γ 15.44", () => {
    const published = reference.gamma_gamma.published;
    const gammaGamma = model.gammaGamma as Record<string, number | string>;
    expect(gammaGamma.p).toBeCloseTo(published.p, 2);
    expect(gammaGamma.q).toBeCloseTo(published.q, 2);
    expect(gammaGamma.gamma).toBeCloseTo(published.gamma, 1);
    expect(gammaGamma.logLikelihood).toBeCloseTo(reference.gamma_gamma.clvtools_log_likelihood, 1);
  });

  test("per-customer checks: expected order value of the first ten customers, and E[purchases in 39 weeks] of customer 1", () => {
    const checks = reference.gamma_gamma.checks_from_lifetimes_tests;
    checks.conditional_expected_average_profit_first10_customers.forEach((expected, index) => {
      const row = customers[index] as Record<string, string>;
      expect(row.customer_id).toBe(String(index + 1));
      expect(Math.abs(Number(row.expected_order_value) - expected), row.customer_id).toBeLessThanOrEqual(
        checks.tolerance,
      );
    });
    const check = reference.bg_nbd.checks_from_lifetimes_tests.conditional_expected_purchases;
    const customer = customers[0] as Record<string, string>;
    expect(Number(customer.t_x)).toBeCloseTo(check.t_x, 2);
    expect(Number(customer.T)).toBeCloseTo(check.T, 2);
    const { r, alpha, a, b } = model.bgnbd as { r: number; alpha: number; a: number; b: number };
    const summary = { x: Number(customer.x), tx: Number(customer.t_x), T: Number(customer.T) };
    expect(
      Math.abs(conditionalExpectedPurchases({ r, alpha, a, b }, summary, check.t) - check.expected),
    ).toBeLessThanOrEqual(check.tolerance);
    // The CLI's own 12-month figure for the same customer is the same model over 365/7 weeks.
    expect(Number(customer.expected_orders_365)).toBeCloseTo(
      conditionalExpectedPurchases({ r, alpha, a, b }, summary, 365 / 7),
      3,
    );
    expect(customers.every((row) => ["high", "medium", "low"].includes(row.confidence as string))).toBe(true);
  });

  test("the summary table is printed", () => {
    expect(result.stdout).toContain("Segmented 2,357 customers (946 repeat) from 6,919 rows as of 1997-09-30");
    expect(result.stdout).toMatch(/Lifecycle\s+customers\s+share/);
    expect(result.stdout).toMatch(/Lapsed\s+[\d,]+\s+\d+\.\d%/);
    expect(result.stderr).toBe("");
  });

  test("every customer has labels and a reason for each", () => {
    const first = customers[0] as Record<string, string>;
    expect(first).toMatchObject({
      customer_id: "1",
      orders: "3",
      net_spend: "74.02",
      x: "2",
      tier: "Silver",
      rfm_group: "champions",
      lifecycle: "returning",
    });
    expect(first.explanations).toContain("Silver: $74.02 in the last 12 months; it takes $40.00 to keep Silver");
    expect(customers.every((row) => row.tier && row.rfm_group && row.lifecycle && row.explanations)).toBe(true);
  });
});

describe("horizon predictions on CDNOW: calibrate on the first 39 weeks, predict the next 39 (273 days)", () => {
  let customers: Array<Record<string, string>>;
  let model: Record<string, unknown>;
  let plain: Array<Record<string, string>>;
  beforeAll(async () => {
    const input = writeTemp(dir, "cdnow-horizon.csv", cdnowTransactions());
    const out = path.join(dir, "cdnow-horizon");
    expect((await segmentCdnow(input, ["--horizon-days", "273", "--out", out])).code).toBe(0);
    customers = readCsv(path.join(out, "customers.csv"));
    model = JSON.parse(readFileSync(path.join(out, "model.json"), "utf8"));
    plain = readCsv(path.join(dir, "cdnow/customers.csv"));
  });

  test("--horizon-days adds expected_orders_horizon and p_order_horizon; without it the columns are as before", () => {
    expect(Object.keys(customers[0]!)).toEqual([
      ...Object.keys(plain[0]!),
      "expected_orders_horizon",
      "p_order_horizon",
    ]);
    expect(Object.keys(plain[0]!)).not.toContain("expected_orders_horizon");
    // Customer 1 (x = 2, t_x = 30.43, T = 38.86): the published E[Y(39)] is 1.226 (the backtest kept BG/NBD here).
    expect(Number(customers[0]!.expected_orders_horizon)).toBeCloseTo(1.226, 3);
    for (const row of customers) {
      const p = Number(row.p_order_horizon);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(Number(row.p_alive) + 1e-4);
    }
  });

  test("against the 1,882 purchase days that came, the chosen model is no worse than the textbook BG/NBD on the total or on AUC", () => {
    const holdout = new Map<string, Set<string>>();
    for (const line of cdnowTransactions().trim().split("\n").slice(1)) {
      const [id, date] = line.split(",") as [string, string];
      if (date > "1997-09-30") holdout.set(id, (holdout.get(id) ?? new Set()).add(date));
    }
    const actual = customers.map((row) => holdout.get(row.customer_id!)?.size ?? 0);
    expect(actual.reduce((a, b) => a + b, 0)).toBe(1882);
    const { r, alpha, a, b } = model.bgnbd as { r: number; alpha: number; a: number; b: number };
    const rf = (row: Record<string, string>) => ({ x: Number(row.x), tx: Number(row.t_x), T: Number(row.T) });
    const textbook = scoreForecast(
      customers.map((row) => conditionalExpectedPurchases({ r, alpha, a, b }, rf(row), 39)),
      customers.map((row) => probabilityOfPurchaseWithin({ r, alpha, a, b }, rf(row), 39)),
      actual,
    );
    const chosen = scoreForecast(
      customers.map((row) => Number(row.expected_orders_horizon)),
      customers.map((row) => Number(row.p_order_horizon)),
      actual,
    );
    expect(textbook.expectedOrders).toBeCloseTo(1653.4, 0);
    expect(Math.abs(chosen.relativeError!)).toBeLessThanOrEqual(Math.abs(textbook.relativeError!) + 1e-4);
    expect(chosen.auc!).toBeGreaterThanOrEqual(textbook.auc! - 1e-4);
  });

  test("model.json has the backtest: horizon, candidates, the chosen model and by how much, the sentence", () => {
    const backtest = model.backtest as {
      horizonDays: number;
      cutoff: string;
      candidates: Array<{ name: string }>;
      chosen: { name: string; devianceReductionVsTextbook: number };
      inWords: { headline: string; ranking: string };
      confidence: string;
    };
    expect(backtest).toMatchObject({ horizonDays: 90, cutoff: "1997-07-02" });
    expect(backtest.candidates.map((c) => c.name)).toEqual(expect.arrayContaining(["bgnbd", "pareto-nbd", "trained"]));
    expect(backtest.chosen.name).toBe("bgnbd");
    expect(backtest.inWords.headline).toMatch(
      /^Over the last 90 days Cadence expected [\d,]+ repeat orders; 704 came\.$/,
    );
    expect(backtest.inWords.ranking).toMatch(/^It ranked who would return correctly \d+% of the time\.$/);
    expect(model.purchaseModel).toMatchObject({ kind: "bgnbd", seasonality: null });
    expect(model.horizonDays).toBe(273);
  });
});

describe("Shopify orders export sample", () => {
  test("--horizon-days works on the export too", async () => {
    const input = path.join(DATA, "shopify-orders-export/orders_export_dev_store_redacted.csv");
    const out = path.join(dir, "export-horizon");
    const result = await runCommand(segment, [
      "--input",
      input,
      "--format",
      "shopify-orders-export",
      "--as-of",
      "2025-12-31",
      "--horizon-days",
      "90",
      "--out",
      out,
    ]);
    expect(result.code).toBe(0);
    const rows = readCsv(path.join(out, "customers.csv"));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(Number.isFinite(Number(row.expected_orders_horizon))).toBe(true);
      expect(Number(row.p_order_horizon)).toBeGreaterThanOrEqual(0);
    }
    // Three weeks of history: too short to check predictions against what happened, and model.json says so.
    const model = JSON.parse(readFileSync(path.join(out, "model.json"), "utf8"));
    expect(model.backtest).toBeNull();
    expect(model.noBacktestReason).toMatch(/days of history: a backtest needs at least 90/);
    expect(result.stdout).toMatch(/Backtest: none \(/);
  });

  test("one order over several rows; customers by pseudonymised email; guests left out", async () => {
    const input = path.join(DATA, "shopify-orders-export/orders_export_dev_store_redacted.csv");
    const out = path.join(dir, "export");
    const result = await runCommand(segment, [
      "--input",
      input,
      "--format",
      "shopify-orders-export",
      "--as-of",
      "2025-12-31",
      "--out",
      out,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "Segmented 2 customers (0 repeat) from 121 rows as of 2025-12-31 (left out: 1 no customer email (guest))",
    );
    const rows = readCsv(path.join(out, "customers.csv"));
    expect(rows.map((row) => [row.orders, row.net_spend, row.purchase_days, row.x, row.first_order_date])).toEqual([
      ["49", "544655.00", "1", "0", "2025-12-06"],
      ["1", "16292.00", "1", "0", "2025-12-06"],
    ]);
    expect(rows.every((row) => /^email:[0-9a-f]{16}$/.test(row.customer_id as string))).toBe(true);
    const written =
      readFileSync(path.join(out, "customers.csv"), "utf8") + readFileSync(path.join(out, "model.json"), "utf8");
    expect(written).not.toContain("@example.com");
    expect(JSON.parse(readFileSync(path.join(out, "model.json"), "utf8"))).toMatchObject({
      currency: "INR",
      customers: 2,
    });
  });

  test("--basis total counts shipping and tax", async () => {
    const input = path.join(DATA, "shopify-orders-export/orders_export_dev_store_redacted.csv");
    const out = path.join(dir, "export-total");
    expect(
      (
        await runCommand(segment, [
          "--input",
          input,
          "--format",
          "shopify-orders-export",
          "--as-of",
          "2025-12-31",
          "--basis",
          "total",
          "--out",
          out,
        ])
      ).code,
    ).toBe(0);
    const rows = readCsv(path.join(out, "customers.csv"));
    expect(rows.map((row) => row.net_spend)).toEqual(["545680.46", "17758.28"]);
  });
});

describe("bad input: a clear message and an exit code", () => {
  const run = (input: string, extra: string[] = []) =>
    runCommand(segment, [
      "--input",
      input,
      "--format",
      "transactions",
      "--as-of",
      "2020-12-31",
      "--out",
      path.join(dir, "bad"),
      ...extra,
    ]);
  const file = (name: string, text: string) => writeTemp(dir, name, text);

  test.each([
    ["wrong header", "id,when,value\n1,2020-01-01,5\n", /line 1: the header must be "customer_id,date,amount"/],
    [
      "bad date",
      "customer_id,date,amount\n1,2020-01-01,5\n2,01/02/2020,5\n",
      /line 3: date "01\/02\/2020" is not YYYY-MM-DD/,
    ],
    [
      "impossible date",
      "customer_id,date,amount\n1,2020-02-30,5\n",
      /line 2: date "2020-02-30" is not a calendar date/,
    ],
    [
      "bad amount",
      "customer_id,date,amount\n1,2020-01-01,£5\n",
      /line 2: amount "£5" is not a non-negative decimal number/,
    ],
    [
      "negative amount",
      "customer_id,date,amount\n1,2020-01-01,-5\n",
      /line 2: amount "-5" is not a non-negative decimal number/,
    ],
    ["missing field", "customer_id,date,amount\n1,2020-01-01\n", /line 2: expected 3 fields, found 2/],
    ["empty customer", "customer_id,date,amount\n,2020-01-01,5\n", /line 2: customer_id is empty/],
    ["broken quotes", 'customer_id,date,amount\n1,"2020-01-01,5\n', /not valid CSV/],
    ["empty file", "", /the file is empty/],
  ])("%s → exit 1", async (name, text, message) => {
    const result = await run(file(`${name.replace(/\W/g, "-")}.csv`, text));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe("");
  });

  test("a missing file → exit 1", async () => {
    const result = await run(path.join(dir, "nope.csv"));
    expect(result).toMatchObject({ code: 1, stderr: `Cannot read ${path.join(dir, "nope.csv")}: no such file.\n` });
  });

  test.each([
    [["--format", "xml"], /--format must be transactions or shopify-orders-export, not "xml"/],
    [["--unit", "month"], /--unit must be day or week, not "month"/],
    [["--as-of", "2020-13-01"], /--as-of must be a date \(YYYY-MM-DD\), not "2020-13-01"/],
    [["--currency", "pounds"], /--currency must be an ISO 4217 code/],
    [["--colour", "red"], /Unknown option '--colour'/],
    [["--horizon-days", "0"], /--horizon-days must be a whole number of days from 1 to 3650, not "0"/],
    [["--horizon-days", "90.5"], /--horizon-days must be a whole number of days from 1 to 3650, not "90.5"/],
    [["--horizon-days", "99999"], /--horizon-days must be a whole number of days from 1 to 3650, not "99999"/],
  ])("bad arguments %j → exit 2 with the usage", async (extra, message) => {
    const result = await run(file("ok.csv", "customer_id,date,amount\n1,2020-01-01,5\n"), extra as string[]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain("Usage: npm run cadence -- segment");
  });

  test("a missing required option → exit 2", async () => {
    const result = await runCommand(segment, ["--format", "transactions", "--as-of", "2020-01-01", "--out", dir]);
    expect(result).toMatchObject({ code: 2 });
    expect(result.stderr).toMatch(/^--input is required\./);
  });

  test("an export file given as transactions, and the other way round", async () => {
    const exportFile = path.join(DATA, "shopify-orders-export/orders_export_dev_store_redacted.csv");
    expect((await run(exportFile)).stderr).toMatch(
      /line 1: the header must be .* not "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfi…"/,
    );
    const result = await runCommand(segment, [
      "--input",
      file("t.csv", "customer_id,date,amount\n"),
      "--format",
      "shopify-orders-export",
      "--as-of",
      "2020-01-01",
      "--out",
      dir,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not a Shopify orders export: the header lacks "Name", "Email"/);
  });

  test("an invalid --program file is refused before reading the input", async () => {
    const program = file(
      "program.json",
      JSON.stringify({ window: { kind: "lifetime" }, tiers: [{ id: "a", name: "A", enter: {} }] }),
    );
    const result = await run(file("ok2.csv", "customer_id,date,amount\n1,2020-01-01,5\n"), ["--program", program]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/loyalty program: tiers\.0\.enter: a tier needs a spend or an orders threshold/);
  });
});

describe("options", () => {
  test("order_id merges rows of one order; rows after --as-of are left out; a given program is used", async () => {
    const input = writeTemp(
      dir,
      "orders.csv",
      "customer_id,date,amount,order_id\nA,2020-01-01,5.00,1\nA,2020-01-01,7.50,1\nA,2020-02-01,1,2\nA,2021-01-01,99,3\nB,2020-03-01,40,9\n",
    );
    const program = writeTemp(
      dir,
      "vip.json",
      JSON.stringify({
        window: { kind: "lifetime" },
        tiers: [{ id: "vip", name: "VIP", enter: { spendMinor: 4000 } }],
      }),
    );
    const out = path.join(dir, "options");
    const result = await runCommand(segment, [
      "--input",
      input,
      "--format",
      "transactions",
      "--as-of",
      "2020-12-31",
      "--currency",
      "GBP",
      "--program",
      program,
      "--out",
      out,
    ]);
    expect(result.code).toBe(0);
    const rows = readCsv(path.join(out, "customers.csv"));
    expect(rows.map((row) => [row.customer_id, row.orders, row.net_spend, row.tier])).toEqual([
      ["A", "2", "13.50", ""],
      ["B", "1", "40.00", "VIP"],
    ]);
    expect(result.stdout).toContain("Loyalty program (file): VIP £40.00 (lifetime, 0-day grace)");
  });
});
