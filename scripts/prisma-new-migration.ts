// `npm run db:migration -- NAME`: writes prisma/migrations/<timestamp>_NAME/migration.sql with the SQL that takes
// a database from the existing migrations to prisma/schema.prisma.
// How: `prisma migrate diff --from-migrations` on Prisma's WebAssembly schema engine, which replays the history
// into a shadow database it creates on a PostgreSQL server: CADENCE_SCHEMA_ENGINE_URL when set (a superuser URL of
// PostgreSQL 15 to 17; the tests pass theirs), otherwise the embedded PostgreSQL 15 build started in a scratch folder
// for the occasion (Prisma 6.19's schema engine cannot read PostgreSQL 18's catalogue). No engine download is needed. `prisma migrate dev` is not used: through a driver adapter its data-loss check demands a
// shadow-database factory the WebAssembly engine does not accept (Prisma 6.19).
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { attachEmbeddedPostgres } from "../app/database/embedded-postgres.ts";
import { postgresBinaries } from "../app/database/postgres-binaries.ts";
import { prismaCliEnv } from "../server/prisma-env.mjs";

const ROOT = path.resolve(import.meta.dirname, "..");
const MIGRATIONS = path.join(ROOT, "prisma", "migrations");
// `--check` writes nothing and exits 1 when the schema has changes no migration holds (a test runs it).
const check = process.argv[2] === "--check";
const name = process.argv[2];
if (!check && (!name || !/^[a-z0-9_]+$/.test(name))) {
  console.error("Usage: npm run db:migration -- snake_case_name   (or -- --check)");
  process.exit(2);
}

const embedded = process.env.CADENCE_SCHEMA_ENGINE_URL
  ? undefined
  : await attachEmbeddedPostgres(path.join(tmpdir(), "cadence-migration-authoring-15"), {
      settings: { fsync: "off" },
      binaries: await postgresBinaries("minimum"),
    });
let diff;
try {
  diff = spawnSync(
    path.join(ROOT, "node_modules", ".bin", "prisma"),
    [
      "migrate",
      "diff",
      "--from-migrations",
      MIGRATIONS,
      "--to-schema-datamodel",
      path.join(ROOT, "prisma", "schema.prisma"),
      "--script",
    ],
    // DATABASE_URL only satisfies the schema's datasource block; the adapter in prisma.config.ts is what is used.
    {
      cwd: ROOT,
      encoding: "utf8",
      env: {
        ...prismaCliEnv(),
        DATABASE_URL: "postgresql://schema-engine/unused",
        CADENCE_SCHEMA_ENGINE_URL: process.env.CADENCE_SCHEMA_ENGINE_URL ?? embedded!.adminUrl,
      },
    },
  );
} finally {
  await embedded?.detach();
}
if (diff.status !== 0) {
  console.error(diff.stderr || diff.stdout);
  process.exit(diff.status ?? 1);
}
const sql = diff.stdout.slice(Math.max(0, diff.stdout.indexOf("--"))).trim();
if (!sql || /^-- This is an empty migration\.?$/.test(sql)) {
  console.log("prisma/schema.prisma matches the migrations: nothing to write.");
  process.exit(0);
}
if (check) {
  console.error(`prisma/schema.prisma has changes that no migration holds; run npm run db:migration -- NAME:\n${sql}`);
  process.exit(1);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const folder = path.join(MIGRATIONS, `${stamp}_${name}`);
mkdirSync(folder);
writeFileSync(path.join(folder, "migration.sql"), sql + "\n");
console.log(`Created ${path.relative(ROOT, folder)}/migration.sql. Review it; the app applies it on start.`);
