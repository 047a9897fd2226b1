import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, test } from "vitest";

// A schema change without its migration would work in nobody's database: the app only applies migrations.
test("prisma/schema.prisma and prisma/migrations describe the same database", () => {
  const root = path.resolve(import.meta.dirname, "..", "..");
  const result = spawnSync(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/prisma-new-migration.ts", "--check"], {
    cwd: root,
    encoding: "utf8",
  });
  expect(result.stderr).toBe("");
  expect(result.stdout).toContain("matches the migrations");
  expect(result.status).toBe(0);
}, 120_000);
