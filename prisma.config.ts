// Prisma CLI configuration, for authoring migrations (`npm run db:migration`).
// The CLI runs Prisma's WebAssembly schema engine against PGlite, so authoring a migration needs no native
// engine download and no database server. Applying migrations is not the CLI's job here: the app applies
// prisma/migrations itself (app/database/migrator.ts), identically on PGlite and PostgreSQL.
// See docs/decisions/0002-database-and-migrations.md.
import { defineConfig } from "prisma/config";
import { PGlite } from "@electric-sql/pglite";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  experimental: { adapter: true },
  engine: "js",
  // Same type-only mismatch as in app/db.server.ts (pgliteAdapter): the adapter is built for Prisma 6.10.
  // CADENCE_PRISMA_PGLITE_DIR: a PGlite folder that scripts/prisma-new-migration.ts has migrated to the current
  // history; without it, an empty in-memory database.
  adapter: async () =>
    new PrismaPGlite(new PGlite(process.env.CADENCE_PRISMA_PGLITE_DIR)) as unknown as SqlMigrationAwareDriverAdapterFactory,
});
