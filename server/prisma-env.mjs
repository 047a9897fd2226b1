// Prisma's CLI checks for native engine binaries and downloads them when missing. Cadence uses the Rust-free
// client (engineType "client") and the WebAssembly schema engine (prisma.config.ts, engine "js"), so neither
// binary is ever executed: pointing the CLI at a placeholder skips a download that fails offline and is
// useless online. See docs/decisions/0002-database-and-migrations.md.
import { mkdirSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export function prismaCliEnv() {
  const dir = path.join(ROOT, "node_modules", ".cache", "cadence");
  const placeholder = path.join(dir, "prisma-engine-not-used");
  if (!existsSync(placeholder)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(placeholder, "Cadence runs Prisma without native engines.\n");
  }
  return {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? placeholder,
    PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? placeholder,
    // The CLI otherwise phones home for update notices.
    CHECKPOINT_DISABLE: "1",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  };
}
