import { afterEach } from "vitest";
import { config } from "~/config.server";
import { database } from "~/db.server";
import type { JobName } from "~/queue/queue.server";
import type { SyncJobDeps } from "~/jobs/sync-jobs";
import { createLogger } from "~/logging/logger";
import { createAdminClient } from "~/shopify-admin/client";
import { TokenCipher } from "~/sessions/token-cipher";
import { createCostBuckets } from "~/shopify-admin/cost-bucket";
import { AdminApiMock } from "./shopify-admin-mock";
import type { Resolver } from "./shopify-admin-mock";

// The sync jobs with everything real but Shopify: the test's database, the real Admin client (its waits advance a
// fake clock the mock's cost bucket refills by, so throttling costs no real time), the Admin API mock, and a queue
// that records what a job asks to run next, so the test decides when it runs.

export interface QueuedJob {
  name: JobName;
  data: { shopId: string } & Record<string, unknown>;
  options: { startAfterSeconds?: number; singletonKey?: string } | undefined;
}

export interface SyncHarness {
  mock: AdminApiMock;
  deps: SyncJobDeps;
  queued: QueuedJob[];
  /** Removes and returns the queued jobs of one kind. */
  take(name: JobName): QueuedJob[];
  clock(): number;
}

const openMocks: AdminApiMock[] = [];

// Registered when a test file imports this module: Vitest never runs a hook registered from inside another hook,
// and harnesses are made in beforeAll.
afterEach(() => {
  const invalid = openMocks.flatMap((mock) => mock.invalidDocuments.splice(0));
  if (invalid.length > 0) throw new Error(`Documents invalid against the Admin schemas: ${JSON.stringify(invalid)}`);
});

export function syncHarness(shop: string, resolvers: Record<string, Resolver> = {}): SyncHarness {
  let clock = Date.parse("2026-03-01T00:00:00Z");
  const mock = new AdminApiMock({ shop, accessToken: `shpat_test_${shop}`, now: () => clock, resolvers }).start();
  const queued: QueuedJob[] = [];
  const buckets = createCostBuckets();
  const deps: SyncJobDeps = {
    database: database(),
    access: {
      clientFor: async (syncShop) => {
        const session = await database().prisma.session.findUniqueOrThrow({
          where: { id: `offline_${syncShop.domain}` },
        });
        const { token } = new TokenCipher(config().tokenKeys).open(session.accessToken, {
          sessionId: session.id,
          column: "accessToken",
        });
        return createAdminClient({
          shop: syncShop.domain,
          accessToken: token,
          now: () => clock,
          sleep: async (ms) => {
            clock += ms;
          },
          random: () => 0.5,
          buckets,
          logger: createLogger("silent"),
        });
      },
    },
    enqueue: async (name, data, options) => {
      queued.push({ name, data, options });
    },
    log: createLogger("silent"),
  };
  openMocks.push(mock);
  return {
    mock,
    deps,
    queued,
    take(name) {
      const taken = queued.filter((job) => job.name === name);
      queued.splice(0, queued.length, ...queued.filter((job) => job.name !== name));
      return taken;
    },
    clock: () => clock,
  };
}
