// `npm run db:migration -- NAME`: writes prisma/migrations/<timestamp>_NAME/migration.sql with the SQL that takes
// a database from the existing migrations to prisma/schema.prisma.
// How: `prisma migrate diff --from-migrations` on Prisma's WebAssembly schema engine, which replays the history
// into an in-memory PGlite shadow database (prisma.config.ts, prisma/pglite-schema-engine.ts). No database server
// and no engine download are needed. `prisma migrate dev` is not used: through a driver adapter its data-loss
// check demands a shadow-database factory the WebAssembly engine does not accept (Prisma 6.19).
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { prismaCliEnv } from "./prisma-env.mjs";

const ROOT = path.resolve(import.meta.dirname, "..");
const MIGRATIONS = path.join(ROOT, "prisma", "migrations");
// `--check` writes nothing and exits 1 when the schema has changes no migration holds (a test runs it).
const check = process.argv[2] === "--check";
const name = process.argv[2];
if (!check && (!name || !/^[a-z0-9_]+$/.test(name))) {
  console.error("Usage: npm run db:migration -- snake_case_name   (or -- --check)");
  process.exit(2);
}

const diff = spawnSync(
  path.join(ROOT, "node_modules", ".bin", "prisma"),
  ["migrate", "diff", "--from-migrations", MIGRATIONS, "--to-schema-datamodel", path.join(ROOT, "prisma", "schema.prisma"), "--script"],
  // DATABASE_URL only satisfies the schema's datasource block; the adapter in prisma.config.ts is what is used.
  { cwd: ROOT, encoding: "utf8", env: { ...prismaCliEnv(), DATABASE_URL: "postgresql://in-memory-pglite/cadence" } },
);
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
