// `npm run db:migration -- NAME`: writes prisma/migrations/<timestamp>_NAME/migration.sql from the difference
// between prisma/schema.prisma and the existing migrations. Prisma's WebAssembly schema engine replays the
// migrations into an in-memory PGlite (prisma.config.ts), so no database server or engine download is needed.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { prismaCliEnv } from "./prisma-env.mjs";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:migration -- snake_case_name");
  process.exit(2);
}
const fs = await import("node:fs");
fs.mkdirSync("prisma/migrations", { recursive: true });
const before = new Set(fs.readdirSync("prisma/migrations"));
const result = spawnSync(path.resolve("node_modules", ".bin", "prisma"), ["migrate", "dev", "--create-only", "--name", name], {
  stdio: "inherit",
  // Read by the CLI's schema validation only; the adapter in prisma.config.ts is what it connects to.
  env: { ...prismaCliEnv(), DATABASE_URL: "postgresql://in-memory-pglite/cadence" },
});
const created = fs.readdirSync("prisma/migrations").filter((entry) => !before.has(entry) && entry !== "migration_lock.toml");
// The WebAssembly engine can report an error while shutting down after writing the file; the file decides.
if (created.length === 0) process.exit(result.status || 1);
console.log(`Created prisma/migrations/${created.join(", ")}. Review it, then run the app: migrations apply on start.`);
