import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { database } from "~/db.server";
import { readFileSync as readShared } from "node:fs";
import { getLoyaltyProgram, setTierOverride } from "~/recompute/loyalty.server";
import { runFullPass } from "~/recompute/full-pass.server";
import { refreshCustomers } from "~/recompute/refresh.server";
import { sharedDataPath } from "../support/shared-data";
import { webhookRequest } from "../support/app-under-test";
import { appUnderTest, installTestShop } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { until } from "../support/processes";
import { AS_OF, HISTORY_END, seedGeneratedShop } from "./generated-shop";

// Exactly once across a real crash: a dispatcher process is killed with SIGKILL while Shopify (a mock in that
// process, writing what it receives to a file) has run its first request and the answer is still on its way. A new
// process then dispatches the shop: the triggers Shopify already had are not sent again (they are "unconfirmed",
// for the merchant to decide), the rest are sent once, and none is lost; among them an order's tier change and its
// customer's entry into a segment, one trigger each.

const SHOP = "flow-crash.myshopify.com";
const ROOT = path.resolve(import.meta.dirname, "..", "..");
const FREQUENT = "custom:frequent";
let app: AppUnderTest;
let shopId: string;
let lifted: string;
const folder = mkdtempSync(path.join(tmpdir(), "cadence-flow-crash-"));
const receipts = path.join(folder, "received.jsonl");
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function dispatcher(mode: "stall" | "normal") {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "test/support/child/flow-dispatch.ts", shopId, SHOP, receipts, mode],
    {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: "test", CADENCE_LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

const received = () =>
  existsSync(receipts)
    ? readFileSync(receipts, "utf8")
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as { handle: string; customer: string; segment: string | null; pid: number })
    : [];

beforeAll(async () => {
  app = await appUnderTest();
  shopId = await installTestShop(app, SHOP);
  await seedGeneratedShop(app, SHOP, 40);
  await app.prisma.segmentDefinition.create({
    data: { shopId, key: FREQUENT, name: "Frequent buyers", rule: { field: "orders", op: "gte", value: 4 } },
  });
  await runFullPass(database(), shopId, { asOf: AS_OF });
  // Thirty staff overrides after the first pass: thirty tier triggers, two requests' worth.
  const program = (await getLoyaltyProgram(app.prisma, shopId))!.program;
  const customers = await app.prisma.customerProfile.findMany({
    where: { shopId },
    orderBy: { customerShopifyId: "asc" },
    take: 30,
  });
  for (const customer of customers) {
    const target = program.tiers.find((tier) => tier.id !== customer.tierId)!;
    await setTierOverride(
      app.database,
      shopId,
      customer.customerShopifyId,
      { tierId: target.id, reason: "Crash test" },
      { asOf: AS_OF + 1 },
    );
  }
  expect(await app.prisma.flowTrigger.count({ where: { shopId, kind: "tier-changed" } })).toBe(30);
  // And an order the next day that lifts another customer to the top tier and into the custom segment.
  const top = program.tiers.at(-1)!;
  const candidate = await app.prisma.customerProfile.findFirstOrThrow({
    where: { shopId, orders: 3, NOT: { tierId: top.id } },
    orderBy: { customerShopifyId: "desc" },
  });
  lifted = candidate.customerShopifyId;
  expect(customers.map((customer) => customer.customerShopifyId)).not.toContain(lifted);
  const body = JSON.parse(readShared(sharedDataPath("shopify-webhooks", "2026-04", "orders", "create.json"), "utf8"));
  const processed = new Date(HISTORY_END.getTime() + 3_600_000).toISOString();
  Object.assign(body, {
    id: 9300000001,
    admin_graphql_api_id: "gid://shopify/Order/9300000001",
    test: false,
    cancelled_at: null,
    financial_status: "paid",
    subtotal_price: "9000.00",
  });
  Object.assign(body, { processed_at: processed, created_at: processed, updated_at: processed });
  body.subtotal_price_set.shop_money.amount = "9000.00";
  for (const [index, line] of body.line_items.entries())
    line.admin_graphql_api_id = `gid://shopify/LineItem/9300000001${index}`;
  body.customer.admin_graphql_api_id = `gid://shopify/Customer/${lifted}`;
  body.customer.id = "__CUSTOMER_ID__";
  expect(
    (
      await app.handle(
        webhookRequest({
          shop: SHOP,
          topic: "orders/create",
          body: JSON.stringify(body).replace('"__CUSTOMER_ID__"', lifted),
        }),
      )
    ).status,
  ).toBe(200);
  await refreshCustomers(app.database, shopId, [lifted], { asOf: AS_OF + 1 });
}, 180_000);

test(
  "a dispatcher killed mid-request: nothing sent twice, nothing lost, the uncertain batch left to the merchant",
  { timeout: 180_000 },
  async () => {
    const first = dispatcher("stall");
    await until(
      () => existsSync(receipts) && readFileSync(receipts, "utf8").includes("stalled"),
      "the first request to reach Shopify",
      90_000,
    );
    first.child.kill("SIGKILL");
    await first.exited;
    expect(first.child.signalCode).toBe("SIGKILL");
    const beforeRestart = received();
    expect(beforeRestart).toHaveLength(25);
    expect(await app.prisma.flowTrigger.count({ where: { shopId, state: "sending" } })).toBe(25);

    const second = dispatcher("normal");
    expect(await second.exited, second.output()).toBe(0);
    const result = JSON.parse(second.output().trim().split("\n").at(-1)!) as {
      orphans: { unconfirmed: number; requeued: number };
      sent: number;
    };
    const total = await app.prisma.flowTrigger.count({ where: { shopId } });
    expect(result.orphans).toEqual({ requeued: 0, unconfirmed: 25 });
    expect(result.sent).toBe(total - 25);

    // Every trigger reached Shopify exactly once: the killed process's 25 and the restarted one's rest.
    const all = received();
    expect(all).toHaveLength(total);
    expect(new Set(all.map((trigger) => `${trigger.handle} ${trigger.customer} ${trigger.segment}`)).size).toBe(total);
    expect(all.filter((trigger) => trigger.pid === second.child.pid)).toHaveLength(total - 25);
    expect(
      all.filter((trigger) => trigger.customer === lifted && trigger.handle === "customer-tier-changed"),
    ).toHaveLength(1);
    expect(
      all.filter(
        (trigger) =>
          trigger.customer === lifted && trigger.handle === "customer-entered-segment" && trigger.segment === FREQUENT,
      ),
    ).toHaveLength(1);
    const states = await app.prisma.flowTrigger.groupBy({ by: ["state"], where: { shopId }, _count: { _all: true } });
    expect(Object.fromEntries(states.map((row) => [row.state, row._count._all]))).toEqual({
      sent: total - 25,
      unconfirmed: 25,
    });
  },
);
