// bench/admin: the admin's speed targets (issue 6). The members-table query's p95 on a 200,000-customer shop on
// PostgreSQL (target < 100 ms), and the dashboard's LCP and CLS in Chromium on the demo (targets < 1.5 s and 0).
// Each half runs in its own process.
//   npm run bench:admin [-- --customers 200000 --runs 5]
// PostgreSQL: CADENCE_BENCH_POSTGRES_URL, or the embedded PostgreSQL (bench/postgres.ts); the bench creates and drops
// its own database. Last line: one JSON object.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { benchServer } from "./postgres.ts";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ""), process.argv[i + 1] ?? "");
const customers = args.get("customers") ?? "200000";
const runs = args.get("runs") ?? "5";
const benchDatabase = "cadence_bench_admin";

function child(script: string, childArgs: string[]): Record<string, unknown> {
  const out = execFileSync(
    process.execPath,
    ["--import", "tsx", path.join(import.meta.dirname, "admin", script), ...childArgs],
    {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, CADENCE_LOG_LEVEL: "silent" },
    },
  );
  return JSON.parse(out.trim().split("\n").at(-1)!) as Record<string, unknown>;
}

const server = await benchServer();
let members: Record<string, unknown>;
try {
  members = child("members-query.ts", [await server.freshDatabase(benchDatabase), customers]);
  await server.dropDatabase(benchDatabase);
} finally {
  await server.release();
}
const vitals = child("dashboard-vitals.ts", [runs]);
console.log(
  `members table, ${customers} customers, ${server.label}: p95 ${members.p95Ms} ms over all shapes (worst shape p95 ${members.worstShapeP95Ms} ms; target < 100 ms)`,
);
console.log(
  `dashboard in Chromium: LCP median ${vitals.lcpMedianMs} ms (target < 1500), CLS median ${vitals.clsMedian}, max ${vitals.clsMax} (target 0)`,
);
console.log(JSON.stringify({ membersQuery: members, dashboard: vitals }));
