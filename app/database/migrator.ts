import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { SqlExecutor } from "./sql-executor";

// Applies prisma/migrations in order, then prisma/functions. Prisma's own `migrate deploy` needs its native schema
// engine (a download this machine cannot make) or, through a driver adapter, did not work on PostgreSQL 6.19. This
// runner is small and keeps Prisma's bookkeeping table and checksum format, so `prisma migrate status` on a developer
// machine agrees with it. See docs/decisions/0002-database-and-migrations.md.
//
// Migrations hold tables and data, and are never edited once applied. Functions (and the triggers that call them)
// are source files, one per function: a file whose text changed is applied again, so changing a function is a
// one-file diff. Invariants: every function named cadence_* in the schema has a file in prisma/functions (one without
// is dropped); a function file holds the function and every trigger that calls it (the function is dropped with
// CASCADE before its file runs, so a changed signature or return type leaves no stale overload).

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

/** A file of prisma/functions: `name` is the function's name (the file name without .sql). */
export type FunctionFile = MigrationFile;

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
  /** Function files applied because they were new or changed, and functions dropped because their file is gone. */
  functionsApplied: string[];
  functionsDropped: string[];
}

/**
 * Migrations edited once, when the functions they defined moved to prisma/functions: a database that applied the
 * earlier text has the same tables and data, and gets its functions from the files. Their pre-move checksums.
 */
export const CHECKSUMS_BEFORE_FUNCTION_FILES: Readonly<Record<string, string>> = {
  "20261123013741_sync_ingest_backfill": "ecd0a3e93a06f4deca31f21734b81cac581593d67b02f5a39971b4a755909aaa",
  "20261203133119_order_discount_codes": "ad92977246230d864fe4a49bc04d1c51aff606fb78dfa33028d3ff3aa04d7b14",
  "20261203140000_ingest_group_commit": "58fb3771e08ae57fd0049b0ae05ccbfc3684b3e2aa25145104357b577dc4b2ec",
  "20261203144828_order_line_amounts_by_type": "c096cb21f832678a77db9b19472f8a642398822cf0c89254a701323d0fbf158e",
  "20261207111429_drop_email_marketing_consent": "56ae10f799bd440eb7da12f49b6b63c8ab4d6b08702e2ce6827e825fb0c18bfa",
  "20261207122650_flow_triggers": "bab90b31d1c4b00a1a3fca241f51d60664c879d79f1e2f204b0ce8b4c75d8148",
};

const FUNCTION_PREFIX = "cadence_";

// Prisma's table, column for column.
const BOOKKEEPING_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

const FUNCTIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_cadence_functions" (
  "name" TEXT PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "applied_at" TIMESTAMPTZ NOT NULL DEFAULT now()
)`;

// Serialises concurrent start-ups of several app instances against one database.
const ADVISORY_LOCK_KEY = 72707369;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export async function readMigrations(directory: string): Promise<MigrationFile[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(directory, name, "migration.sql"), "utf8");
      return { name, sql, checksum: sha256(sql) };
    }),
  );
}

export async function readFunctions(directory: string): Promise<FunctionFile[]> {
  const names = (await readdir(directory)).filter((file) => file.endsWith(".sql")).sort();
  return Promise.all(
    names.map(async (file) => {
      const name = file.slice(0, -".sql".length);
      if (!name.startsWith(FUNCTION_PREFIX) || !/^[a-z0-9_]+$/.test(name)) {
        throw new Error(
          `${path.join(directory, file)}: a function file is named for its function, ${FUNCTION_PREFIX}<name>.sql`,
        );
      }
      const sql = await readFile(path.join(directory, file), "utf8");
      return { name, sql, checksum: sha256(sql) };
    }),
  );
}

/** prisma/ (or a copy): its migrations and its function files. */
export async function readSchemaSources(
  prismaDirectory: string,
): Promise<{ migrations: MigrationFile[]; functions: FunctionFile[] }> {
  const [migrations, functions] = await Promise.all([
    readMigrations(path.join(prismaDirectory, "migrations")),
    readFunctions(path.join(prismaDirectory, "functions")),
  ]);
  return { migrations, functions };
}

export async function applyMigrations(
  executor: SqlExecutor,
  migrations: MigrationFile[],
  functions: FunctionFile[],
  checksumsBeforeFunctionFiles: Readonly<Record<string, string>> = CHECKSUMS_BEFORE_FUNCTION_FILES,
): Promise<MigrationResult> {
  await executor.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_KEY]);
  try {
    await executor.exec(BOOKKEEPING_TABLE);
    const { rows } = await executor.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const done = new Map(rows.map((row) => [row.migration_name, row.checksum]));
    const applied: string[] = [];
    for (const migration of migrations) {
      const previous = done.get(migration.name);
      if (previous !== undefined) {
        if (previous !== migration.checksum && previous !== checksumsBeforeFunctionFiles[migration.name]) {
          throw new Error(
            `Migration ${migration.name} was edited after it was applied (checksum differs). ` +
              `Add a new migration instead of changing an applied one.`,
          );
        }
        continue;
      }
      await executor.exec(
        `BEGIN;\n${migration.sql}\n;\nINSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) ` +
          `VALUES ('${randomUUID()}', '${migration.checksum}', now(), '${migration.name.replace(
            /'/g,
            "''",
          )}', 1);\nCOMMIT;`,
      );
      applied.push(migration.name);
    }
    const { functionsApplied, functionsDropped } = await applyFunctions(executor, functions);
    return { applied, alreadyApplied: done.size, functionsApplied, functionsDropped };
  } catch (error) {
    await executor.exec("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await executor.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_KEY]);
  }
}

/** Runs every function file that is new or changed, and drops cadence_* functions that have no file. Holds the lock. */
async function applyFunctions(
  executor: SqlExecutor,
  functions: FunctionFile[],
): Promise<{ functionsApplied: string[]; functionsDropped: string[] }> {
  await executor.exec(FUNCTIONS_TABLE);
  const { rows } = await executor.query<{ name: string; checksum: string }>(
    `SELECT name, checksum FROM "_cadence_functions"`,
  );
  const recorded = new Map(rows.map((row) => [row.name, row.checksum]));
  const functionsApplied: string[] = [];
  for (const file of functions) {
    if (recorded.get(file.name) === file.checksum) continue;
    // check_function_bodies off, as pg_dump does: a LANGUAGE sql body may call a function whose file comes later.
    await executor.exec(
      [
        "BEGIN;",
        "SET LOCAL check_function_bodies = off;",
        await dropStatements(executor, file.name),
        file.sql,
        ";",
        `INSERT INTO "_cadence_functions" (name, checksum) VALUES ('${file.name}', '${file.checksum}')`,
        "  ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = now();",
        "COMMIT;",
      ].join("\n"),
    );
    functionsApplied.push(file.name);
  }
  const kept = new Set(functions.map((file) => file.name));
  const { rows: present } = await executor.query<{ name: string }>(
    `SELECT DISTINCT p.proname AS name FROM pg_proc p
      WHERE p.pronamespace = current_schema()::regnamespace AND starts_with(p.proname, $1) ORDER BY 1`,
    [FUNCTION_PREFIX],
  );
  const functionsDropped = present.map((row) => row.name).filter((name) => !kept.has(name));
  for (const name of functionsDropped) {
    await executor.exec(
      [
        "BEGIN;",
        await dropStatements(executor, name),
        `DELETE FROM "_cadence_functions" WHERE name = '${name}';`,
        "COMMIT;",
      ].join("\n"),
    );
  }
  return { functionsApplied, functionsDropped };
}

/** DROP statements for every overload of a function, with the triggers that call it. */
async function dropStatements(executor: SqlExecutor, name: string): Promise<string> {
  const { rows } = await executor.query<{ signature: string }>(
    `SELECT format('%I(%s)', p.proname, pg_get_function_identity_arguments(p.oid)) AS signature
       FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace AND p.proname = $1`,
    [name],
  );
  return rows.map((row) => `DROP FUNCTION ${row.signature} CASCADE;`).join("\n");
}
