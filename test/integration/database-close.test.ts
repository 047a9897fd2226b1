import pg from "pg";
import { beforeAll, expect, test } from "vitest";
import { closeDatabase, database } from "~/db.server";
import { appUnderTest, installTestShop } from "../support/app-under-test";
import { adminUrl } from "../support/postgres";

// closeDatabase() is what a server's shutdown and each test file's clean-up wait on: once it resolves, no session of
// the app's may still be open (a database dropped right after, or a process exiting, would cut one off mid-goodbye),
// and the next database() opens afresh on the same data.

const SHOP = "database-close.myshopify.com";

beforeAll(async () => {
  await installTestShop(await appUnderTest(), SHOP);
});

// Asked on a connection opened beforehand, so the answer comes the moment close() resolves.
async function sessionCounter(): Promise<{ open(databaseName: string): Promise<number>; end(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  return {
    open: async (databaseName) =>
      (
        await admin.query<{ open: number }>(`SELECT count(*)::int AS open FROM pg_stat_activity WHERE datname = $1`, [
          databaseName,
        ])
      ).rows[0]!.open,
    end: () => admin.end(),
  };
}

test("closing waits until every connection is gone; the closed database refuses work, and the next use opens the same data", async () => {
  const before = database();
  // Several connections at once, as a busy server holds.
  await Promise.all(Array.from({ length: 6 }, () => before.transaction((tx) => tx.query("SELECT pg_sleep(0.05)"))));
  const name = new URL(process.env.DATABASE_URL!).pathname.slice(1);
  const sessions = await sessionCounter();
  expect(await sessions.open(name)).toBeGreaterThan(1);

  await closeDatabase();
  const leftOpen = await sessions.open(name);
  await expect(before.sql.query("SELECT 1")).rejects.toThrow();
  await sessions.end();
  expect(leftOpen).toBe(0);
  const after = database();
  expect(after).not.toBe(before);
  expect(await after.prisma.shop.count({ where: { domain: SHOP } })).toBe(1);
});
