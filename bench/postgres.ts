import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { attachEmbeddedPostgres } from "../app/database/embedded-postgres.ts";

// The PostgreSQL server the benchmarks measure on: CADENCE_BENCH_POSTGRES_URL (a superuser URL) when set, otherwise
// the embedded PostgreSQL from npm, in a scratch folder, with PostgreSQL's default settings (durable, as a
// production server is). Each bench creates and drops its own databases on it.

// The app code a bench runs (in this process or the children it starts) reads its configuration as the demo and the
// tests do: development, with the local secrets. A bench that measures the production server says so itself.
process.env.NODE_ENV ??= "development";

export interface BenchServer {
  /** Superuser URL of the `postgres` maintenance database. */
  adminUrl: string;
  /** What it is, for the printed figures. */
  label: string;
  /** A new, empty database (dropped first if a killed run left it), as a URL. */
  freshDatabase(name: string): Promise<string>;
  dropDatabase(name: string): Promise<void>;
  /** Stops the embedded server, if this bench started it. */
  release(): Promise<void>;
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export async function benchServer(): Promise<BenchServer> {
  const given = process.env.CADENCE_BENCH_POSTGRES_URL;
  const embedded = given ? undefined : await attachEmbeddedPostgres(path.join(tmpdir(), "cadence-bench-postgres"));
  const adminUrl = given ?? embedded!.adminUrl;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const version = (await client.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version;
  await client.end();
  const databaseUrl = (name: string) => {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  return {
    adminUrl,
    label: `PostgreSQL ${version.split(" ")[0]}${embedded ? " (embedded)" : ""}`,
    async freshDatabase(name) {
      await admin(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin(adminUrl, `CREATE DATABASE "${name}"`);
      return databaseUrl(name);
    },
    dropDatabase: (name) => admin(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    release: async () => embedded?.detach(),
  };
}
