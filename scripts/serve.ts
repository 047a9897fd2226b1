// `npm start`: the production server. Applies pending migrations, then serves the built app.
import { config } from "../app/config.server.ts";
import { migrateDatabase } from "../app/db.server.ts";
import { ensureBuild } from "./server/ensure-build.ts";
import { startServer } from "./server/start-server.ts";

const settings = config(); // fails fast, naming every missing or invalid variable
ensureBuild();
const migrations = await migrateDatabase();
if (migrations.applied.length) console.log(`Applied migrations: ${migrations.applied.join(", ")}`);
const server = await startServer({ port: settings.port, host: process.env.HOST ?? "0.0.0.0" });
console.log(`Cadence listening on ${server.url}`);
