import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

// PGlite is a single-process database: two processes opening one data folder would corrupt it. A pid file
// turns that into a clear error that names the process holding it.

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function acquireEmbeddedLock(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, "pglite.pid");
  let holder: number | undefined;
  try {
    holder = Number(readFileSync(lockPath, "utf8").trim());
  } catch {
    holder = undefined;
  }
  if (holder && holder !== process.pid && isAlive(holder)) {
    throw new Error(
      `The embedded database in ${path.resolve(dataDir)} is in use by process ${holder} (a running demo?). ` +
        `Stop that process first, or set DATABASE_URL to use PostgreSQL.`,
    );
  }
  writeFileSync(lockPath, String(process.pid));
  return () => rmSync(lockPath, { force: true });
}
