import { createHash } from "node:crypto";
import pg from "pg";
import { afterEach, describe, expect, test } from "vitest";
import { applyMigrations, readSchemaSources } from "~/database/migrator";
import type { MigrationFile } from "~/database/migrator";
import type { SqlExecutor } from "~/database/sql-executor";
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
      query: async <Row>(text: string, params?: unknown[]) => ({ rows: (await db.query(text, params)).rows as Row[] }),
      exec: async (script) => {
        await db.query(script);
      },
    },
  };
}

const migration = (name: string, sql: string): MigrationFile => ({
  name,
  sql,
  checksum: createHash("sha256").update(sql).digest("hex"),
});
const fn = migration;
const NONE = {};

/** What a test reads back of one function: its result for an argument, and every overload's signature. */
async function callAndSignatures(db: pg.Client, name: string, argument: string) {
  const value = (await db.query<{ value: string }>(`SELECT ${name}(${argument})::text AS value`)).rows[0]?.value;
  const signatures = await db.query<{ signature: string }>(
    `SELECT pg_get_function_identity_arguments(oid) AS signature FROM pg_proc WHERE proname = $1 ORDER BY 1`,
    [name],
  );
  return { value, signatures: signatures.rows.map((row) => row.signature) };
}

describe("the migration runner", () => {
  test("applies the project's migrations once, in Prisma's bookkeeping table", async () => {
    const { db, sql } = await executor();
    const { migrations, functions } = await readSchemaSources("prisma");
    expect(migrations.length).toBeGreaterThan(0);
    const first = await applyMigrations(sql, migrations, functions);
    expect(first.applied).toEqual(migrations.map((m) => m.name));
    expect(first.functionsApplied).toEqual(functions.map((f) => f.name));
    const again = await applyMigrations(sql, migrations, functions);
    expect(again).toEqual({
      applied: [],
      alreadyApplied: migrations.length,
      functionsApplied: [],
      functionsDropped: [],
    });
    // Every cadence_* function in the database is one of the files, and the Flow triggers came with theirs.
    const present = await db.query<{ proname: string }>(
      `SELECT DISTINCT proname FROM pg_proc WHERE proname LIKE 'cadence\\_%' ORDER BY 1`,
    );
    expect(present.rows.map((row) => row.proname)).toEqual(functions.map((f) => f.name));
    const triggers = await db.query<{ tgname: string }>(
      `SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1`,
    );
    expect(triggers.rows.map((row) => row.tgname)).toEqual([
      "cadence_flow_baseline",
      "cadence_flow_segment_transitions",
      "cadence_flow_tier_changes",
    ]);
    const recorded = await db.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(recorded.rows).toEqual(migrations.map((m) => ({ migration_name: m.name, checksum: m.checksum })));
    expect(migrations[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  test("refuses a migration edited after it was applied", async () => {
    const { sql } = await executor();
    await applyMigrations(sql, [migration("001_a", "CREATE TABLE a (id int);")], [], NONE);
    const edited = { ...migration("001_a", "CREATE TABLE a (id bigint);"), checksum: "different" };
    await expect(applyMigrations(sql, [edited], [], NONE)).rejects.toThrow(/001_a was edited after it was applied/);
  });

  test("a failing migration leaves nothing of itself and is not recorded", async () => {
    const { db, sql } = await executor();
    const broken = migration("002_broken", "CREATE TABLE b (id int); INSERT INTO nowhere VALUES (1);");
    await expect(
      applyMigrations(sql, [migration("001_a", "CREATE TABLE a (id int);"), broken], [], NONE),
    ).rejects.toThrow(/nowhere/);
    const tables = await db.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
    );
    expect(tables.rows.map((row) => row.tablename)).toEqual(["_prisma_migrations", "a"]);
    const fixed = migration("002_broken", "CREATE TABLE b (id int);");
    expect(
      (await applyMigrations(sql, [migration("001_a", "CREATE TABLE a (id int);"), fixed], [], NONE)).applied,
    ).toEqual(["002_broken"]);
  });

  test("a migration whose functions moved to files is accepted by its earlier checksum, and no other edit is", async () => {
    const { sql } = await executor();
    const before = migration(
      "001_a",
      "CREATE TABLE a (id int);\nCREATE FUNCTION cadence_one() RETURNS int LANGUAGE sql AS 'SELECT 1';",
    );
    await applyMigrations(sql, [before], [], NONE);
    const moved = migration("001_a", "CREATE TABLE a (id int);");
    const one = fn("cadence_one", "CREATE OR REPLACE FUNCTION cadence_one() RETURNS int LANGUAGE sql AS 'SELECT 1';");
    const result = await applyMigrations(sql, [moved], [one], { "001_a": before.checksum });
    expect(result).toEqual({ applied: [], alreadyApplied: 1, functionsApplied: ["cadence_one"], functionsDropped: [] });
    await expect(applyMigrations(sql, [moved], [one], NONE)).rejects.toThrow(/001_a was edited after it was applied/);
  });

  test("a function file is applied when it changes: a new body, a new signature without the old overload, a deleted file drops it", async () => {
    const { db, sql } = await executor();
    const table = [migration("001_a", "CREATE TABLE a (id int); INSERT INTO a VALUES (1), (2);")];
    const v1 = fn(
      "cadence_count",
      "CREATE OR REPLACE FUNCTION cadence_count(p int) RETURNS bigint LANGUAGE sql AS 'SELECT count(*) + p FROM a';",
    );
    expect((await applyMigrations(sql, table, [v1], NONE)).functionsApplied).toEqual(["cadence_count"]);
    expect(await callAndSignatures(db, "cadence_count", "10")).toEqual({ value: "12", signatures: ["p integer"] });

    expect((await applyMigrations(sql, table, [v1], NONE)).functionsApplied).toEqual([]);

    const v2 = fn(
      "cadence_count",
      "CREATE OR REPLACE FUNCTION cadence_count(p int) RETURNS bigint LANGUAGE sql AS 'SELECT count(*) * p FROM a';",
    );
    expect((await applyMigrations(sql, table, [v2], NONE)).functionsApplied).toEqual(["cadence_count"]);
    expect(await callAndSignatures(db, "cadence_count", "10")).toEqual({ value: "20", signatures: ["p integer"] });

    // A new parameter type and return type: CREATE OR REPLACE alone would refuse the one and keep both overloads.
    const v3 = fn(
      "cadence_count",
      "CREATE OR REPLACE FUNCTION cadence_count(p text) RETURNS text LANGUAGE sql AS 'SELECT p || count(*) FROM a';",
    );
    expect((await applyMigrations(sql, table, [v3], NONE)).functionsApplied).toEqual(["cadence_count"]);
    expect(await callAndSignatures(db, "cadence_count", "'n='")).toEqual({ value: "n=2", signatures: ["p text"] });

    const removed = await applyMigrations(sql, table, [], NONE);
    expect(removed.functionsDropped).toEqual(["cadence_count"]);
    const left = await db.query(`SELECT 1 FROM pg_proc WHERE proname = 'cadence_count'`);
    expect(left.rows).toEqual([]);
  });

  test("a trigger function's file brings its trigger back when the function is replaced; a broken file changes nothing", async () => {
    const { db, sql } = await executor();
    const tables = [migration("001_t", "CREATE TABLE t (id int); CREATE TABLE seen (id int);")];
    const trigger = (body: string) =>
      fn(
        "cadence_seen",
        `CREATE OR REPLACE FUNCTION cadence_seen() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body}; RETURN NULL; END $$;\n` +
          "CREATE OR REPLACE TRIGGER cadence_seen AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION cadence_seen();",
      );
    await applyMigrations(sql, tables, [trigger("INSERT INTO seen VALUES (NEW.id)")], NONE);
    await applyMigrations(sql, tables, [trigger("INSERT INTO seen VALUES (NEW.id * 100)")], NONE);
    await db.query("INSERT INTO t VALUES (7)");
    expect((await db.query("SELECT id FROM seen")).rows).toEqual([{ id: 700 }]);

    const broken = fn("cadence_seen", "CREATE OR REPLACE FUNCTION cadence_seen( RETURNS trigger");
    await expect(applyMigrations(sql, tables, [broken], NONE)).rejects.toThrow(/syntax error/);
    await db.query("INSERT INTO t VALUES (8)");
    expect((await db.query("SELECT id FROM seen ORDER BY id")).rows).toEqual([{ id: 700 }, { id: 800 }]);
  });
});
