// `npm start`: the production server. Applies pending migrations, seals session tokens with the current key, then
// serves the built app. Production unless NODE_ENV says development (app/config.server.ts): without real secrets it
// refuses to start, naming each one.
import { config, ConfigError, declareProcessRole } from "../app/config.server.ts";
import { database, migrateDatabase } from "../app/db.server.ts";
import { reportReencryption } from "./seal-tokens.ts";
import { ensureBuild } from "./ensure-build.ts";
import { startServer } from "./start-server.ts";
import { stopOnSignal } from "./stop-on-signal.ts";

declareProcessRole("server");
let settings;
try {
  settings = config(); // fails fast, naming every missing or invalid variable
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`${error.message}\n\nSee README "Configuration" and docs/deploy.md.`);
  process.exit(1);
}
ensureBuild();
const migrations = await migrateDatabase();
if (migrations.applied.length) console.log(`Applied migrations: ${migrations.applied.join(", ")}`);
await reportReencryption(database().prisma, settings.tokenKeys);
const server = await startServer({ port: settings.port, host: process.env.HOST ?? "0.0.0.0" });
console.log(`Cadence listening on ${server.url}${settings.development ? ` (${settings.nodeEnv})` : ""}`);
stopOnSignal(server);
