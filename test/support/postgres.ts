import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import pg from "pg";

// Integration tests on real PostgreSQL: a template database is migrated once per run, and every test file gets
// its own copy (CREATE DATABASE … TEMPLATE is a file copy, ~100 ms), so files run in parallel without sharing rows.

export const POSTGRES_ADMIN_URL = process.env.CADENCE_TEST_POSTGRES_URL ?? "postgresql://postgres:postgres@127.0.0.1:5432/postgres";
// One template per checkout, so test runs of two clones (or worktrees) on one PostgreSQL do not drop each other's.
const CHECKOUT = fileURLToPath(new URL("../..", import.meta.url));
export const TEMPLATE_DATABASE = `cadence_test_template_${createHash("sha1").update(CHECKOUT).digest("hex").slice(0, 10)}`;

export function databaseUrl(name: string): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${POSTGRES_ADMIN_URL} (${(error as Error).message}). ` +
        `Start it (pg_ctlcluster 15 main start) or set CADENCE_TEST_POSTGRES_URL. .ci/run does both.`,
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function recreateDatabase(client: pg.Client, name: string, template?: string): Promise<void> {
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`);
}
