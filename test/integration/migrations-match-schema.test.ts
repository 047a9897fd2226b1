import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, test } from "vitest";
import { adminUrl } from "../support/postgres";

// A schema change without its migration would work in nobody's database: the app only applies migrations. Runs in the
// PostgreSQL 15 leg, whose server is one Prisma's schema engine can read (scripts/prisma-new-migration.ts).
test("prisma/schema.prisma and prisma/migrations describe the same database", () => {
  const root = path.resolve(import.meta.dirname, "..", "..");
  const result = spawnSync(
    path.join(root, "node_modules", ".bin", "tsx"),
    ["scripts/prisma-new-migration.ts", "--check"],
    {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, CADENCE_SCHEMA_ENGINE_URL: adminUrl("minimum") },
    },
  );
  expect(result.stderr).toBe("");
  expect(result.stdout).toContain("matches the migrations");
  expect(result.status).toBe(0);
}, 120_000);
