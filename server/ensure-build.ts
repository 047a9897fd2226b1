import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { ensurePrismaClient } from "./prisma-generate.mjs";

// The demo, `npm start` and the integration tests all run the production build of the Remix app. It is rebuilt
// only when a source file is newer than it, so repeated runs start in a second.

const ROOT = path.resolve(import.meta.dirname, "..");
export const SERVER_BUILD = path.join(ROOT, "build", "server", "index.js");
const SOURCES = ["app", "vite.config.ts", "package-lock.json", "tsconfig.json"];

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stats = statSync(target);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

export function buildIsStale(): boolean {
  if (!existsSync(SERVER_BUILD)) return true;
  const built = statSync(SERVER_BUILD).mtimeMs;
  return SOURCES.some((source) => newestMtime(path.join(ROOT, source)) > built);
}

export function ensureBuild(log: (line: string) => void = console.log): void {
  ensurePrismaClient();
  if (!buildIsStale()) return;
  log("Building the app (remix vite:build)…");
  const result = spawnSync(path.join(ROOT, "node_modules", ".bin", "remix"), ["vite:build"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(`The app failed to build:\n${result.stdout}\n${result.stderr}`);
  }
}
