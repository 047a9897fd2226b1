import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { stopEmbeddedPostgres } from "~/database/embedded-postgres";

// What every end-to-end test of `npm run demo` or the CLI sets up: a data folder of its own (its own embedded
// PostgreSQL) and a free port, and, afterwards, nothing left running or on disk.

/** A port nothing listens on now, so parallel runs on one machine do not collide. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface ScratchDataDir {
  path: string;
  /** Stops its PostgreSQL if a killed process left it running, then deletes the folder. */
  remove(): Promise<void>;
}

export function scratchDataDir(name: string): ScratchDataDir {
  const folder = mkdtempSync(path.join(tmpdir(), `cadence-e2e-${name}-`));
  return {
    path: folder,
    async remove() {
      await stopEmbeddedPostgres(folder);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
