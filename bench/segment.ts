// bench/segment: the full segmentation pass (refit, re-quantile, reclassify, write back) on generated shops of 10k,
// 100k and 200k customers (~5 orders each) on PostgreSQL, the `segment` CLI on a ~1M-order CSV, and the
// BG/NBD fit on 200k customers. Every measurement runs in its own process so its peak memory is its own.
// Targets (issue 4): 1M orders / 200k customers full pass < 30 s and < 1 GiB on PostgreSQL; BG/NBD fit on 200k < 1 s.
// Issue 19: the backtest and model choice (phases.backtest, inside phases.model) add at most 30 % to the pass.
//   npm run bench:segment [-- --sizes 10000,100000,200000 --cli-customers 200000]
// PostgreSQL: CADENCE_BENCH_POSTGRES_URL, or the embedded PostgreSQL (bench/postgres.ts); the bench creates and drops
// its own database. Last line: one JSON object.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { benchServer } from "./postgres.ts";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ""), process.argv[i + 1] ?? "");
const sizes = (args.get("sizes") ?? "10000,100000,200000").split(",").map(Number);
const cliCustomers = Number(args.get("cli-customers") ?? 200_000);
const benchDatabase = "cadence_bench_segment";

function runChild(script: string, childArgs: string[]): Record<string, unknown> {
  const out = execFileSync(
    process.execPath,
    [
      "--expose-gc",
      "--max-old-space-size=4096",
      "--import",
      "tsx",
      path.join(import.meta.dirname, script),
      ...childArgs,
    ],
    {
      encoding: "utf8",
      maxBuffer: 1 << 26,
      env: { ...process.env, CADENCE_LOG_LEVEL: "silent" },
    },
  );
  return JSON.parse(out.trim().split("\n").at(-1)!) as Record<string, unknown>;
}

const round = (value: unknown, digits = 2) => Number((value as number).toFixed(digits));
const passes = [];
const server = await benchServer();
try {
  for (const customers of sizes) {
    const url = await server.freshDatabase(benchDatabase);
    const figures = runChild("segment-pass.ts", [String(customers), url]);
    const pass = {
      server: server.label,
      customers,
      orders: figures.orders,
      seconds: round(figures.seconds),
      peakRssMb: Math.round(figures.peakRssMb as number),
      loadSeconds: round(figures.loadSeconds),
      status: figures.status,
      phasesMs: figures.phases,
    };
    passes.push(pass);
    const backtest = (figures.phases as { backtest?: number } | undefined)?.backtest ?? 0;
    console.log(
      `full pass on ${server.label}: ${customers.toLocaleString("en").padStart(7)} customers, ${Number(
        pass.orders,
      ).toLocaleString("en")} orders: ${pass.seconds} s` +
        ` (of which the predictions' backtest and model choice ${(backtest / 1000).toFixed(2)} s), peak ${
          pass.peakRssMb
        } MB (${pass.status})`,
    );
  }
  await server.dropDatabase(benchDatabase);
} finally {
  await server.release();
}

const dir = mkdtempSync(path.join(tmpdir(), "cadence-bench-segment-"));
const cli = runChild("segment-cli.ts", [String(cliCustomers), dir]);
rmSync(dir, { recursive: true, force: true });
console.log(
  `CLI segment ${Number(cli.customers).toLocaleString("en")} customers, ${Number(cli.orders).toLocaleString(
    "en",
  )} orders: ${round(cli.seconds)} s, peak ${Math.round(cli.peakRssMb as number)} MB`,
);

const fit = runChild("predictive-fit.ts", ["--sizes", "200000", "--runs", "3"]) as { bgnbdFitLargestMs: number };
console.log(`BG/NBD fit on 200,000 customers: median ${fit.bgnbdFitLargestMs} ms of 3`);

const largestPostgres = passes.at(-1);
console.log(
  JSON.stringify({
    bench: "segment",
    node: process.version,
    targets: { fullPass200kSeconds: 30, fullPass200kPeakMb: 1024, bgnbdFit200kMs: 1000 },
    passes,
    cli: {
      customers: cli.customers,
      orders: cli.orders,
      seconds: round(cli.seconds),
      peakRssMb: Math.round(cli.peakRssMb as number),
      exitCode: cli.exitCode,
    },
    bgnbdFit200kMs: fit.bgnbdFitLargestMs,
    meetsTargets:
      largestPostgres && largestPostgres.customers >= 200_000
        ? largestPostgres.seconds < 30 && largestPostgres.peakRssMb < 1024 && fit.bgnbdFitLargestMs < 1000
        : null,
  }),
);
