// Generates the Prisma client from prisma/schema.prisma. `npm install` runs it (postinstall; npm blocks Prisma's
// own install scripts), and so do the demo, `npm start` and the tests whenever the schema changed since the
// last generation, so a pulled schema change never meets a stale client.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { prismaCliEnv } from "./prisma-env.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SCHEMA = path.join(ROOT, "prisma", "schema.prisma");
const STAMP = path.join(ROOT, "node_modules", ".prisma", "client", "cadence-schema.sha256");

function schemaHash() {
  return createHash("sha256").update(readFileSync(SCHEMA)).digest("hex");
}

export function generatePrismaClient() {
  const result = spawnSync(path.join(ROOT, "node_modules", ".bin", "prisma"), ["generate", "--no-hints"], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
    env: prismaCliEnv(),
  });
  if (result.status === 0) writeFileSync(STAMP, schemaHash());
  return result.status ?? 1;
}

/** Regenerates only when the schema differs from the one the client was generated from. */
export function ensurePrismaClient() {
  if (existsSync(STAMP) && readFileSync(STAMP, "utf8") === schemaHash()) return;
  if (generatePrismaClient() !== 0) throw new Error("prisma generate failed (see above)");
}

// `node server/prisma-generate.mjs [--if-stale]`
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--if-stale")) ensurePrismaClient();
  else process.exit(generatePrismaClient());
}
