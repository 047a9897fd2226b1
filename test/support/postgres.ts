import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import pg from "pg";

// Tests on real PostgreSQL. The test run's server is CADENCE_TEST_POSTGRES_URL when set, otherwise the embedded
// PostgreSQL that test/support/global-setup.ts starts from npm and names in that same variable. A template database is
// migrated once per run, and every test file gets its own copy (CREATE DATABASE … TEMPLATE is a file copy, ~100 ms),
// so files run in parallel without sharing rows. The PostgreSQL 15 leg (project integration-pg15) does the same on
// the oldest server Cadence supports, named in CADENCE_TEST_POSTGRES15_URL.

export type TestServer = "newest" | "minimum";

/** Which server this test file runs on, from its Vitest project. */
export function testServer(): TestServer {
  return process.env.CADENCE_TEST_DB === "postgres15" ? "minimum" : "newest";
}

export function adminUrl(server: TestServer = testServer()): string {
  const url = server === "minimum" ? process.env.CADENCE_TEST_POSTGRES15_URL : process.env.CADENCE_TEST_POSTGRES_URL;
  if (!url) {
    throw new Error(
      `No test PostgreSQL (${
        server === "minimum" ? "CADENCE_TEST_POSTGRES15_URL" : "CADENCE_TEST_POSTGRES_URL"
      } is unset): ` +
        `run the tests through vitest, whose global set-up starts one, or set the variable to a superuser URL.`,
    );
  }
  return url;
}

// One template per checkout, so test runs of two clones (or worktrees) on one PostgreSQL do not drop each other's.
const CHECKOUT = fileURLToPath(new URL("../..", import.meta.url));
export const TEMPLATE_DATABASE = `cadence_test_template_${createHash("sha1")
  .update(CHECKOUT)
  .digest("hex")
  .slice(0, 10)}`;

export function databaseUrl(name: string, server: TestServer = testServer()): string {
  const url = new URL(adminUrl(server));
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdminClient<T>(
  work: (client: pg.Client) => Promise<T>,
  server: TestServer = testServer(),
): Promise<T> {
  const url = adminUrl(server);
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`The test PostgreSQL is not reachable at ${new URL(url).host} (${(error as Error).message}).`);
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

/** An empty database of this file's own, dropped by the returned function. */
export async function scratchDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await withAdminClient((admin) => recreateDatabase(admin, name));
  return {
    url: databaseUrl(name),
    drop: () =>
      withAdminClient(async (admin) => void (await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
  };
}
