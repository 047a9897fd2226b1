import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, test } from "vitest";

// A shop with years of history sends a bulk file of hundreds of thousands of orders. The backfill reads it as a
// stream: memory stays flat whatever the file's size. The parse runs in a child process with a 96 MB heap limit,
// far below the file's size, and reports its heap after garbage collection every 50,000 lines.

const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");
const ORDERS = 100_000;

describe("bulk JSONL in bounded memory", () => {
  test(
    `${ORDERS.toLocaleString("en")} orders and their line items parse with a flat heap`,
    { timeout: 120_000 },
    () => {
      const child = spawnSync(
        path.join(ROOT, "node_modules", ".bin", "node"),
        [
          "--expose-gc",
          "--max-old-space-size=96",
          "--import",
          "tsx",
          "test/support/child/parse-large-bulk.ts",
          String(ORDERS),
        ],
        { cwd: ROOT, encoding: "utf8" },
      );
      expect(child.status, child.stderr).toBe(0);
      const seen = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as {
        roots: number;
        children: number;
        bytes: number;
        lineAmountMinor: number;
        maxHeapGrowthBytes: number;
      };
      expect(seen.roots).toBe(ORDERS);
      expect(seen.children).toBe(2 * ORDERS);
      expect(seen.lineAmountMinor).toBe(ORDERS * (3000 + 1250));
      expect(seen.bytes).toBeGreaterThan(100 * 2 ** 20);
      expect(seen.maxHeapGrowthBytes).toBeLessThan(16 * 2 ** 20);
    },
  );
});
