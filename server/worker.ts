// `npm run worker`: the job workers on their own (backfill, reconciliation, profile refresh, the nightly pass,
// publishing), for deployments that run web instances with CADENCE_BACKGROUND_WORK=off. `npm start` (and the demo)
// start one of these as their own child process (server/worker-process.ts). Production unless NODE_ENV says
// development, with the same requirements as the server.
import { config, ConfigError, declareProcessRole } from "../app/config.server.ts";
import { runWorker } from "./worker-entry.ts";

declareProcessRole("worker");
try {
  config();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`${error.message}\n\nSee README "Configuration" and docs/deploy.md.`);
  process.exit(1);
}
await runWorker();
