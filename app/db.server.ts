import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import pg from "pg";
import type { ConstructorOptions } from "pg-boss";
import { config } from "~/config.server";
import { attachEmbeddedPostgres } from "~/database/embedded-postgres";
import type { EmbeddedPostgres } from "~/database/embedded-postgres";
import { applyMigrations, readSchemaSources } from "~/database/migrator";
import type { MigrationResult } from "~/database/migrator";
import { transactionOn } from "~/database/sql-executor";
import type { SqlExecutor } from "~/database/sql-executor";

// The one place a database client is constructed, always PostgreSQL: the server in DATABASE_URL, or, when that is
// unset (the demo, local development, the CLI beside them), the embedded PostgreSQL in CADENCE_DATA_DIR, which
// openDatabase() starts or joins (app/database/embedded-postgres.ts).

export interface Database {
  prisma: PrismaClient;
  /** Raw SQL on the same database, for migrations, the job queue and bulk statements. */
  sql: SqlExecutor;
  /** A single connection, for work that must stay on one session (advisory locks). */
  withConnection<T>(work: (executor: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * One transaction on one connection for raw-SQL writers (ingest's hot path bypasses Prisma: see
   * docs/decisions/0005-ingest-writes-in-sql-functions.md). Commits when `work` resolves, rolls back when it throws.
   */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** How the job queue (pg-boss) reaches this same database: its own small pool. */
  jobQueueOptions: ConstructorOptions;
  close(): Promise<void>;
}

function openPostgres(url: string): Database {
  // JIT off: PostgreSQL compiles a query with LLVM once its estimated cost passes jit_above_cost, which the full
  // pass's batch reads just do; for queries of tens of milliseconds the compiling costs more than it saves. Idle connections stay open a while: a new one starts cold (plans, PL/pgSQL compiled again).
  const pool = new pg.Pool({ connectionString: url, max: 10, options: "-c jit=off", idleTimeoutMillis: 300_000 });
  // pool.end() resolves once its clients are told to end, before their sockets close; close() waits for those too, so
  // a caller that drops the database or exits right after finds no session of ours still open.
  const connections = new Set<Promise<void>>();
  pool.on("connect", (client) => {
    const ended = new Promise<void>((resolve) => client.once("end", () => resolve()));
    connections.add(ended);
    void ended.then(() => connections.delete(ended));
  });
  const executorFor = (client: pg.Pool | pg.PoolClient): SqlExecutor => ({
    query: async <Row>(text: string, params?: unknown[]) => ({
      rows: (await client.query(text, params)).rows as Row[],
    }),
    exec: async (script) => {
      await client.query(script);
    },
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    sql: executorFor(pool),
    jobQueueOptions: { connectionString: url, max: 3, backend: "postgres" },
    async withConnection(work) {
      const client = await pool.connect();
      try {
        return await work(executorFor(client));
      } finally {
        client.release();
      }
    },
    async transaction(work) {
      const client = await pool.connect();
      // A connection that cannot even roll back is discarded rather than handed to the next caller.
      let broken: Error | undefined;
      try {
        return await transactionOn(executorFor(client), work, (error) => (broken = error));
      } finally {
        client.release(broken);
      }
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
      await Promise.all(connections);
    },
  };
}

// Kept on globalThis so the Remix server build, the custom server and the CLI share one client per process
// (a second pool would double connections, and a second attach would start a second server's bookkeeping).
const GLOBAL_KEY = Symbol.for("cadence.database");
type Opened = { database: Database; embedded?: EmbeddedPostgres };
type GlobalWithDatabase = typeof globalThis & { [GLOBAL_KEY]?: Opened | Promise<Opened> };
const holder = globalThis as GlobalWithDatabase;

/**
 * Opens this process's database: the pool on DATABASE_URL, or the embedded PostgreSQL (started when no other
 * process has started it). Entry points (server, worker, demo, CLI) call it once; later calls return the same one.
 */
export async function openDatabase(): Promise<Database> {
  const current = holder[GLOBAL_KEY];
  if (current) return (await current).database;
  const { databaseUrl, dataDir } = config();
  const opening = (async (): Promise<Opened> => {
    if (databaseUrl) return { database: openPostgres(databaseUrl) };
    const embedded = await attachEmbeddedPostgres(dataDir);
    return { database: openPostgres(embedded.url), embedded };
  })();
  holder[GLOBAL_KEY] = opening;
  try {
    const opened = await opening;
    holder[GLOBAL_KEY] = opened;
    return opened.database;
  } catch (error) {
    delete holder[GLOBAL_KEY];
    throw error;
  }
}

/** The open database. With DATABASE_URL it opens on first use; the embedded one must have been opened first. */
export function database(): Database {
  const current = holder[GLOBAL_KEY];
  if (current && !(current instanceof Promise)) return current.database;
  const { databaseUrl } = config();
  if (!databaseUrl) {
    throw new Error(
      "The embedded database is not open in this process: its entry point must await openDatabase() first.",
    );
  }
  if (current) throw new Error("The database is still opening: await openDatabase() first.");
  const opened = { database: openPostgres(databaseUrl) };
  holder[GLOBAL_KEY] = opened;
  return opened.database;
}

/** Closes the pool and, on the embedded database, detaches (the last process to detach stops the server). */
export async function closeDatabase(): Promise<void> {
  const current = holder[GLOBAL_KEY];
  delete holder[GLOBAL_KEY];
  if (!current) return;
  const opened = await current;
  await opened.database.close();
  await opened.embedded?.detach();
}

// Resolved from the working directory: this module is also bundled into build/server, so its own URL moves.
export const SCHEMA_DIR = path.resolve(process.env.CADENCE_SCHEMA_DIR ?? "prisma");

/** Opens the database if needed and applies pending migrations, then new or changed function files. */
export async function migrateDatabase(): Promise<MigrationResult> {
  const { migrations, functions } = await readSchemaSources(SCHEMA_DIR);
  return (await openDatabase()).withConnection((executor) => applyMigrations(executor, migrations, functions));
}
