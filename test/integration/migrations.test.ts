import pg from "pg";
import { afterEach, describe, expect, test } from "vitest";
import { applyMigrations, readMigrations, type MigrationFile } from "../../app/database/migrator";
import type { SqlExecutor } from "../../app/database/sql-executor";
import { scratchDatabase } from "../support/postgres";

// The migration runner on an empty database of the test's own (on each project's server, PostgreSQL 15 included).

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function executor(): Promise<{ db: pg.Client; sql: SqlExecutor }> {
  const scratch = await scratchDatabase("cadence_migrations");
  const db = new pg.Client({ connectionString: scratch.url });
  await db.connect();
  cleanups.push(scratch.drop, () => db.end());
  return {
    db,
    sql: {
      query: async <Row,>(text: string, params?: unknown[]) => ({ rows: (await db.query(text, params)).rows as Row[] }),
      exec: async (script) => {
        await db.query(script);
      },
    },
  };
}

const migration = (name: string, sql: string): MigrationFile => ({ name, sql, checksum: `sum-${sql.length}-${name}` });

describe("the migration runner", () => {
  test("applies the project's migrations once, in Prisma's bookkeeping table", async () => {
    const { db, sql } = await executor();
    const migrations = await readMigrations("prisma/migrations");
    expect(migrations.length).toBeGreaterThan(0);
    const first = await applyMigrations(sql, migrations);
    expect(first.applied).toEqual(migrations.map((m) => m.name));
    const again = await applyMigrations(sql, migrations);
    expect(again).toEqual({ applied: [], alreadyApplied: migrations.length });
    const recorded = await db.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(recorded.rows).toEqual(migrations.map((m) => ({ migration_name: m.name, checksum: m.checksum })));
    expect(migrations[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  test("refuses a migration edited after it was applied", async () => {
    const { sql } = await executor();
    await applyMigrations(sql, [migration("001_a", "CREATE TABLE a (id int);")]);
    const edited = { ...migration("001_a", "CREATE TABLE a (id bigint);"), checksum: "different" };
    await expect(applyMigrations(sql, [edited])).rejects.toThrow(/001_a was edited after it was applied/);
  });

  test("a failing migration leaves nothing of itself and is not recorded", async () => {
    const { db, sql } = await executor();
    const broken = migration("002_broken", "CREATE TABLE b (id int); INSERT INTO nowhere VALUES (1);");
    await expect(applyMigrations(sql, [migration("001_a", "CREATE TABLE a (id int);"), broken])).rejects.toThrow(/nowhere/);
    const tables = await db.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
    expect(tables.rows.map((row) => row.tablename)).toEqual(["_prisma_migrations", "a"]);
    const fixed = migration("002_broken", "CREATE TABLE b (id int);");
    expect((await applyMigrations(sql, [migration("001_a", "CREATE TABLE a (id int);"), fixed])).applied).toEqual(["002_broken"]);
  });
});
