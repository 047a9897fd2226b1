import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { fromPglite, type ConstructorOptions } from "pg-boss";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { config } from "./config.server";
import { acquireEmbeddedLock } from "./database/embedded-lock";
import { applyMigrations, readMigrations, type MigrationResult } from "./database/migrator";
import type { SqlExecutor } from "./database/sql-executor";

// The one place a database client is constructed. PostgreSQL when DATABASE_URL is set; otherwise the embedded
// PGlite persisted in CADENCE_DATA_DIR (or in memory when that is "memory://", for tests).

export type DatabaseEngine = "pglite" | "postgres";

export interface Database {
  engine: DatabaseEngine;
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
  /** How the job queue (pg-boss) reaches this same database: its own small pool on PostgreSQL, the one PGlite here. */
  jobQueueOptions: ConstructorOptions;
  close(): Promise<void>;
}

function openPostgres(url: string): Database {
  // JIT off: PostgreSQL compiles a query with LLVM once its estimated cost passes jit_above_cost, which the full
  // pass's batch reads just do; for queries of tens of milliseconds the compiling costs more than it saves (about
  // 15 ms a batch). Idle connections stay open a while: a new one starts cold (plans, PL/pgSQL compiled again).
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
    query: async <Row,>(text: string, params?: unknown[]) => ({
      rows: (await client.query(text, params)).rows as Row[],
    }),
    exec: async (script) => {
      await client.query(script);
    },
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    engine: "postgres",
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
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const result = await work(executorFor(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        // A connection that cannot even roll back is discarded rather than handed to the next caller.
        await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
        throw error;
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

// pglite-prisma-adapter 0.6 (the release line for Prisma 6) declares driver-adapter types from Prisma 6.10.
// Only their query-argument metadata differs from 6.19's, and the adapter never reads it (PGlite infers
// parameter types), so the factory is compatible at run time; integration tests prove it on every query.
export function pgliteAdapter(pglite: PGlite): SqlDriverAdapterFactory {
  return new PrismaPGlite(pglite) as unknown as SqlDriverAdapterFactory;
}

function openEmbedded(dataDir: string): Database {
  const inMemory = dataDir.startsWith("memory://");
  const releaseLock = inMemory ? () => undefined : acquireEmbeddedLock(dataDir);
  const pglite = new PGlite(inMemory ? dataDir : path.join(dataDir, "pglite"));
  const executor: SqlExecutor = {
    query: async <Row,>(text: string, params?: unknown[]) => ({
      rows: (await pglite.query<Row>(text, params)).rows,
    }),
    exec: async (script) => {
      await pglite.exec(script);
    },
  };
  const prisma = new PrismaClient({ adapter: pgliteAdapter(pglite) });
  return {
    engine: "pglite",
    prisma,
    sql: executor,
    jobQueueOptions: { db: fromPglite(pglite), backend: "pglite" },
    withConnection: (work) => work(executor),
    // PGlite runs one statement at a time and holds other callers (Prisma included) until the transaction ends.
    transaction: (work) =>
      pglite.transaction((tx) =>
        work({
          query: async <Row,>(text: string, params?: unknown[]) => ({ rows: (await tx.query<Row>(text, params)).rows }),
          exec: async (script) => {
            await tx.exec(script);
          },
        }),
      ),
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      releaseLock();
    },
  };
}

// Kept on globalThis so the Remix server build, the custom server and the CLI share one client per process
// (a second PGlite on the same folder would corrupt it, and a second pool would double connections).
const GLOBAL_KEY = Symbol.for("cadence.database");
type GlobalWithDatabase = typeof globalThis & { [GLOBAL_KEY]?: Database };

export function database(): Database {
  const holder = globalThis as GlobalWithDatabase;
  if (!holder[GLOBAL_KEY]) {
    const { databaseUrl, dataDir } = config();
    holder[GLOBAL_KEY] = databaseUrl ? openPostgres(databaseUrl) : openEmbedded(dataDir);
  }
  return holder[GLOBAL_KEY];
}

export async function closeDatabase(): Promise<void> {
  const holder = globalThis as GlobalWithDatabase;
  const current = holder[GLOBAL_KEY];
  delete holder[GLOBAL_KEY];
  await current?.close();
}

// Resolved from the working directory: this module is also bundled into build/server, so its own URL moves.
export const MIGRATIONS_DIR = path.resolve(process.env.CADENCE_MIGRATIONS_DIR ?? "prisma/migrations");

export async function migrateDatabase(): Promise<MigrationResult> {
  const migrations = await readMigrations(MIGRATIONS_DIR);
  return database().withConnection((executor) => applyMigrations(executor, migrations));
}

/** The Prisma client most modules use. */
export function db(): PrismaClient {
  return database().prisma;
}
