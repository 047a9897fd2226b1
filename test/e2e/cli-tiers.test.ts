import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { freePort, scratchDataDir } from "../support/demo-env";
import { startDemo } from "../support/demo-process";

// `npm run cadence -- tiers …` as an operator runs it, on the shop `npm run demo` makes (stopped first, so each
// command starts and stops the embedded PostgreSQL itself, as on an operator's machine). The two changes of issue 16, made the day the demo's pass ran: Silver
// lowered to its keep threshold, then Gold raised tenfold. The preview must show moves, and applying must make them.

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const dataDir = scratchDataDir("cli-tiers");
const files = mkdtempSync(path.join(tmpdir(), "cadence-e2e-tier-files-"));
const SHOP = "e2e-tiers.myshopify.com";
afterAll(async () => {
  await dataDir.remove();
  rmSync(files, { recursive: true, force: true });
});

const env = { CADENCE_DATA_DIR: dataDir.path, CADENCE_LOG_LEVEL: "silent", DATABASE_URL: "" };

function cadence(...args: string[]) {
  const result = spawnSync(path.join(ROOT, "node_modules", ".bin", "tsx"), ["scripts/cadence.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function file(name: string, content: unknown): string {
  const where = path.join(files, name);
  writeFileSync(where, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return where;
}

interface ProgramFile {
  window: unknown;
  combine: string;
  graceDays: number;
  tiers: Array<{
    id: string;
    name: string;
    enter: { spend: string | null; orders: number | null };
    retain: { spend: string | null; orders: number | null };
  }>;
}

let shown: ProgramFile;

beforeAll(async () => {
  const demo = startDemo(["--shop", SHOP, "--customers", "150"], {
    ...env,
    CADENCE_LOG_LEVEL: "warn",
    PORT: String(await freePort()),
  });
  await demo.waitFor(/: \d+ orders, \d+ customers/, 170_000);
  expect(await demo.stop()).toBe(0);
}, 180_000);

const tierCounts = (text: string): Record<string, number> =>
  Object.fromEntries(
    [...text.matchAll(/^(Bronze|Silver|Gold|No tier)\s.*?(\d+)$/gm)].map((match) => [
      match[1] as string,
      Number(match[2]),
    ]),
  );

describe("tiers show", () => {
  test("prints the program file, and in text the tiers lowest first with who holds them", () => {
    const json = cadence("tiers", "show", "--shop", SHOP);
    expect(json.stderr).toBe("");
    expect(json.status).toBe(0);
    shown = JSON.parse(json.stdout) as ProgramFile;
    expect(Object.keys(shown)).toEqual(["window", "combine", "graceDays", "tiers"]);
    expect(shown.window).toEqual({ kind: "rolling", days: 365 });
    expect(shown.tiers.map((tier) => tier.id)).toEqual(["bronze", "silver", "gold"]);
    expect(shown.tiers[1]!.enter.spend).toMatch(/^\d+\.\d\d$/);
    const text = cadence("tiers", "show", "--shop", SHOP, "--format", "text").stdout;
    expect(text).toMatch(/^Loyalty program of e2e-tiers\.myshopify\.com: version 1, suggested from the shop's spend/);
    expect([...text.matchAll(/^(Bronze|Silver|Gold) /gm)].map((match) => match[1])).toEqual([
      "Bronze",
      "Silver",
      "Gold",
    ]);
    const counts = tierCounts(text);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(150);
  });
});

describe("tiers preview and apply: the changes of issue 16", () => {
  test("Silver lowered: the preview shows moves up; applying makes exactly them; show prints what was applied", () => {
    const program = structuredClone(shown);
    const silver = program.tiers[1]!;
    silver.enter.spend = silver.retain.spend;
    const where = file("silver.json", program);
    const preview = cadence("tiers", "preview", "--shop", SHOP, "--program", where, "--format", "json");
    expect(preview.stderr).toBe("");
    const counts = JSON.parse(preview.stdout) as {
      customers: number;
      up: number;
      down: number;
      downAfterGrace: number;
      stay: number;
      moves: Array<{ from: string | null; to: string; on: string; customers: number }>;
    };
    expect(Object.keys(counts)).toEqual(["customers", "up", "down", "downAfterGrace", "stay", "moves"]);
    expect(counts.customers).toBe(150);
    expect(counts.up).toBeGreaterThan(0);
    expect(counts.moves.every((move) => move.to === "silver")).toBe(true);
    const text = cadence("tiers", "preview", "--shop", SHOP, "--program", where).stdout;
    expect(text).toMatch(/^ {2}Silver \d+ → \d+ now$/m);

    const applied = cadence("tiers", "apply", "--shop", SHOP, "--program", where);
    expect(applied.stderr).toBe("");
    expect(applied.status).toBe(0);
    expect(applied.stdout).toContain(`: up ${counts.up}, down ${counts.down}.`);
    for (const move of counts.moves)
      expect(applied.stdout).toContain(
        `${move.from === null ? "No tier" : move.from[0]!.toUpperCase() + move.from.slice(1)} → Silver: ${
          move.customers
        }`,
      );
    expect(JSON.parse(cadence("tiers", "show", "--shop", SHOP).stdout)).toEqual(program);
    const again = JSON.parse(
      cadence("tiers", "preview", "--shop", SHOP, "--program", where, "--format", "json").stdout,
    );
    expect(again).toMatchObject({ up: 0, down: 0, downAfterGrace: 0, stay: 150, moves: [] });
  });

  test("Gold raised tenfold: the preview shows every Gold customer moving down when the grace period ends; applying starts it, the pass on that day makes the moves", () => {
    const program = JSON.parse(cadence("tiers", "show", "--shop", SHOP).stdout) as ProgramFile;
    const gold = program.tiers[2]!;
    const golds = tierCounts(cadence("tiers", "show", "--shop", SHOP, "--format", "text").stdout).Gold!;
    expect(golds).toBeGreaterThan(0);
    gold.enter.spend = gold.retain.spend = (Number(gold.enter.spend) * 10).toFixed(2);
    const where = file("gold.json", program);
    const counts = JSON.parse(
      cadence("tiers", "preview", "--shop", SHOP, "--program", where, "--format", "json").stdout,
    );
    expect(counts).toMatchObject({ up: 0, down: 0, downAfterGrace: golds });
    const graceEnd = counts.moves[0].on as string;
    expect(
      counts.moves.every((move: { from: string; on: string }) => move.from === "gold" && move.on === graceEnd),
    ).toBe(true);
    expect(cadence("tiers", "preview", "--shop", SHOP, "--program", where).stdout).toMatch(
      new RegExp(`^ {2}Gold ${golds} → 0 when the 30-day grace period ends on \\d+ \\w+ \\d{4}$`, "m"),
    );

    const applied = cadence("tiers", "apply", "--shop", SHOP, "--program", where);
    expect(applied.stdout).toContain(": up 0, down 0.");
    expect(applied.stdout).toContain(
      `In the grace period: ${golds} below their tier's new keep threshold move down on`,
    );
    const dayBefore = new Date(Date.parse(`${graceEnd}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    expect(cadence("recompute", "--shop", SHOP, "--as-of", dayBefore).stdout).toMatch(/ 0 tier changes/);
    expect(cadence("recompute", "--shop", SHOP, "--as-of", graceEnd).stdout).toMatch(
      new RegExp(` ${golds} tier changes`),
    );
    const after = cadence("tiers", "show", "--shop", SHOP, "--format", "text").stdout;
    expect(tierCounts(after).Gold).toBe(0);
  });

  test("export customers keeps its tier column", () => {
    const rows = JSON.parse(cadence("export", "customers", "--shop", SHOP, "--format", "json").stdout) as Array<
      Record<string, unknown>
    >;
    expect(rows).toHaveLength(150);
    expect(rows.every((row) => "tier" in row)).toBe(true);
    const tiers = new Set(rows.map((row) => row.tier || "none"));
    expect(tiers).toContain("Silver");
    expect([...tiers].every((tier) => ["Bronze", "Silver", "none"].includes(tier as string))).toBe(true);
    const csv = cadence("export", "customers", "--shop", SHOP).stdout;
    expect(csv.split("\n")[0]!.split(",")).toContain("tier");
  });
});

describe("a bad program file exits 2 naming the field; nothing is saved", () => {
  const bad = (name: string, change: (program: ProgramFile) => unknown) => file(name, change(structuredClone(shown)));
  test.each([
    [
      "spend as a number",
      (p: ProgramFile) => (((p.tiers[1]!.enter as { spend: unknown }).spend = 150), p),
      /tiers\[1\]\.enter\.spend: expected an amount in GBP as a string, like "150\.00", or null, not 150/,
    ],
    [
      "three decimals",
      (p: ProgramFile) => ((p.tiers[1]!.enter.spend = "150.005"), p),
      /tiers\[1\]\.enter\.spend: "150\.005" is not an amount in GBP/,
    ],
    [
      "an unknown field",
      (p: ProgramFile) => ({ ...p, tiers: p.tiers.map((t, i) => (i === 2 ? { ...t, colour: "gold" } : t)) }),
      /tiers\[2\]\.colour: unknown field/,
    ],
    ["no grace period", (p: ProgramFile) => ({ ...p, graceDays: undefined }), /graceDays: missing/],
    [
      "keep above enter",
      (p: ProgramFile) => ((p.tiers[1]!.retain.spend = "99999.00"), p),
      /tiers\[1\]\.retain\.spend: the retain threshold cannot be above the enter threshold/,
    ],
    [
      "a window of no days",
      (p: ProgramFile) => ({ ...p, window: { kind: "rolling", days: 0 } }),
      /window\.days: must be at least 1/,
    ],
    [
      "orders of 0",
      (p: ProgramFile) => ((p.tiers[0]!.enter.orders = 0), p),
      /tiers\[0\]\.enter\.orders: must be at least 1/,
    ],
  ])("%s", (name, change, message) => {
    // apply reads the file as preview does (one parser); it is run on one of them.
    for (const command of name === "keep above enter" ? ["preview", "apply"] : ["preview"]) {
      const result = cadence("tiers", command, "--shop", SHOP, "--program", bad(`${name}.json`, change));
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe("");
    }
  });

  test("not JSON, no file, and bad arguments", () => {
    const notJson = cadence("tiers", "preview", "--shop", SHOP, "--program", file("broken.json", "{ window: "));
    expect([notJson.status, notJson.stderr]).toEqual([
      2,
      expect.stringMatching(/broken\.json: \(the file\): not JSON/),
    ]);
    const missing = cadence("tiers", "apply", "--shop", SHOP, "--program", path.join(files, "nowhere.json"));
    expect([missing.status, missing.stderr]).toEqual([2, expect.stringContaining("cannot read it (ENOENT)")]);
    expect(cadence("tiers", "preview", "--shop", SHOP).stderr).toContain("--program FILE is required");
    expect(cadence("tiers", "show").stderr).toContain("--shop DOMAIN is required.");
    expect(cadence("tiers", "show", "--shop", SHOP, "--format", "xml").stderr).toContain(
      '--format must be json or text, not "xml".',
    );
    expect(cadence("tiers", "rename", "--shop", SHOP).status).toBe(2);
    expect(cadence("tiers", "show", "--shop", "nobody.myshopify.com")).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('No shop "nobody.myshopify.com"'),
    });
    const versions = JSON.parse(cadence("tiers", "show", "--shop", SHOP).stdout) as ProgramFile;
    expect(versions.tiers[2]!.enter.spend).not.toBe("99999.00");
  });
});
