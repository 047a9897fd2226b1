// The database Prisma's WebAssembly schema engine works on when `npm run db:migration` authors a migration: the
// PostgreSQL server in CADENCE_SCHEMA_ENGINE_URL, through the node-postgres driver adapter (docs/decisions/0002).
// Three gaps of @prisma/adapter-pg 6.19 under the schema engine are closed here:
// - its shadow database is dropped while its pool still holds a connection ("being accessed by other users"), so the
//   shadow database is made here and dropped after its pool has closed;
// - it sends a migration file as one prepared statement (refused: "cannot insert multiple commands into a prepared
//   statement"), and its executeScript splits a script on every ";", cutting the migrations' PL/pgSQL function
//   bodies apart, so parameterless SQL goes to PostgreSQL whole, through the simple-query protocol;
// - it refuses result columns of PostgreSQL's `name` and `"char"` types, which the engine's catalogue queries
//   return, so those arrive as text (which is what they hold).
// The server must be PostgreSQL 17 or older: this engine's catalogue reader fails on 18's (it panics).
import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";

const TEXT_OID = 25;
const CATALOGUE_TEXT_OIDS = new Set([18, 19]); // "char", name

type Queryable = { performIO(query: unknown): Promise<{ fields: { dataTypeID: number }[] }> };

function readNamesAsText(queryable: Queryable): void {
  const performIO = queryable.performIO.bind(queryable);
  queryable.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result.fields) if (CATALOGUE_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
    return result;
  };
}

function forSchemaEngine(adapter: SqlDriverAdapter): SqlDriverAdapter {
  readNamesAsText(adapter as unknown as Queryable);
  // PrismaPgAdapter has underlyingDriver() (its pool), though the SqlDriverAdapter type does not declare it.
  const driver = (adapter as unknown as { underlyingDriver(): pg.Pool }).underlyingDriver();
  adapter.executeScript = async (script: string) => {
    await driver.query(script);
  };
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    if (query.args.length > 0) return executeRaw(query);
    const results = (await driver.query(query.sql)) as unknown as pg.QueryResult | pg.QueryResult[];
    return (Array.isArray(results) ? results : [results]).reduce((sum, result) => sum + (result.rowCount ?? 0), 0);
  };
  return adapter;
}

export function schemaEngineAdapter(urlText: string): SqlMigrationAwareDriverAdapterFactory {
  const url = new URL(urlText);
  // Fields, not a connection string, so `database` can be swapped for the shadow's.
  const fields = {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: url.pathname.slice(1) || "postgres",
  };
  const adminQuery = async (sql: string) => {
    const client = new pg.Client(fields);
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const base = new PrismaPg(fields);
  return {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: async () => forSchemaEngine(await base.connect()),
    connectToShadowDb: async () => {
      const name = `cadence_shadow_${randomUUID().replace(/-/g, "")}`;
      await adminQuery(`CREATE DATABASE "${name}"`);
      const shadow = forSchemaEngine(await new PrismaPg({ ...fields, database: name }).connect());
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await dispose();
        await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      };
      return shadow;
    },
  };
}
