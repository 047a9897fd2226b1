import { config } from "../../app/config.server.ts";
import { closeDatabase, migrateDatabase, SCHEMA_DIR } from "../../app/db.server.ts";

export const summary =
  "Apply prisma/migrations and prisma/functions to the configured database (DATABASE_URL, or the embedded PostgreSQL)";
export const usage = `Usage: npm run cadence -- migrate

Applies every migration in prisma/migrations that the database has not seen, in order, then every function file in
prisma/functions that is new or changed.
Uses DATABASE_URL when set, otherwise the embedded database in CADENCE_DATA_DIR (default ./data).`;

export async function run(): Promise<number> {
  try {
    const result = await migrateDatabase();
    const where = config().databaseUrl ? "DATABASE_URL" : `the embedded database in ${config().dataDir}`;
    console.log(
      result.applied.length
        ? `Applied ${result.applied.length} migration(s) to ${where}: ${result.applied.join(", ")}`
        : `The database (${where}) is up to date: ${result.alreadyApplied} migration(s) from ${SCHEMA_DIR}/migrations`,
    );
    if (result.functionsApplied.length)
      console.log(`Applied ${result.functionsApplied.length} function file(s): ${result.functionsApplied.join(", ")}`);
    if (result.functionsDropped.length)
      console.log(`Dropped function(s) without a file: ${result.functionsDropped.join(", ")}`);
    return 0;
  } finally {
    await closeDatabase();
  }
}
