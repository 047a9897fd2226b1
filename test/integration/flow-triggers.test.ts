import { orderBody } from "../support/webhook-payloads";
import { beforeAll, describe, expect, test } from "vitest";
import { database } from "~/db.server";
import { flowJobs } from "~/jobs/flow-jobs";
import type { FlowJobDeps } from "~/jobs/flow-jobs";
import { JOBS } from "~/queue/queue.server";
import {
  changeLoyaltyProgram,
  getLoyaltyProgram,
  removeTierOverride,
  setTierOverride,
} from "~/recompute/loyalty.server";
import { runFullPass } from "~/recompute/full-pass.server";
import { refreshCustomers } from "~/recompute/refresh.server";
import { flowOverview } from "~/publish/flow/activity.server";
import { dispatchFlowTriggers } from "~/publish/flow/dispatch.server";
import { decideHold, decideUnconfirmed, setHoldAbove } from "~/publish/flow/holds.server";
import { AT_RISK_FIELDS, customerReference, SEGMENT_FIELDS, TIER_FIELDS, TRIGGERS } from "~/publish/flow/triggers";
import { NoShopifyStoreError } from "~/shopify-admin/errors";
import { completePrivacyRequests } from "../support/webhook-payloads";
import { appUnderTest, installTestShop, webhookRequest } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { flowReceiver } from "../support/shopify-flow";
import type { FlowReceiver } from "../support/shopify-flow";
import { syncHarness } from "../support/sync-harness";
import type { SyncHarness } from "../support/sync-harness";
import { AS_OF, HISTORY_END, seedGeneratedShop } from "./generated-shop";

// Flow triggers from the transitions the tier history and segment transitions record, on a generated shop's real
// history: nothing from the first full pass, then exactly one trigger per transition and kind (whatever wrote it,
// however often it is retried), sent once through the Admin client in batches, mass moves held for the merchant.

const SHOP = "flow-triggers.myshopify.com";
const CUSTOMERS = 150;
const FREQUENT = "custom:frequent";
let app: AppUnderTest;
let shopId: string;
let harness: SyncHarness;
let flow: FlowReceiver;
let deps: FlowJobDeps;

const sql = () => database().sql;
const count = async (where: string, params: unknown[] = []) =>
  (
    await sql().query<{ n: number }>(`SELECT count(*)::int AS n FROM "FlowTrigger" WHERE "shopId" = $1 AND ${where}`, [
      shopId,
      ...params,
    ])
  ).rows[0]!.n;

const order = (id: string, customerId: string, amount: string, processedAt: string): string =>
  orderBody({ id, subtotal: amount, createdAt: processedAt, customerId });

/** The test shop's Admin client, as the Flow job opens it. */
const shopClient = () =>
  harness.deps.access.clientFor({
    id: shopId,
    domain: SHOP,
    currencyCode: "GBP",
    netRevenueBasis: "merchandise",
    usable: true,
  });

/** Every trigger the dispatcher leaves to send, sent now (the job would run again until none is left). */
async function dispatchAll(): Promise<void> {
  for (let round = 0; round < 50; round += 1) {
    const result = await dispatchFlowTriggers(database(), shopId, shopClient);
    if (result.remaining === 0) return;
  }
  throw new Error("triggers left after 50 rounds");
}

const receivedFor = (handle: string, customerId: string) =>
  flow.received.filter((trigger) => trigger.handle === handle && String(trigger.payload.customer_id) === customerId);

beforeAll(async () => {
  app = await appUnderTest();
  shopId = await installTestShop(app, SHOP);
  await seedGeneratedShop(app, SHOP, CUSTOMERS);
  // A custom segment defined before the first pass: its first members are initial membership too.
  await app.prisma.segmentDefinition.create({
    data: { shopId, key: FREQUENT, name: "Frequent buyers", rule: { field: "orders", op: "gte", value: 4 } },
  });
  flow = flowReceiver();
  harness = syncHarness(SHOP, { CadenceFlowTriggers: flow.resolver });
  deps = { database: database(), access: harness.deps.access, enqueue: harness.deps.enqueue, log: harness.deps.log };
}, 300_000);

describe("initial membership", () => {
  test("the first full pass records tiers and segments but sends no trigger; it starts the shop's triggers", async () => {
    expect(await app.prisma.flowState.findUnique({ where: { shopId } })).toBeNull();
    const pass = await runFullPass(database(), shopId, { asOf: AS_OF });
    expect(pass.status).toBe("done");
    expect(await app.prisma.segmentTransition.count({ where: { shopId } })).toBeGreaterThan(CUSTOMERS);
    expect(await app.prisma.tierChange.count({ where: { shopId } })).toBeGreaterThan(CUSTOMERS / 2);
    expect(await app.prisma.flowTrigger.count({ where: { shopId } })).toBe(0);
    expect((await app.prisma.flowState.findUniqueOrThrow({ where: { shopId } })).liveSince).not.toBeNull();
  });
});

describe("an order that lifts a customer a tier and into a segment", () => {
  test("records exactly one tier trigger and one segment trigger, in the transition's transaction, across a retried refresh and a restart", async () => {
    const program = (await getLoyaltyProgram(app.prisma, shopId))!.program;
    const top = program.tiers[program.tiers.length - 1]!;
    const candidate = await app.prisma.customerProfile.findFirstOrThrow({
      where: { shopId, orders: 3, NOT: { tierId: top.id } },
      orderBy: { customerShopifyId: "asc" },
    });
    const id = candidate.customerShopifyId;
    // The day after the first pass: the order's moves are that day's news.
    const processed = new Date(HISTORY_END.getTime() + 3_600_000).toISOString();
    expect(
      (
        await app.handle(
          webhookRequest({ shop: SHOP, topic: "orders/create", body: order("9100000001", id, "9000.00", processed) }),
        )
      ).status,
    ).toBe(200);

    await refreshCustomers(app.database, shopId, [id], { asOf: AS_OF + 1 });
    const mine = () =>
      app.prisma.flowTrigger.findMany({
        where: { shopId, customerShopifyId: id },
        include: { tierChange: true, segmentTransition: true },
        orderBy: { id: "asc" },
      });
    const first = await mine();
    const tiers = first.filter((row) => row.kind === "tier-changed");
    expect(tiers).toHaveLength(1);
    expect(tiers[0]!.tierChange).toMatchObject({ fromTierId: candidate.tierId, toTierId: top.id, reason: "up" });
    const entered = first.filter(
      (row) => row.kind === "segment-entered" && row.segmentTransition?.segmentKey === FREQUENT,
    );
    expect(entered).toHaveLength(1);
    // One row per transition and kind: the outbox and the history agree.
    const transitions = await app.prisma.segmentTransition.count({
      where: {
        shopId,
        customerShopifyId: id,
        at: { gte: (await app.prisma.flowState.findUniqueOrThrow({ where: { shopId } })).liveSince! },
      },
    });
    expect(first.filter((row) => row.segmentTransitionId !== null && row.kind !== "became-at-risk")).toHaveLength(
      transitions,
    );
    expect(first.every((row) => row.state === "new")).toBe(true);

    // The refresh retried on the same facts (a job run twice) records no second transition, so no second trigger.
    await refreshCustomers(app.database, shopId, [id], { asOf: AS_OF + 1 });
    expect((await mine()).map((row) => row.id)).toEqual(first.map((row) => row.id));

    // A transaction that writes a transition and then fails records no trigger (the outbox is in the same transaction).
    await expect(
      app.prisma.$transaction(async (tx) => {
        await tx.tierChange.create({
          data: {
            shopId,
            customerShopifyId: id,
            on: new Date(),
            fromTierId: top.id,
            fromTierName: top.name,
            toTierId: null,
            toTierName: null,
            reason: "down",
          },
        });
        throw new Error("the process died before committing");
      }),
    ).rejects.toThrow(/died/);
    expect((await mine()).map((row) => row.id)).toEqual(first.map((row) => row.id));

    // The process restarts: the job sends each trigger once.
    await flowJobs.dispatch(deps, { shopId });
    expect(receivedFor(TRIGGERS["tier-changed"].handle, id)).toHaveLength(1);
    expect(receivedFor(TRIGGERS["tier-changed"].handle, id)[0]!.payload).toEqual({
      // The generator's customer IDs go past 2^53 (Shopify's do not yet): those travel as their exact digits.
      customer_id: customerReference(id),
      [TIER_FIELDS.previous]: candidate.tierName ?? "None",
      [TIER_FIELDS.next]: top.name,
      [TIER_FIELDS.direction]: "Up",
      [TIER_FIELDS.changedBy]: "Earned",
      [TIER_FIELDS.previousId]: candidate.tierId ?? "",
      [TIER_FIELDS.nextId]: top.id,
    });
    const segment = receivedFor(TRIGGERS["segment-entered"].handle, id).filter(
      (trigger) => trigger.payload[SEGMENT_FIELDS.key] === FREQUENT,
    );
    expect(segment).toHaveLength(1);
    expect(segment[0]!.payload).toMatchObject({
      [SEGMENT_FIELDS.name]: "Frequent buyers",
      [SEGMENT_FIELDS.type]: "Custom",
      [SEGMENT_FIELDS.reason]: "Frequent buyers: orders 4 (at least 4)",
    });
    expect((await mine()).every((row) => row.state === "sent" && row.payload !== null)).toBe(true);

    // Running again sends nothing more.
    const before = flow.received.length;
    await flowJobs.dispatch(deps, { shopId });
    expect(flow.received.length).toBe(before);
  });
});

describe("a month later", () => {
  test("the nightly pass's moves are each sent once, batched within the cost budget; at-risk carries the value at stake", async () => {
    const callsBefore = harness.mock.callsOf("CadenceFlowTriggers").length;
    const receivedBefore = flow.received.length;
    const pass = await runFullPass(database(), shopId, { asOf: AS_OF + 45 });
    expect(pass.written.entered + pass.written.exited).toBeGreaterThan(20);
    const recorded = await count(`state = 'new'`);
    // Entered and left for each transition of the pass, plus "became at risk" for each entry into At risk.
    const { rows } = await sql().query<{ transitions: number; atRisk: number }>(
      `SELECT count(*)::int AS transitions, count(*) FILTER (WHERE kind = 'entered' AND "segmentKey" = 'at_risk')::int AS "atRisk"
         FROM "SegmentTransition" s WHERE "shopId" = $1 AND NOT EXISTS (SELECT 1 FROM "FlowTrigger" t WHERE t."segmentTransitionId" = s.id AND t.state = 'sent')
          AND at >= (SELECT "liveSince" FROM "FlowState" WHERE "shopId" = $1)`,
      [shopId],
    );
    const tierRows = await count(`state = 'new' AND kind = 'tier-changed'`);
    expect(rows[0]!.atRisk).toBeGreaterThan(0);
    expect(recorded).toBe(rows[0]!.transitions + rows[0]!.atRisk + tierRows);

    await dispatchAll();
    const calls = harness.mock.callsOf("CadenceFlowTriggers").slice(callsBefore);
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.every((call) => Object.keys(call.variables).length <= 50)).toBe(true);
    expect(flow.received.length - receivedBefore).toBe(recorded);
    expect(await count(`state = 'sent'`)).toBe(await count(`TRUE`));

    const atRisk = flow.received
      .slice(receivedBefore)
      .filter((trigger) => trigger.handle === TRIGGERS["became-at-risk"].handle);
    expect(atRisk).toHaveLength(rows[0]!.atRisk);
    const sample = atRisk[0]!;
    const profile = await app.prisma.customerProfile.findUniqueOrThrow({
      where: { shopId_customerShopifyId: { shopId, customerShopifyId: String(sample.payload.customer_id) } },
    });
    expect(sample.payload[AT_RISK_FIELDS.value]).toBe(Number(profile.clv12mMinor ?? 0n) / 100);
    expect(sample.payload[AT_RISK_FIELDS.currency]).toBe("GBP");
    expect(sample.payload[AT_RISK_FIELDS.days]).toBe(profile.daysSinceLastOrder);
    expect(String(sample.payload[AT_RISK_FIELDS.reason])).toMatch(/^At risk \(lifecycle stage\): /);
  });
});

describe("staff and Flow overrides", () => {
  test("setting and ending an override are tier changes, named for who made them; setting the tier a customer has is not", async () => {
    const program = (await getLoyaltyProgram(app.prisma, shopId))!.program;
    const profile = await app.prisma.customerProfile.findFirstOrThrow({
      where: { shopId, tierId: program.tiers[0]!.id },
      orderBy: { customerShopifyId: "desc" },
    });
    const id = profile.customerShopifyId;
    const receivedBefore = flow.received.length;
    await setTierOverride(
      app.database,
      shopId,
      id,
      { tierId: program.tiers[1]!.id, reason: "VIP event", setBy: "Shopify Flow" },
      { asOf: AS_OF + 45 },
    );
    // Setting the tier it already has moves nothing.
    await setTierOverride(
      app.database,
      shopId,
      id,
      { tierId: program.tiers[1]!.id, reason: "again" },
      { asOf: AS_OF + 45 },
    );
    expect(await removeTierOverride(app.database, shopId, id, { asOf: AS_OF + 45 })).toBe(true);
    await dispatchAll();
    const moves = flow.received.slice(receivedBefore).filter((trigger) => String(trigger.payload.customer_id) === id);
    expect(
      moves.map((trigger) => [
        trigger.payload[TIER_FIELDS.previous],
        trigger.payload[TIER_FIELDS.next],
        trigger.payload[TIER_FIELDS.direction],
        trigger.payload[TIER_FIELDS.changedBy],
      ]),
    ).toEqual([
      [program.tiers[0]!.name, program.tiers[1]!.name, "Up", "Shopify Flow"],
      [program.tiers[1]!.name, program.tiers[0]!.name, "Down", "Override ended"],
    ]);
  });
});

describe("a lost answer and a crash while sending", () => {
  test("a batch whose answer is lost is left unconfirmed, never sent again by itself; the merchant can send it again", async () => {
    const customer = await app.prisma.customerProfile.findFirstOrThrow({
      where: { shopId },
      orderBy: { customerShopifyId: "asc" },
    });
    const program = (await getLoyaltyProgram(app.prisma, shopId))!.program;
    const target = program.tiers.find((tier) => tier.id !== customer.tierId)!;
    await setTierOverride(
      app.database,
      shopId,
      customer.customerShopifyId,
      { tierId: target.id, reason: "Lost answer test" },
      { asOf: AS_OF + 45 },
    );
    flow.dropNextAnswer();
    const result = await dispatchFlowTriggers(database(), shopId, shopClient);
    expect(result).toMatchObject({ unconfirmed: 1, sent: 0, stoppedBy: "network" });
    expect(
      receivedFor(TRIGGERS["tier-changed"].handle, customer.customerShopifyId).filter(
        (t) => t.payload[TIER_FIELDS.nextId] === target.id,
      ),
    ).toHaveLength(1);
    await dispatchAll();
    expect(
      receivedFor(TRIGGERS["tier-changed"].handle, customer.customerShopifyId).filter(
        (t) => t.payload[TIER_FIELDS.nextId] === target.id,
      ),
    ).toHaveLength(1);
    expect(await count(`state = 'unconfirmed'`)).toBe(1);

    expect(await decideUnconfirmed(sql(), shopId, "send")).toBe(1);
    await dispatchAll();
    expect(
      receivedFor(TRIGGERS["tier-changed"].handle, customer.customerShopifyId).filter(
        (t) => t.payload[TIER_FIELDS.nextId] === target.id,
      ),
    ).toHaveLength(2);
    expect(await count(`state = 'unconfirmed'`)).toBe(0);
  });

  test("a dispatcher that died after storing a batch's payloads leaves it unconfirmed; one that died before, pending", async () => {
    const customers = await app.prisma.customerProfile.findMany({
      where: { shopId },
      orderBy: { customerShopifyId: "asc" },
      take: 2,
      skip: 5,
    });
    const program = (await getLoyaltyProgram(app.prisma, shopId))!.program;
    for (const customer of customers) {
      const target = program.tiers.find((tier) => tier.id !== customer.tierId)!;
      await setTierOverride(
        app.database,
        shopId,
        customer.customerShopifyId,
        { tierId: target.id, reason: "Crash test" },
        { asOf: AS_OF + 45 },
      );
    }
    // As a dispatcher leaves its claims when it is killed: one row with its payload stored (it may have been sent), one without.
    await dispatchFlowTriggers(database(), shopId, () => Promise.reject(new Error("not reached")), { maxTriggers: 0 });
    const [sentMaybe, neverSent] = await app.prisma.flowTrigger.findMany({
      where: { shopId, state: "pending" },
      orderBy: { id: "asc" },
    });
    await app.prisma.flowTrigger.update({
      where: { id: sentMaybe!.id },
      data: { state: "sending", claimToken: "dead", payload: { customer_id: 1 } },
    });
    await app.prisma.flowTrigger.update({
      where: { id: neverSent!.id },
      data: { state: "sending", claimToken: "dead" },
    });
    const before = flow.received.length;
    const result = await dispatchFlowTriggers(database(), shopId, shopClient);
    expect(result.orphans).toEqual({ requeued: 1, unconfirmed: 1 });
    expect(flow.received.length - before).toBe(1);
    expect((await app.prisma.flowTrigger.findUniqueOrThrow({ where: { id: neverSent!.id } })).state).toBe("sent");
    expect((await app.prisma.flowTrigger.findUniqueOrThrow({ where: { id: sentMaybe!.id } })).state).toBe(
      "unconfirmed",
    );
    await decideUnconfirmed(sql(), shopId, "discard");
  });

  test("a trigger Flow refuses is kept with Flow's reason and not retried", async () => {
    const customer = await app.prisma.customerProfile.findFirstOrThrow({
      where: { shopId },
      orderBy: { customerShopifyId: "asc" },
      skip: 9,
    });
    const program = (await getLoyaltyProgram(app.prisma, shopId))!.program;
    await setTierOverride(
      app.database,
      shopId,
      customer.customerShopifyId,
      { tierId: program.tiers.find((tier) => tier.id !== customer.tierId)!.id, reason: "Refusal test" },
      { asOf: AS_OF + 45 },
    );
    flow.refuseNext([0], "Invalid handle");
    await dispatchAll();
    const refused = await app.prisma.flowTrigger.findFirstOrThrow({
      where: { shopId, customerShopifyId: customer.customerShopifyId, state: "refused" },
    });
    expect(refused.error).toBe("handle: Invalid handle");
  });
});

describe("mass moves", () => {
  test("a program change that moves many customers the same way is held; the merchant sends one move and not another", async () => {
    await setHoldAbove(sql(), shopId, 10);
    const current = (await getLoyaltyProgram(app.prisma, shopId))!.program;
    // Every tier above the first becomes ten times harder to keep: a program change moves many customers down at once.
    const next = {
      ...current,
      tiers: current.tiers.map((tier, index) =>
        index === 0
          ? tier
          : {
              ...tier,
              enter: { ...tier.enter, spendMinor: (tier.enter.spendMinor ?? 1000) * 10 },
              retain: { ...tier.retain, spendMinor: (tier.retain.spendMinor ?? 1000) * 10 },
            },
      ),
      graceDays: 0,
    };
    const receivedBefore = flow.received.length;
    await changeLoyaltyProgram(app.database, shopId, next, { asOf: AS_OF + 46 });
    const moves = (
      await sql().query<{ move: string; n: number }>(
        `SELECT c."fromTierId" || '>' || coalesce(c."toTierId", '') AS move, count(*)::int AS n FROM "FlowTrigger" t JOIN "TierChange" c ON c.id = t."tierChangeId"
          WHERE t."shopId" = $1 AND t.state = 'new' GROUP BY 1 ORDER BY 2 DESC`,
        [shopId],
      )
    ).rows;
    const large = moves.filter((move) => move.n > 10);
    expect(large.length, JSON.stringify(moves)).toBeGreaterThanOrEqual(1);

    await flowJobs.dispatch(deps, { shopId });
    const holds = await app.prisma.flowHold.findMany({
      where: { shopId, state: "held" },
      orderBy: { customers: "desc" },
    });
    expect(holds.map((hold) => hold.customers).sort()).toEqual(large.map((move) => move.n).sort());
    expect(holds[0]!.label).toMatch(/^Tier .+ → .+$/);
    const heldCount = holds.reduce((sum, hold) => sum + hold.customers, 0);
    expect(await count(`state = 'held'`)).toBe(heldCount);
    // Nothing of a held move reached Flow; the small moves did.
    const tierTriggers = flow.received
      .slice(receivedBefore)
      .filter((trigger) => trigger.handle === TRIGGERS["tier-changed"].handle);
    expect(tierTriggers).toHaveLength(moves.filter((move) => move.n <= 10).reduce((sum, move) => sum + move.n, 0));

    expect(await decideHold(sql(), shopId, String(holds[0]!.id), "send")).toBe(holds[0]!.customers);
    await dispatchAll();
    expect(
      flow.received.slice(receivedBefore).filter((trigger) => trigger.handle === TRIGGERS["tier-changed"].handle),
    ).toHaveLength(tierTriggers.length + holds[0]!.customers);
    await expect(decideHold(sql(), shopId, String(holds[0]!.id), "discard")).rejects.toThrow(/already decided/);
    for (const hold of holds.slice(1)) await decideHold(sql(), shopId, String(hold.id), "discard");
    expect(await count(`state IN ('held', 'new', 'pending')`)).toBe(0);
  });
});

describe("no Shopify store, privacy", () => {
  test("the demo's shop records each trigger with the payload it would send, and calls nothing", async () => {
    const customer = await app.prisma.customerProfile.findFirstOrThrow({
      where: { shopId },
      orderBy: { customerShopifyId: "asc" },
      skip: 12,
    });
    const program = (await getLoyaltyProgram(app.prisma, shopId))!.program;
    await setTierOverride(
      app.database,
      shopId,
      customer.customerShopifyId,
      { tierId: program.tiers.find((tier) => tier.id !== customer.tierId)!.id, reason: "Demo" },
      { asOf: AS_OF + 46 },
    );
    const calls = harness.mock.calls.length;
    const result = await dispatchFlowTriggers(database(), shopId, () => Promise.reject(new NoShopifyStoreError(SHOP)));
    expect(result.recorded).toBe(1);
    expect(harness.mock.calls.length).toBe(calls);
    const row = await app.prisma.flowTrigger.findFirstOrThrow({
      where: { shopId, customerShopifyId: customer.customerShopifyId, state: "recorded" },
    });
    expect(row.payload).toMatchObject({
      customer_id: customerReference(customer.customerShopifyId),
      [TIER_FIELDS.changedBy]: "Staff",
    });
  });

  test("customers/redact: from its answer on the customer's triggers are not sent; the privacy job deletes them", async () => {
    const customer = await app.prisma.customerProfile.findFirstOrThrow({
      where: { shopId },
      orderBy: { customerShopifyId: "asc" },
      skip: 16,
    });
    const id = customer.customerShopifyId;
    const program = (await getLoyaltyProgram(app.prisma, shopId))!.program;
    await setTierOverride(
      app.database,
      shopId,
      id,
      { tierId: program.tiers.find((tier) => tier.id !== customer.tierId)!.id, reason: "Before the request" },
      { asOf: AS_OF + 46 },
    );
    expect((await flowOverview(sql(), shopId, { limit: 500 })).recent.map((row) => row.customerId)).toContain(id);
    const body = JSON.stringify({ shop_id: 1, shop_domain: SHOP, customer: { id: Number(id) }, orders_to_redact: [] });
    expect((await app.handle(webhookRequest({ shop: SHOP, topic: "customers/redact", body }))).status).toBe(200);

    // Acknowledged, not yet carried out: the trigger is still stored, but the dispatcher neither sends nor counts it.
    expect(await count(`"customerShopifyId" = $2`, [id])).toBeGreaterThan(0);
    const before = flow.received.length;
    await dispatchAll();
    expect(flow.received.length).toBe(before);
    expect(receivedFor(TRIGGERS["tier-changed"].handle, id)).toEqual([]);
    expect(await count(`"customerShopifyId" = $2 AND state IN ('sent', 'sending', 'recorded')`, [id])).toBe(0);
    // Nor does the Flow page list them.
    expect((await flowOverview(sql(), shopId, { limit: 500 })).recent.map((row) => row.customerId)).not.toContain(id);

    await completePrivacyRequests();
    expect(await count(`"customerShopifyId" = $2`, [id])).toBe(0);
    expect(await app.prisma.tierChange.count({ where: { shopId, customerShopifyId: id } })).toBe(0);
  });

  test("the minute job queues a dispatch only for shops with triggers waiting", async () => {
    harness.take(JOBS.flowDispatch);
    expect(await flowJobs.dispatchAll(deps)).toBe(0);
    const customer = await app.prisma.customerProfile.findFirstOrThrow({
      where: { shopId },
      orderBy: { customerShopifyId: "asc" },
      skip: 20,
    });
    const program = (await getLoyaltyProgram(app.prisma, shopId))!.program;
    await setTierOverride(
      app.database,
      shopId,
      customer.customerShopifyId,
      { tierId: program.tiers.find((tier) => tier.id !== customer.tierId)!.id, reason: "Cron" },
      { asOf: AS_OF + 46 },
    );
    expect(await flowJobs.dispatchAll(deps)).toBe(1);
    expect(harness.take(JOBS.flowDispatch).map((job) => job.data.shopId)).toEqual([shopId]);
  });
});
