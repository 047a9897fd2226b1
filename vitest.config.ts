import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// Every project shares one global set-up (test/support/global-setup.ts): the app's production build, the test
// PostgreSQL servers (embedded from npm unless CADENCE_TEST_POSTGRES_URL names one) and the browser.
const SETUP = ["test/support/shared-data.ts", "test/support/global-setup.ts"];

// The integration files whose SQL is most particular (the ingest functions, the full pass's bulk statements, the
// members queries, publishing's diff, the migration history itself) run a second time on PostgreSQL 15, the oldest
// release Cadence supports (docs/deploy.md), so nothing newer creeps into the migrations or queries.
const POSTGRES_15_LEG = [
  "test/integration/migrations.test.ts",
  "test/integration/migrations-match-schema.test.ts",
  "test/integration/ingest.test.ts",
  "test/integration/order-batches.test.ts",
  "test/integration/backfill.test.ts",
  "test/integration/recompute.test.ts",
  "test/integration/recompute-programs.test.ts",
  "test/integration/admin-segments.test.ts",
  "test/integration/publisher.test.ts",
  "test/integration/privacy.test.ts",
  "test/integration/flow-triggers.test.ts",
];

const integration = (name: string, include: string[], database: "postgres" | "postgres15", exclude: string[] = []) => ({
  extends: true as const,
  test: {
    name,
    include,
    exclude,
    env: { CADENCE_TEST_DB: database },
    setupFiles: ["test/support/fail-on-console-error.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    globalSetup: SETUP,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts", "test/unit/**/*.test.tsx"],
          setupFiles: ["test/support/fail-on-console-error.ts"],
          // A few unit tests start Chromium or a local server (seconds on a busy 2-core machine); a guard, not a target.
          testTimeout: 30_000,
        },
      },
      // The schema check needs a server Prisma's schema engine can read (15 to 17): the 15 leg only.
      integration("integration", ["test/integration/**/*.test.ts"], "postgres", [
        "test/integration/migrations-match-schema.test.ts",
      ]),
      integration("integration-pg15", POSTGRES_15_LEG, "postgres15"),
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
