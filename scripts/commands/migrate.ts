import { config } from "../../app/config.server.ts";
import { closeDatabase, migrateDatabase, MIGRATIONS_DIR } from "../../app/db.server.ts";

export const summary = "Apply prisma/migrations to the configured database (DATABASE_URL, or the embedded PostgreSQL)";
export const usage = `Usage: npm run cadence -- migrate

Applies every migration in prisma/migrations that the database has not seen, in order.
Uses DATABASE_URL when set, otherwise the embedded database in CADENCE_DATA_DIR (default ./data).`;

export async function run(): Promise<number> {
  try {
    const result = await migrateDatabase();
    const where = config().databaseUrl ? "DATABASE_URL" : `the embedded database in ${config().dataDir}`;
    console.log(
      result.applied.length
        ? `Applied ${result.applied.length} migration(s) to ${where}: ${result.applied.join(", ")}`
        : `The database (${where}) is up to date: ${result.alreadyApplied} migration(s) from ${MIGRATIONS_DIR}`,
    );
    return 0;
  } finally {
    await closeDatabase();
  }
}
