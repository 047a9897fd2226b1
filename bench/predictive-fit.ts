// Benchmark of the predictive models: BG/NBD and Gamma-Gamma fit time, the whole shop model (fit with fallback
// checks) and per-customer predictions, on simulated shops of 10k, 100k and 200k customers (seeded, ~3 years).
// Target (issue 4): BG/NBD fit on 200,000 customers < 1 s. Prints one line per size, then one JSON object.
//   npm run bench:predictive [-- --runs 5 --sizes 10000,100000,200000]
import {
  fitBgNbd,
  fitGammaGamma,
  fitShopModel,
  predictCustomer,
  simulatePurchases,
  summariseByCustomer,
} from "../app/segments/predictive/index.ts";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ""), process.argv[i + 1] ?? "");
const runs = Number(args.get("runs") ?? 5);
const sizes = (args.get("sizes") ?? "10000,100000,200000").split(",").map(Number);
const asOf = "2025-06-30";
const options = { asOf, unit: "day" as const };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function time<T>(work: () => T): [number, T] {
  const start = performance.now();
  const result = work();
  return [performance.now() - start, result];
}

function timeRuns<T>(n: number, work: () => T): [number, T] {
  const times: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < n; i++) {
    const [ms, r] = time(work);
    times.push(ms);
    result = r;
  }
  return [median(times), result!];
}

const figures = [];
for (const customers of sizes) {
  const purchases = simulatePurchases({
    customers,
    asOf,
    historyDays: 1095,
    bgnbd: { r: 0.9, alpha: 80, a: 0.7, b: 3.5 },
    seed: customers,
  });
  const [summariseMs, byCustomer] = time(() => summariseByCustomer(purchases, options));
  const summaries = [...byCustomer.values()];
  const [bgnbdMs, bgnbd] = timeRuns(runs, () => fitBgNbd(summaries));
  const [gammaGammaMs, gammaGamma] = timeRuns(runs, () => fitGammaGamma(summaries));
  const [shopModelMs, model] = timeRuns(Math.min(runs, 3), () => fitShopModel(summaries, options));
  const [predictMs] = timeRuns(1, () => summaries.map((s) => predictCustomer(model, s)));
  const row = {
    customers,
    purchases: purchases.length,
    repeatCustomers: model.data.repeatCustomers,
    summariseMs: Math.round(summariseMs),
    bgnbdFitMs: Math.round(bgnbdMs),
    bgnbdEvaluations: bgnbd.diagnostics.evaluations,
    bgnbdScreenedOnRows: bgnbd.diagnostics.screenedOnRows,
    bgnbdConverged: bgnbd.diagnostics.converged,
    gammaGammaFitMs: Math.round(gammaGammaMs),
    gammaGammaConverged: gammaGamma.diagnostics.converged,
    shopModelMs: Math.round(shopModelMs),
    predictAllMs: Math.round(predictMs),
    predictPerCustomerUs: Math.round((predictMs * 1000) / customers),
    method: `${model.bgnbd.method}/${model.gammaGamma.method}`,
    params: {
      r: +bgnbd.params.r.toFixed(4),
      alpha: +bgnbd.params.alpha.toFixed(2),
      a: +bgnbd.params.a.toFixed(4),
      b: +bgnbd.params.b.toFixed(4),
    },
  };
  figures.push(row);
  console.log(
    `${customers.toLocaleString("en")} customers (${purchases.length.toLocaleString(
      "en",
    )} purchases): BG/NBD fit median ${row.bgnbdFitMs} ms ` +
      `(${row.bgnbdEvaluations} evaluations), Gamma-Gamma ${row.gammaGammaFitMs} ms, shop model ${row.shopModelMs} ms, ` +
      `predictions ${row.predictAllMs} ms (${row.predictPerCustomerUs} µs/customer), summaries ${row.summariseMs} ms`,
  );
}
const largest = figures[figures.length - 1]!;
console.log(
  JSON.stringify({
    bench: "predictive-fit",
    runs,
    node: process.version,
    target: { bgnbdFit200kMs: 1000 },
    bgnbdFitLargestMs: largest.bgnbdFitMs,
    meetsTarget: largest.customers >= 200_000 ? largest.bgnbdFitMs < 1000 : null,
    sizes: figures,
  }),
);
