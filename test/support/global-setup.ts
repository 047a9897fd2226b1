import type { TestProject } from "vitest/node";
import { applyMigrations, readMigrations } from "../../app/database/migrator";
import { ensureBuild } from "../../scripts/server/ensure-build";
import { databaseUrl, recreateDatabase, TEMPLATE_DATABASE, withAdminClient } from "./postgres";
import pg from "pg";

// Runs once per integration project: the production build of the app, and (for PostgreSQL) a migrated template.
export default async function setup(project: TestProject) {
  ensureBuild(() => undefined);
  if (project.config.env?.CADENCE_TEST_DB !== "postgres") return;
  await withAdminClient(async (admin) => {
    await recreateDatabase(admin, TEMPLATE_DATABASE);
  });
  const client = new pg.Client({ connectionString: databaseUrl(TEMPLATE_DATABASE) });
  await client.connect();
  try {
    await applyMigrations(
      {
        query: async (text, params) => ({ rows: (await client.query(text, params)).rows }),
        exec: async (script) => {
          await client.query(script);
        },
      },
      await readMigrations("prisma/migrations"),
    );
  } finally {
    await client.end();
  }
}
