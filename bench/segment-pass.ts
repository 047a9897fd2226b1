// One measurement of bench/segment, in its own process so its peak memory is its own: loads a generated shop into
// a fresh PostgreSQL database named on the command line, resets the peak-RSS counter, runs the full pass and prints
// one JSON line.
//   tsx bench/segment-pass.ts CUSTOMERS POSTGRES_URL
import { readFileSync, writeFileSync } from "node:fs";
import { closeDatabase, database, migrateDatabase } from "../app/db.server.ts";
import { dayFromIsoDate } from "../app/profiles/days.ts";
import { runFullPass } from "../app/recompute/full-pass.server.ts";
import { BENCH_AS_OF, BENCH_SHOP, loadBenchShop } from "./segment-data.ts";

const [customersArg, url] = process.argv.slice(2);
const customers = Number(customersArg);
process.env.DATABASE_URL = url;
process.env.CADENCE_LOG_LEVEL = "silent";

function peakRssMb(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
  return match ? Number(match[1]) / 1024 : process.memoryUsage().rss / 2 ** 20;
}

await migrateDatabase();
const db = database();
const loadStarted = performance.now();
await loadBenchShop(db.sql, customers);
const loadSeconds = (performance.now() - loadStarted) / 1000;
const orders = Number(
  (await db.sql.query<{ n: string }>(`SELECT count(*) AS n FROM "Order" WHERE "shopId" = $1`, [BENCH_SHOP.id])).rows[0]
    ?.n,
);

global.gc?.();
const baselineMb = process.memoryUsage().rss / 2 ** 20;
try {
  writeFileSync("/proc/self/clear_refs", "5");
} catch {
  // Not Linux: the peak then includes loading.
}
if (process.env.BENCH_LOAD_ONLY) {
  await closeDatabase();
  process.exit(0);
}
const started = performance.now();
// CPU time of this process too: on a shared machine wall time swings with the neighbours' load, CPU time far less.
const cpuBefore = process.cpuUsage();
const result = await runFullPass(db, BENCH_SHOP.id, { asOf: dayFromIsoDate(BENCH_AS_OF) });
const cpu = process.cpuUsage(cpuBefore);
const seconds = (performance.now() - started) / 1000;
const peakMb = peakRssMb();
await closeDatabase();
console.log(
  JSON.stringify({
    customers,
    orders,
    loadSeconds,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMb: peakMb,
    baselineRssMb: baselineMb,
    status: result.status,
    written: result.written.written,
    phases: result.phases,
  }),
);
