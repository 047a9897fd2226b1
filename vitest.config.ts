import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// Unit tests run once. Integration tests run twice, once per database engine, so every route and query is
// proven on the embedded database (PGlite) and on real PostgreSQL.
const integration = (engine: "pglite" | "postgres") => ({
  extends: true as const,
  test: {
    name: `integration-${engine}`,
    include: ["test/integration/**/*.test.ts"],
    env: { CADENCE_TEST_DB: engine },
    globalSetup: ["test/support/shared-data.ts", "test/support/global-setup.ts"],
    setupFiles: ["test/support/fail-on-console-error.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    globalSetup: ["test/support/shared-data.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts", "test/unit/**/*.test.tsx"],
          setupFiles: ["test/support/fail-on-console-error.ts"],
          // Some unit tests start an in-memory PGlite (seconds on a busy 2-core machine); a guard, not a target.
          testTimeout: 30_000,
        },
      },
      integration("pglite"),
      integration("postgres"),
      {
        // A real Chromium against the real server (test/support/browser.ts); files run one at a time.
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          setupFiles: ["test/support/fail-on-console-error.ts"],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
