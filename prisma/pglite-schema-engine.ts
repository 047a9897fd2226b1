// The database Prisma's WebAssembly schema engine works on when `npm run db:migration` authors a migration: an
// in-memory PGlite, so authoring needs no server and no engine download (docs/decisions/0002).
// pglite-prisma-adapter 0.6 sends every statement as a prepared statement, which PostgreSQL refuses for a
// multi-statement migration file ("cannot insert multiple commands into a prepared statement") when the engine
// replays the history into its shadow database; and its executeScript does not await the script. Parameterless
// statements go through PGlite's simple-query protocol instead, which accepts whole scripts.
import { PGlite } from "@electric-sql/pglite";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";

function acceptScripts(adapter: SqlDriverAdapter, pglite: PGlite): SqlDriverAdapter {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query: SqlQuery) => {
    if (query.args.length > 0) return executeRaw(query);
    const results = await pglite.exec(query.sql);
    return results.reduce((sum, result) => sum + (result.affectedRows ?? 0), 0);
  };
  adapter.executeScript = async (script: string) => {
    await pglite.exec(script);
  };
  return adapter;
}

export function pgliteForSchemaEngine(): SqlMigrationAwareDriverAdapterFactory {
  const main = new PGlite();
  // Same type-only mismatch as in app/db.server.ts (pgliteAdapter): the adapter is built for Prisma 6.10.
  const base = new PrismaPGlite(main) as unknown as SqlMigrationAwareDriverAdapterFactory;
  return {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: async () => acceptScripts(await base.connect(), main),
    connectToShadowDb: async () => {
      const shadow = new PGlite();
      return acceptScripts(await (new PrismaPGlite(shadow) as unknown as SqlMigrationAwareDriverAdapterFactory).connect(), shadow);
    },
  };
}
