import { closeDatabase, database, migrateDatabase, MIGRATIONS_DIR } from "../../app/db.server.ts";

export const summary = "Apply prisma/migrations to the configured database (PGlite or DATABASE_URL)";
export const usage = `Usage: npm run cadence -- migrate

Applies every migration in prisma/migrations that the database has not seen, in order.
Uses DATABASE_URL when set, otherwise the embedded database in CADENCE_DATA_DIR (default ./data).`;

export async function run(): Promise<number> {
  try {
    const result = await migrateDatabase();
    const engine = database().engine;
    console.log(
      result.applied.length
        ? `Applied ${result.applied.length} migration(s) on ${engine}: ${result.applied.join(", ")}`
        : `Database (${engine}) is up to date: ${result.alreadyApplied} migration(s) from ${MIGRATIONS_DIR}`,
    );
    return 0;
  } finally {
    await closeDatabase();
  }
}
