import { spawnSync } from "node:child_process";
import path from "node:path";

// `npm run cadence -- …` as its own process, against the test file's database (DATABASE_URL, set by appUnderTest()).
// Only PostgreSQL can be shared with another process; a test on the embedded database skips this.

const ROOT = path.resolve(import.meta.dirname, "..", "..");

export function cadenceCli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(path.join(ROOT, "node_modules", ".bin", "tsx"), ["scripts/cadence.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, CADENCE_LOG_LEVEL: "silent" },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
