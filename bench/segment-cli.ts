// One CLI measurement of bench/segment in its own process: writes a generated transactions CSV (customers with ~5
// orders each, deterministic), runs `cadence segment` on it in this process and prints one JSON line with its
// wall time and peak memory.
//   tsx bench/segment-cli.ts CUSTOMERS DIR
import { createWriteStream, readFileSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import path from "node:path";
import * as segment from "../scripts/commands/segment.ts";

const [customersArg, dir] = process.argv.slice(2) as [string, string];
const customers = Number(customersArg);
const input = path.join(dir, "transactions.csv");

// The same cheap integer hash as segment-data.ts, so the CSV and the database shops look alike.
const h = (x: number, salt: number) => ((x * 2654435761 + salt) % 4294967296) / 4294967296;
const start = Date.UTC(2023, 2, 1);
const asOf = "2026-03-01";
const asOfMs = Date.UTC(2026, 2, 1);

const output = createWriteStream(input);
let orders = 0;
let chunk = "customer_id,date,amount,order_id\n";
for (let c = 1; c <= customers; c++) {
  const count = 1 + Math.floor(h(c, 6) * 9);
  for (let k = 1; k <= count; k++) {
    const at = start + (h(c, 1) * 700 + k * (10 + h(c, 2) * 80)) * 86_400_000;
    if (at >= asOfMs) continue;
    const amount = 500 + Math.floor(h(c * 16 + k, 3) * 15000);
    chunk += `${7000000000000 + c},${new Date(at).toISOString().slice(0, 10)},${(amount / 100).toFixed(2)},${9000000000000 + c * 16 + k}\n`;
    orders++;
  }
  if (chunk.length > 1 << 16) {
    if (!output.write(chunk)) await once(output, "drain");
    chunk = "";
  }
}
output.end(chunk);
await once(output, "finish");

function peakRssMb(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
  return match ? Number(match[1]) / 1024 : process.memoryUsage().rss / 2 ** 20;
}
global.gc?.();
try {
  writeFileSync("/proc/self/clear_refs", "5");
} catch {
  // Not Linux: the peak then includes writing the CSV.
}
const originalWrite = process.stdout.write.bind(process.stdout);
process.stdout.write = (() => true) as typeof process.stdout.write; // the command's summary table is not a figure
const started = performance.now();
const code = await segment.run(["--input", input, "--format", "transactions", "--as-of", asOf, "--currency", "GBP", "--out", path.join(dir, "out")]);
const seconds = (performance.now() - started) / 1000;
process.stdout.write = originalWrite;
const model = JSON.parse(readFileSync(path.join(dir, "out", "model.json"), "utf8")) as { customers: number; fallback: string };
console.log(JSON.stringify({ customers: model.customers, orders, exitCode: code, seconds, peakRssMb: peakRssMb(), fallback: model.fallback }));
