// `npm run validate:predictions`: the validation table of docs/predictions.md. For each data set, calibrate on the
// history up to an as-of date, let the backtest choose the model, predict the held-out period, and compare the
// chosen model and the textbook BG/NBD with what happened. The demo generator knows each customer's true process,
// so its row also shows what that truth itself would have predicted (the best any model could do).
//   npm run validate:predictions [-- --demo-customers 10000]
import { readFileSync } from "node:fs";
import path from "node:path";
import { scoreForecast } from "../app/segments/predictive/index.ts";
import type { CustomerPurchase } from "../app/segments/predictive/index.ts";
import { dayNumber } from "../app/segments/predictive/calendar-days.ts";
import { seasonFactor } from "./demo/calendar.ts";
import { generateHistory } from "./demo/history.ts";
import { transactionRow } from "./demo/transactions-csv.ts";
import { occasionsByCustomer, validate } from "./predictions/validation.ts";
import type { ValidationResult } from "./predictions/validation.ts";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ""), process.argv[i + 1] ?? "");
const demoCustomers = Number(args.get("demo-customers") ?? 10_000);
const shared = process.env.CADENCE_SHARED_DATA ?? path.resolve(import.meta.dirname, "../../shared/data");

function cdnow(file: string, sample: boolean): CustomerPurchase[] {
  return readFileSync(path.join(shared, "cdnow", file), "utf8")
    .split(/\r?\n/)
    .filter((line) => /^\s*\d/.test(line))
    .map((line) => {
      const f = line.trim().split(/\s+/);
      const [id, day, dollars] = sample ? [f[1], f[2], f[4]] : [f[0], f[1], f[3]];
      return {
        customerId: String(Number(id)),
        date: `${day!.slice(0, 4)}-${day!.slice(4, 6)}-${day!.slice(6, 8)}`,
        amount: Number(dollars),
      };
    });
}

/** The demo generator's history as transactions, and each customer's true purchase process. */
function demo(customers: number) {
  const history = generateHistory({ customers, seed: 1 });
  const purchases: CustomerPurchase[] = [];
  for (const order of history.orders) {
    const row = transactionRow(order);
    if (!row) continue;
    const [customerId, at, amount] = row;
    purchases.push({ customerId: String(customerId), date: String(at).slice(0, 10), amount: Number(amount) });
  }
  return { purchases, truth: new Map(history.customers.map((c) => [c.id, c.truth])) };
}

/**
 * What the true process predicts for the held-out period, given what was seen: the customer is alive unless they
 * dropped out after their last purchase (posterior from the quiet days since, at their true rate and the shop's true
 * season), then buys as a Poisson process with the same dropout after each purchase.
 */
function oracle(
  result: ValidationResult,
  purchases: CustomerPurchase[],
  truth: Map<string, { ratePerDay: number; dropoutProbability: number }>,
  asOf: string,
) {
  const asOfDay = dayNumber(asOf);
  const endDay = asOfDay + result.horizonDays;
  const occasions = occasionsByCustomer(purchases);
  const seasonSum = (from: number, to: number) => {
    let sum = 0;
    for (let d = from; d <= to; d++) sum += seasonFactor(d);
    return sum;
  };
  const horizonSeason = seasonSum(asOfDay + 1, endDay);
  const expected: number[] = [];
  const probability: number[] = [];
  for (const id of result.customerIds) {
    const t = truth.get(id)!;
    const last = Math.max(...[...occasions.get(id)!.keys()].filter((d) => d <= asOfDay));
    const stay = (1 - t.dropoutProbability) * Math.exp(-t.ratePerDay * seasonSum(last + 1, asOfDay));
    const alive = stay + t.dropoutProbability > 0 ? stay / (stay + t.dropoutProbability) : 0;
    const mean = t.ratePerDay * horizonSeason;
    // Σ_k (1−p)^(k−1) P(N ≥ k), N ~ Poisson(mean).
    let tail = 1 - Math.exp(-mean);
    let pmf = Math.exp(-mean);
    let sum = 0;
    for (let k = 1; k < mean + 60 && tail > 1e-15; k++) {
      sum += Math.pow(1 - t.dropoutProbability, k - 1) * tail;
      pmf *= mean / k;
      tail -= pmf;
    }
    expected.push(alive * sum);
    probability.push(alive * (1 - Math.exp(-mean)));
  }
  return scoreForecast(expected, probability, result.actual);
}

const pct = (v: number | null) => (v === null ? "—" : `${v >= 0 ? "+" : "−"}${Math.abs(v * 100).toFixed(1)}%`);
const auc = (v: number | null) => (v === null ? "—" : v.toFixed(4));
const whole = (v: number) => Math.round(v).toLocaleString("en");

const rows: string[] = [];
function report(result: ValidationResult, truthScore?: ReturnType<typeof scoreForecast>) {
  const { textbook, chosen } = result;
  const bt = result.model.backtest;
  rows.push(
    `| ${result.name} | ${whole(result.customers)} | ${result.horizonDays} | ${whole(result.actualOrders)} | ${whole(
      textbook.expectedOrders,
    )} (${pct(textbook.relativeError)}) | ${auc(textbook.auc)} | ${result.chosenModel} | ${whole(
      chosen.expectedOrders,
    )} (${pct(chosen.relativeError)}) | ${auc(chosen.auc)} | ${
      truthScore
        ? `${whole(truthScore.expectedOrders)} (${pct(truthScore.relativeError)}), ${auc(truthScore.auc)}`
        : "—"
    } | ${
      bt
        ? `${bt.horizonDays} d: ${bt.candidates
            .map(
              (c) =>
                `${c.name}${c.seasonal && c.name !== "bgnbd-seasonal" ? "+s" : ""} ${pct(c.score.relativeError)}/${auc(
                  c.score.auc,
                )}/${c.score.meanDeviance.toFixed(3)}`,
            )
            .join(", ")}`
        : "none"
    } |`,
  );
  console.error(
    `${result.name}: chosen ${result.chosenModel}; not worse than BG/NBD on error: ${
      Math.abs(chosen.relativeError ?? 0) <= Math.abs(textbook.relativeError ?? 0)
    }, on AUC: ${(chosen.auc ?? 0) >= (textbook.auc ?? 0)}`,
  );
}

report(
  validate({
    name: "CDNOW sample (39 + 39 weeks)",
    purchases: cdnow("CDNOW_sample.txt", true),
    asOf: "1997-09-30",
    end: "1998-06-30",
    unit: "week",
  }),
);
report(
  validate({
    name: "CDNOW master (39 + 39 weeks)",
    purchases: cdnow("CDNOW_master.txt", false),
    asOf: "1997-09-30",
    end: "1998-06-30",
    unit: "week",
  }),
);
const shop = demo(demoCustomers);
const demoAsOf = "2025-09-01";
const demoResult = validate({
  name: `Demo generator, ${demoCustomers.toLocaleString("en")} customers (30 + 6 months)`,
  purchases: shop.purchases,
  asOf: demoAsOf,
  end: "2026-02-28",
  unit: "day",
});
report(demoResult, oracle(demoResult, shop.purchases, shop.truth, demoAsOf));

console.log(
  "| data | customers | held-out days | actual repeat purchase days | BG/NBD expected (error) | BG/NBD AUC | chosen model | chosen expected (error) | chosen AUC | true process | in-pass backtest: model error/AUC/deviance |",
);
console.log("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- | --- |");
for (const row of rows) console.log(row);
