// `npm run db:migration -- NAME`: writes prisma/migrations/<timestamp>_NAME/migration.sql with the SQL that takes
// the database from the existing migrations to prisma/schema.prisma.
// How: the existing migrations are applied to a scratch PGlite folder by the app's own migrator, then Prisma's
// WebAssembly schema engine diffs that database against the schema (prisma.config.ts). `prisma migrate dev`
// cannot be used for this: its shadow-database replay sends whole migration files as one prepared statement,
// which the PGlite adapter refuses. No database server and no engine download are needed.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { applyMigrations, readMigrations } from "../app/database/migrator.ts";
import { prismaCliEnv } from "./prisma-env.mjs";

const MIGRATIONS = path.resolve("prisma", "migrations");
const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:migration -- snake_case_name");
  process.exit(2);
}

const scratch = mkdtempSync(path.join(tmpdir(), "cadence-migration-"));
try {
  const pglite = new PGlite(scratch);
  mkdirSync(MIGRATIONS, { recursive: true });
  await applyMigrations(
    {
      query: async (text, params) => ({ rows: (await pglite.query(text, params)).rows as never[] }),
      exec: async (script) => {
        await pglite.exec(script);
      },
    },
    await readMigrations(MIGRATIONS),
  );
  await pglite.close();

  const diff = spawnSync(
    path.resolve("node_modules", ".bin", "prisma"),
    ["migrate", "diff", "--from-schema-datasource", "prisma/schema.prisma", "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
    {
      encoding: "utf8",
      env: { ...prismaCliEnv(), CADENCE_PRISMA_PGLITE_DIR: scratch, DATABASE_URL: "postgresql://scratch-pglite/cadence" },
    },
  );
  const sql = diff.stdout.slice(diff.stdout.indexOf("--")).trim();
  if (diff.status !== 0 && !sql.includes("--")) {
    console.error(diff.stderr || diff.stdout);
    process.exit(diff.status ?? 1);
  }
  if (!sql || /^-- This is an empty migration\.?$/.test(sql)) {
    console.log("prisma/schema.prisma matches the migrations: nothing to write.");
    process.exit(0);
  }
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const folder = path.join(MIGRATIONS, `${stamp}_${name}`);
  mkdirSync(folder);
  writeFileSync(path.join(folder, "migration.sql"), sql + "\n");
  console.log(`Created ${path.relative(process.cwd(), folder)}/migration.sql. Review it; the app applies it on start.`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
