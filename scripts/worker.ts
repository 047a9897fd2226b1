// `npm run worker`: the job workers on their own (backfill, reconciliation, profile refresh, the nightly pass,
// publishing), for PostgreSQL deployments that run web instances with CADENCE_BACKGROUND_WORK=off. `npm start` on
// PostgreSQL starts one of these as its own child process (scripts/server/worker-process.ts).
import { config, ConfigError } from "../app/config.server.ts";
import { runWorker } from "./server/worker-entry.ts";

try {
  const settings = config();
  if (!settings.databaseUrl) throw new ConfigError("The worker needs DATABASE_URL: on the embedded database, the server runs its background work itself.");
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`${error.message}\n\nSee README "Configuration".`);
  process.exit(1);
}
await runWorker();
