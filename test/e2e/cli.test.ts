import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { scratchDataDir } from "../support/demo-env";

// The operator CLI as an operator runs it: `npm run cadence -- …` on an embedded database folder of its own (each
// command starts its PostgreSQL and stops it on the way out, as no demo is running beside it).

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const dataDir = scratchDataDir("cli");
afterAll(() => dataDir.remove());

function cadence(...args: string[]) {
  const result = spawnSync(path.join(ROOT, "node_modules", ".bin", "tsx"), ["scripts/cadence.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, CADENCE_DATA_DIR: dataDir.path, CADENCE_LOG_LEVEL: "silent", DATABASE_URL: "" },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run cadence", () => {
  test("--help lists the commands", () => {
    const { status, stdout } = cadence("--help");
    expect(status).toBe(0);
    expect(stdout).toMatch(/migrate\s+Apply prisma\/migrations/);
    expect(stdout).toMatch(/export\s+Export synced data/);
  });

  test("migrate applies the migrations once, then reports the database up to date", () => {
    const first = cadence("migrate");
    expect(first.stderr).toBe("");
    expect(first.stdout).toMatch(/Applied \d+ migration\(s\) to the embedded database in /);
    const second = cadence("migrate");
    expect(second.stdout).toMatch(/The database \(the embedded database in .+\) is up to date/);
  });

  test("export customers needs a known shop and says what is wrong", () => {
    expect(cadence("export", "customers").stderr).toContain("--shop DOMAIN is required.");
    const unknown = cadence("export", "customers", "--shop", "nobody.myshopify.com");
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('No shop "nobody.myshopify.com" in this database.');
    const format = cadence("export", "customers", "--shop", "x.myshopify.com", "--format", "xml");
    expect(format.status).toBe(2);
    expect(format.stderr).toContain('--format must be csv or json, not "xml".');
  });

  test("sync status needs a known shop and says what is wrong", () => {
    const missing = cadence("sync", "status");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("--shop DOMAIN is required.");
    expect(cadence("sync", "rewind", "--shop", "x.myshopify.com").stderr).toContain('Unknown sync command "rewind"');
    expect(cadence("sync", "status", "--shop", "x.myshopify.com", "--format", "xml").stderr).toContain(
      '--format must be text or json, not "xml".',
    );
    const unknown = cadence("sync", "status", "--shop", "nobody.myshopify.com");
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('No shop "nobody.myshopify.com" in this database.');
  });

  test("an unknown command exits 2 with a pointer to --help", () => {
    const { status, stderr } = cadence("frobnicate");
    expect(status).toBe(2);
    expect(stderr).toContain('Unknown command "frobnicate"');
  });

  test("offers report prints each arm, the lift and the verdict for known numbers", () => {
    const seeded = spawnSync(
      path.join(ROOT, "node_modules", ".bin", "tsx"),
      ["test/e2e/fixtures/seed-offer-report.ts"],
      {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, CADENCE_DATA_DIR: dataDir.path, CADENCE_LOG_LEVEL: "silent", DATABASE_URL: "" },
      },
    );
    expect(seeded.stderr).toBe("");
    const { status, stdout, stderr } = cadence("offers", "report", "--shop", "report.myshopify.com");
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(stdout).toContain("Offers on report.myshopify.com (attribution window 14 days, GBP)");
    expect(stdout).toMatch(/treatment\s+120\s+120\s+1\s+30\s+25\.0%\s+12\.50/);
    expect(stdout).toMatch(/holdout\s+110\s+110\s+0\s+11\s+10\.0%\s+5\.00/);
    expect(stdout).toContain("guests: 1 exposures, 0 clicks");
    expect(stdout).toContain("conversion lift: 15.0 points");
    expect(stdout).toContain("The offer is working");
    // A 30-day window also counts the late decoys' orders: 31 and 12 conversions.
    const wide = JSON.parse(
      cadence("offers", "report", "--shop", "report.myshopify.com", "--window", "30", "--format", "json").stdout,
    );
    expect(wide.offers[0].report.arms.treatment.conversions).toBe(31);
    expect(wide.offers[0].report.arms.holdout.conversions).toBe(12);
  });

  test("offers report needs a known shop and valid options", () => {
    expect(cadence("offers", "report").stderr).toContain("--shop DOMAIN is required.");
    expect(cadence("offers", "report", "--shop", "nobody.myshopify.com").stderr).toContain(
      'No shop "nobody.myshopify.com" in this database.',
    );
    const window = cadence("offers", "report", "--shop", "x.myshopify.com", "--window", "0");
    expect(window.status).toBe(2);
    expect(window.stderr).toContain("--window must be a whole number of days from 1 to 365");
  });
});
