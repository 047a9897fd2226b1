import { openSync, closeSync, readFileSync, rmSync, writeSync } from "node:fs";

// A lock between processes on one machine: a file created exclusively, holding its owner's pid. A lock whose owner
// died (SIGKILL) is taken over. Written here because the only need is a few lines around the embedded database's
// start and stop; lock libraries add retries and mtime heartbeats we have no use for.

function ownerAlive(lockPath: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(lockPath, "utf8").trim());
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Resolves with a release function once this process holds the lock; rejects after `timeoutMs`. */
export async function acquireFileLock(lockPath: string, timeoutMs: number): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    // An empty file is a lock being written this instant: only a file naming a dead process is stale.
    let stale = false;
    try {
      stale = readFileSync(lockPath, "utf8").trim() !== "" && !ownerAlive(lockPath);
    } catch {
      stale = false;
    }
    if (stale) {
      rmSync(lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${lockPath} (held by another process)`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
