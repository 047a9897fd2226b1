import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ConfigError, parseConfig } from "~/config.server";
import { enqueue, JOBS, stopJobQueue } from "~/queue/queue.server";
import { startServer } from "../../server/start-server";
import type { RunningServer } from "../../server/start-server";
import { appUnderTest, installTestShop, webhookRequest } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { childProcesses, isRunning } from "../support/processes";
import { sharedDataPath } from "../support/shared-data";

// Where a server runs its job workers (CADENCE_BACKGROUND_WORK): by default in a worker process of its own, at a lower
// priority, so a full pass never holds up a webhook's answer, on the embedded database as on any other. The jobs run
// there, and stopping the server stops them.

const SHOP = "background-work.myshopify.com";
let app: AppUnderTest;
let shopId: string;
let server: RunningServer | undefined;

const workerChildren = () =>
  childProcesses(process.pid).filter((child) => child.commandLine.includes("server/worker.ts"));

async function eventually<T>(probe: () => Promise<T | null | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  app = await appUnderTest();
  shopId = await installTestShop(app, SHOP);
  const body = JSON.parse(readFileSync(sharedDataPath("shopify-webhooks", "2026-04", "orders", "create.json"), "utf8"));
  Object.assign(body, {
    id: 9600000001,
    admin_graphql_api_id: "gid://shopify/Order/9600000001",
    test: false,
    cancelled_at: null,
  });
  expect(
    (await app.handle(webhookRequest({ shop: SHOP, topic: "orders/create", body: JSON.stringify(body) }))).status,
  ).toBe(200);
});
afterAll(async () => {
  await server?.close();
  await stopJobQueue();
});

describe("the server's background work", () => {
  test(
    "runs in a worker process at a lower priority, runs the queued jobs there, and stops with the server",
    { timeout: 120_000 },
    async () => {
      server = await startServer({ port: 0 });
      const children = workerChildren();
      expect(children).toHaveLength(1);
      expect(children[0]!.niceness).toBe(10);

      await enqueue(JOBS.fullPass, { shopId }, { singletonKey: shopId });
      const model = await eventually(
        () => app.prisma.modelState.findUnique({ where: { shopId } }),
        "the queued full pass",
      );
      expect(model.customers).toBeGreaterThan(0);

      await server.close();
      server = undefined;
      for (const child of children) expect(isRunning(child.pid)).toBe(false);
    },
  );

  test("a worker process is the default on every database; another mode is named or refused with the variable", () => {
    const local = { NODE_ENV: "development" };
    expect(parseConfig(local).backgroundWork).toBe("process");
    expect(parseConfig({ ...local, DATABASE_URL: "postgresql://db/cadence" }).backgroundWork).toBe("process");
    expect(parseConfig({ ...local, CADENCE_BACKGROUND_WORK: "off" }).backgroundWork).toBe("off");
    expect(parseConfig({ ...local, CADENCE_BACKGROUND_WORK: "inline" }).backgroundWork).toBe("inline");
    expect(() => parseConfig({ ...local, CADENCE_BACKGROUND_WORK: "threads" })).toThrow(ConfigError);
    expect(() => parseConfig({ ...local, CADENCE_BACKGROUND_WORK: "threads" })).toThrow(
      /CADENCE_BACKGROUND_WORK: must be process, inline or off/,
    );
  });
});
