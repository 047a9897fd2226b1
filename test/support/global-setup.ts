import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { attachEmbeddedPostgres } from "~/database/embedded-postgres";
import type { EmbeddedPostgres } from "~/database/embedded-postgres";
import { applyMigrations, readSchemaSources } from "~/database/migrator";
import { postgresBinaries } from "~/database/postgres-binaries";
import { ensureBuild } from "../../server/ensure-build";
import { ensureChromium } from "./browser";
import { databaseUrl, recreateDatabase, TEMPLATE_DATABASE, withAdminClient } from "./postgres";
import type { TestServer } from "./postgres";

// Once per test run (every project names this file; the work is done on the first call and shared): the production
// build of the app, the browser, and the test PostgreSQL servers with their migrated templates. With
// CADENCE_TEST_POSTGRES_URL (and, for the 15 leg, CADENCE_TEST_POSTGRES15_URL) unset, each server is an embedded
// PostgreSQL from npm in a scratch folder, with durability off (a test run's data need not survive a power cut).

const TEST_SETTINGS = { fsync: "off", synchronous_commit: "off", full_page_writes: "off" };

type RunState = { servers: Map<TestServer, Promise<void>>; embedded: EmbeddedPostgres[]; users: number };
const KEY = Symbol.for("cadence.test-run");
const state = ((globalThis as Record<symbol, RunState>)[KEY] ??= { servers: new Map(), embedded: [], users: 0 });

function envName(server: TestServer): "CADENCE_TEST_POSTGRES_URL" | "CADENCE_TEST_POSTGRES15_URL" {
  return server === "minimum" ? "CADENCE_TEST_POSTGRES15_URL" : "CADENCE_TEST_POSTGRES_URL";
}

async function prepareServer(server: TestServer): Promise<void> {
  if (!process.env[envName(server)]) {
    const folder = path.join(
      tmpdir(),
      `cadence-test-postgres-${server === "minimum" ? "15" : "newest"}-${TEMPLATE_DATABASE.slice(-10)}`,
    );
    mkdirSync(folder, { recursive: true });
    const embedded = await attachEmbeddedPostgres(folder, {
      settings: TEST_SETTINGS,
      binaries: await postgresBinaries(server),
    });
    state.embedded.push(embedded);
    // Test files run in worker processes started after this, which inherit the variable.
    process.env[envName(server)] = embedded.adminUrl;
  }
  await withAdminClient((admin) => recreateDatabase(admin, TEMPLATE_DATABASE), server);
  const client = new pg.Client({ connectionString: databaseUrl(TEMPLATE_DATABASE, server) });
  await client.connect();
  try {
    const { migrations, functions } = await readSchemaSources("prisma");
    await applyMigrations(
      {
        query: async (text, params) => ({ rows: (await client.query(text, params)).rows }),
        exec: async (script) => {
          await client.query(script);
        },
      },
      migrations,
      functions,
    );
  } finally {
    await client.end();
  }
}

export default async function setup(project: TestProject) {
  state.users++;
  ensureBuild(() => undefined);
  const server: TestServer = project.config.env?.CADENCE_TEST_DB === "postgres15" ? "minimum" : "newest";
  if (!state.servers.has(server)) state.servers.set(server, prepareServer(server));
  await state.servers.get(server);
  if (project.name === "e2e") await ensureChromium();
  return async () => {
    if (--state.users > 0) return;
    await Promise.all(state.embedded.splice(0).map((embedded) => embedded.detach()));
    state.servers.clear();
  };
}
