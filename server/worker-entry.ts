import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { closeDatabase, migrateDatabase } from "../app/db.server.ts";
import { ensureBuild, SERVER_BUILD } from "./ensure-build.ts";

// A worker process: the build's job workers and nothing else. Started by `npm run worker`, or forked by a server
// (worker-process.ts), in which case it reports "ready" over IPC and exits when its server goes away, however the
// server ended (a SIGKILL closes the IPC channel too), so no worker outlives its server.

type EntryWithBackgroundWork = { startBackgroundWork: () => Promise<() => Promise<void>> };

export async function runWorker(): Promise<void> {
  ensureBuild(() => undefined);
  await migrateDatabase();
  const build = (await import(pathToFileURL(SERVER_BUILD).href)) as ServerBuild;
  const stopWorkers = await (build.entry.module as unknown as EntryWithBackgroundWork).startBackgroundWork();
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await stopWorkers();
      await closeDatabase();
      process.exit(0);
    })());
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  if (process.send) {
    process.once("disconnect", stop);
    process.send({ ready: true });
  } else {
    console.log("Cadence worker running (Ctrl+C to stop).");
  }
}
