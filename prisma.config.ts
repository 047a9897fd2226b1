// Prisma CLI configuration, for authoring migrations (`npm run db:migration`). The CLI runs Prisma's WebAssembly
// schema engine through the node-postgres driver adapter, so authoring a migration needs no native engine download;
// scripts/prisma-new-migration.ts gives it a PostgreSQL server (the embedded one, in a scratch folder) in
// CADENCE_SCHEMA_ENGINE_URL, where it creates and drops its shadow database. Applying migrations is not the CLI's job:
// the app applies prisma/migrations itself (app/database/migrator.ts). See docs/decisions/0002-database-and-migrations.md.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  experimental: { adapter: true },
  engine: "js",
  // Imported only when a command needs a database (`prisma generate` does not).
  adapter: async () =>
    (await import("./prisma/schema-engine-adapter")).schemaEngineAdapter(
      process.env.CADENCE_SCHEMA_ENGINE_URL ?? "postgresql://unset",
    ),
});
