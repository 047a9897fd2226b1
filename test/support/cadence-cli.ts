import { spawnSync } from "node:child_process";
import path from "node:path";

// `npm run cadence -- …` as its own process, against the test file's database (DATABASE_URL, set by appUnderTest()).
// Only PostgreSQL can be shared with another process; a test on the embedded database skips this.

const ROOT = path.resolve(import.meta.dirname, "..", "..");

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(env: NodeJS.ProcessEnv, args: string[]): CliResult {
  const result = spawnSync(path.join(ROOT, "node_modules", ".bin", "tsx"), ["scripts/cadence.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function cadenceCli(...args: string[]): CliResult {
  return run({ ...process.env, CADENCE_LOG_LEVEL: "silent" }, args);
}

/**
 * The CLI beside a demo a test started: the demo's configuration (development, with the local secret that signs as
 * the demo's Flow does) on the demo's database, `DATABASE_URL` or the embedded one in `CADENCE_DATA_DIR`.
 */
export function demoCli(
  database: { DATABASE_URL: string } | { CADENCE_DATA_DIR: string },
  ...args: string[]
): CliResult {
  const env: Record<string, string | undefined> = {
    ...process.env,
    DATABASE_URL: "",
    ...database,
    CADENCE_LOG_LEVEL: "silent",
  };
  delete env.NODE_ENV;
  delete env.SHOPIFY_API_SECRET;
  return run(env as NodeJS.ProcessEnv, args);
}
