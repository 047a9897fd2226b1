// One CLI measurement of bench/segment in its own process: writes the generated shop (segment-data.ts) as a
// transactions CSV, runs `cadence segment` on it in this process and prints one JSON line with its
// wall time and peak memory.
//   tsx bench/segment-cli.ts CUSTOMERS DIR
import { createWriteStream, readFileSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import path from "node:path";
import * as segment from "../scripts/commands/segment.ts";
import { BENCH_AS_OF, benchOrders } from "./segment-data.ts";

const [customersArg, dir] = process.argv.slice(2) as [string, string];
const customers = Number(customersArg);
const input = path.join(dir, "transactions.csv");

const asOf = BENCH_AS_OF;
const output = createWriteStream(input);
let orders = 0;
let chunk = "customer_id,date,amount,order_id\n";
for (const order of benchOrders(customers)) {
  if (order.cancelled) continue;
  chunk += `${order.customerId},${order.processedAt.slice(0, 10)},${(
    (order.amountMinor - order.refundedMinor) /
    100
  ).toFixed(2)},${order.orderId}\n`;
  orders++;
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
const code = await segment.run([
  "--input",
  input,
  "--format",
  "transactions",
  "--as-of",
  asOf,
  "--currency",
  "GBP",
  "--out",
  path.join(dir, "out"),
]);
const seconds = (performance.now() - started) / 1000;
process.stdout.write = originalWrite;
const model = JSON.parse(readFileSync(path.join(dir, "out", "model.json"), "utf8")) as {
  customers: number;
  fallback: string;
};
console.log(
  JSON.stringify({
    customers: model.customers,
    orders,
    exitCode: code,
    seconds,
    peakRssMb: peakRssMb(),
    fallback: model.fallback,
  }),
);
