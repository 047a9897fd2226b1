// `npm start`: the production server. Applies pending migrations, seals session tokens with the current key, then
// serves the built app.
import { config, ConfigError } from "../app/config.server.ts";
import { db, migrateDatabase } from "../app/db.server.ts";
import { reportReencryption } from "./server/seal-tokens.ts";
import { ensureBuild } from "./server/ensure-build.ts";
import { startServer } from "./server/start-server.ts";

let settings;
try {
  settings = config(); // fails fast, naming every missing or invalid variable
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`${error.message}\n\nSee README "Configuration".`);
  process.exit(1);
}
ensureBuild();
const migrations = await migrateDatabase();
if (migrations.applied.length) console.log(`Applied migrations: ${migrations.applied.join(", ")}`);
await reportReencryption(db(), settings.tokenKeys);
const server = await startServer({ port: settings.port, host: process.env.HOST ?? "0.0.0.0" });
console.log(`Cadence listening on ${server.url}`);
