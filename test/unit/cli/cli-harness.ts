import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, vi } from "vitest";
import { parse } from "csv-parse/sync";
import { SHARED_DATA } from "../../support/shared-data";

// Runs a CLI command module in-process and captures what it prints; files go to a temporary folder.

export const DATA = SHARED_DATA;

export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "cadence-cli-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function writeTemp(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

export async function runCommand(command: { run(argv: string[]): Promise<number> }, argv: string[]) {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await command.run(argv);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

export function readCsv(file: string): Array<Record<string, string>> {
  return parse(readFileSync(file, "utf8"), { columns: true }) as Array<Record<string, string>>;
}

/** CDNOW_sample.txt (whitespace-separated: master id, sample id, YYYYMMDD, CDs, dollars) as a `transactions` CSV. */
export function cdnowTransactions(): string {
  const lines = readFileSync(path.join(DATA, "cdnow/CDNOW_sample.txt"), "utf8")
    .split(/\r?\n/)
    .filter((line) => line.trim());
  const rows = lines.map((line) => {
    const [, id, date, , dollars] = line.trim().split(/\s+/) as [string, string, string, string, string];
    return `${Number(id)},${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)},${dollars}`;
  });
  return ["customer_id,date,amount", ...rows].join("\n") + "\n";
}
