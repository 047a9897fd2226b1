// Prisma CLI configuration, for authoring migrations (`npm run db:migration`). The CLI runs Prisma's WebAssembly
// schema engine against an in-memory PGlite, so authoring a migration needs no native engine download and no
// database server. Applying migrations is not the CLI's job here: the app applies prisma/migrations itself
// (app/database/migrator.ts), identically on PGlite and PostgreSQL. See docs/decisions/0002-database-and-migrations.md.
import { defineConfig } from "prisma/config";
import { pgliteForSchemaEngine } from "./prisma/pglite-schema-engine";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => pgliteForSchemaEngine(),
});
