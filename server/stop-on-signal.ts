import { closeDatabase } from "../app/db.server.ts";
import type { RunningServer } from "./start-server.ts";

/** SIGTERM or SIGINT closes the server, then the database (the embedded one is stopped by its last user), then exits. */
export function stopOnSignal(server: Pick<RunningServer, "close">): void {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await closeDatabase();
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
