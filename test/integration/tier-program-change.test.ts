import { beforeAll, describe, expect, test } from "vitest";
import { classifyBatch } from "~/recompute/classify-batch.server";
import { loadCustomerStates } from "~/recompute/customer-state.server";
import { loadShop, readOrders } from "~/recompute/facts.server";
import { runFullPass } from "~/recompute/full-pass.server";
import {
  changeLoyaltyProgram,
  getLoyaltyProgram,
  previewLoyaltyProgram,
  removeTierOverride,
  setTierOverride,
} from "~/recompute/loyalty.server";
import { refreshCustomers } from "~/recompute/refresh.server";
import { loadSegmentConfig } from "~/recompute/segment-config.server";
import { writeResults } from "~/recompute/write-results.server";
import { DEFAULT_SETTINGS } from "~/segments/settings";
import { emptyShopModel } from "~/segments/shop-model";
import type { ProgramChangePreview } from "~/segments/tiers/preview";
import type { LoyaltyProgram } from "~/segments/tiers/program";
import { appUnderTest, installTestShop } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { AS_OF, seedGeneratedShop } from "./generated-shop";

// A program change on a generated shop's three-year history, made the day the nightly pass ran (the defect: such a
// change moved nobody). What the preview says is what applying does, to the row of tier history: today, and on the
// day the grace period ends. The history records each real move once.

const SHOP = "tier-change.myshopify.com";
const CUSTOMERS = 150;
let app: AppUnderTest;
let shopId: string;

beforeAll(async () => {
  app = await appUnderTest();
  shopId = await installTestShop(app, SHOP);
  await seedGeneratedShop(app, SHOP, CUSTOMERS);
  await runFullPass(app.database, shopId, { asOf: AS_OF });
}, 300_000);

const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

async function heldCounts(): Promise<Record<string, number>> {
  const rows = await app.prisma.customerProfile.groupBy({ by: ["tierId"], where: { shopId }, _count: { _all: true } });
  return Object.fromEntries(rows.map((row) => [row.tierId ?? "none", row._count._all]));
}

/** Tier history rows written on `day` since `since` (their id), as "from→to": customers. */
async function historyOn(day: number, sinceId: bigint): Promise<Record<string, number>> {
  const rows = await app.prisma.tierChange.findMany({
    where: { shopId, on: new Date(`${iso(day)}T00:00:00Z`), id: { gt: sinceId } },
  });
  const counts: Record<string, number> = {};
  for (const row of rows)
    counts[`${row.fromTierId ?? "none"}→${row.toTierId ?? "none"}`] =
      (counts[`${row.fromTierId ?? "none"}→${row.toTierId ?? "none"}`] ?? 0) + 1;
  return counts;
}

function previewOn(preview: ProgramChangePreview, day: number): Record<string, number> {
  return Object.fromEntries(
    preview.moves
      .filter((move) => move.on === day)
      .map((move) => [`${move.from ?? "none"}→${move.to ?? "none"}`, move.customers]),
  );
}

const lastHistoryId = async () =>
  (await app.prisma.tierChange.findFirst({ where: { shopId }, orderBy: { id: "desc" }, select: { id: true } }))?.id ??
  0n;

const nowCounts = (preview: ProgramChangePreview, key: "now" | "afterGrace") =>
  Object.fromEntries(preview.tiers.filter((tier) => tier[key] > 0).map((tier) => [tier.tierId ?? "none", tier[key]]));

/** Every customer's tier history chains: each move starts where the previous ended, ends where the profile is. */
async function expectHistoryChains() {
  const [history, profiles] = await Promise.all([
    app.prisma.tierChange.findMany({ where: { shopId }, orderBy: [{ on: "asc" }, { id: "asc" }] }),
    app.prisma.customerProfile.findMany({ where: { shopId }, select: { customerShopifyId: true, tierId: true } }),
  ]);
  const held = new Map<string, string | null>();
  for (const change of history) {
    const from = held.get(change.customerShopifyId) ?? null;
    expect(
      change.fromTierId,
      `${change.customerShopifyId} on ${iso(Math.round(change.on.getTime() / 86_400_000))}`,
    ).toBe(from);
    expect(change.toTierId).not.toBe(change.fromTierId);
    held.set(change.customerShopifyId, change.toTierId);
  }
  for (const profile of profiles)
    expect(held.get(profile.customerShopifyId) ?? null, profile.customerShopifyId).toBe(profile.tierId);
}

function withTier(program: LoyaltyProgram, id: string, spendMinor: number, retainMinor: number): LoyaltyProgram {
  return {
    ...program,
    tiers: program.tiers.map((tier) =>
      tier.id === id
        ? { ...tier, enter: { ...tier.enter, spendMinor }, retain: { ...tier.retain, spendMinor: retainMinor } }
        : tier,
    ),
  };
}

describe("a program change made the day the nightly pass ran", () => {
  test("loosened, then tightened: the preview shows moves, applying makes exactly them, and the grace period's end makes the rest", async () => {
    const current = (await getLoyaltyProgram(app.prisma, shopId))!;
    expect(current.effectiveOn).toBe(AS_OF);
    const statuses = await app.prisma.loyaltyStatus.findMany({ where: { shopId } });
    expect(statuses.every((status) => Math.round(status.evaluatedOn.getTime() / 86_400_000) === AS_OF)).toBe(true);
    const silver = current.program.tiers.find((tier) => tier.id === "silver")!;
    const gold = current.program.tiers.find((tier) => tier.id === "gold")!;

    // Loosened: Silver enter and keep lowered to its keep threshold.
    const loosened = withTier(current.program, "silver", silver.retain.spendMinor!, silver.retain.spendMinor!);
    const before = await heldCounts();
    const preview = await previewLoyaltyProgram(app.database, shopId, loosened, { asOf: AS_OF, batchSize: 40 });
    expect(preview.up).toBeGreaterThan(0);
    expect(
      Object.fromEntries(
        preview.tiers.filter((tier) => tier.before > 0).map((tier) => [tier.tierId ?? "none", tier.before]),
      ),
    ).toEqual(before);
    let since = await lastHistoryId();
    const applied = await changeLoyaltyProgram(app.database, shopId, loosened, { asOf: AS_OF });
    expect(applied.recompute.status).toBe("done");
    expect(await historyOn(AS_OF, since)).toEqual(previewOn(preview, AS_OF));
    expect([applied.up, applied.down, applied.downAfterGrace]).toEqual([
      preview.up,
      preview.down,
      preview.downAfterGrace,
    ]);
    expect(await heldCounts()).toEqual(nowCounts(preview, "now"));

    // Tightened: Gold enter and keep raised tenfold, the same day again.
    const tightened = withTier(loosened, "gold", gold.enter.spendMinor! * 10, gold.enter.spendMinor! * 10);
    const goldNow = (await heldCounts()).gold ?? 0;
    expect(goldNow).toBeGreaterThan(0);
    const second = await previewLoyaltyProgram(app.database, shopId, tightened, { asOf: AS_OF });
    expect(second).toMatchObject({ up: 0, down: 0, downAfterGrace: goldNow, graceEndsOn: AS_OF + 30 });
    expect(second.tiers.find((tier) => tier.tierId === "gold")).toMatchObject({
      before: goldNow,
      now: goldNow,
      afterGrace: 0,
    });
    since = await lastHistoryId();
    const tightenedApplied = await changeLoyaltyProgram(app.database, shopId, tightened, { asOf: AS_OF });
    expect(await historyOn(AS_OF, since)).toEqual({});
    expect(tightenedApplied.downAfterGrace).toBe(goldNow);
    expect(
      await app.prisma.loyaltyStatus.count({
        where: { shopId, tierId: "gold", graceFrom: new Date(`${iso(AS_OF)}T00:00:00Z`) },
      }),
    ).toBe(goldNow);
    const explained = await app.prisma.customerProfile.findFirstOrThrow({ where: { shopId, tierId: "gold" } });
    expect((explained.explanations as Record<string, string>).tier).toMatch(
      /^Gold until \d+ \w+ \d{4} \(grace period\): .* below the £[\d,]+\.\d\d it takes to keep Gold; moves down then/,
    );

    // The day before the grace period ends nobody moves; on the day, exactly the previewed moves.
    since = await lastHistoryId();
    await runFullPass(app.database, shopId, { asOf: AS_OF + 29 });
    expect(await historyOn(AS_OF + 29, since)).toEqual({});
    await runFullPass(app.database, shopId, { asOf: AS_OF + 30 });
    expect(await historyOn(AS_OF + 30, since)).toEqual(previewOn(second, AS_OF + 30));
    expect(await heldCounts()).toEqual(nowCounts(second, "afterGrace"));
    await expectHistoryChains();
  }, 120_000);

  test("an override holds the tier through the grace period; its removal is the one move", async () => {
    const program = (await getLoyaltyProgram(app.prisma, shopId))!.program;
    // Silver customers pushed into a grace period by a far higher Silver keep threshold; one is pinned at Silver by staff.
    const day = AS_OF + 40;
    const strict = withTier(program, "silver", 10_000_000, 10_000_000);
    const gold = program.tiers.find((tier) => tier.id === "gold")!;
    const stricter = {
      ...strict,
      tiers: strict.tiers.map((tier) =>
        tier.id === "gold"
          ? {
              ...tier,
              enter: { ...gold.enter, spendMinor: 20_000_000 },
              retain: { ...gold.retain, spendMinor: 20_000_000 },
            }
          : tier,
      ),
    };
    await changeLoyaltyProgram(app.database, shopId, stricter, { asOf: day });
    const inGrace = await app.prisma.loyaltyStatus.findFirstOrThrow({
      where: { shopId, tierId: "silver", graceFrom: new Date(`${iso(day)}T00:00:00Z`) },
      orderBy: { customerShopifyId: "asc" },
    });
    const id = inGrace.customerShopifyId;
    await setTierOverride(app.database, shopId, id, { tierId: "silver", reason: "Founding customer" }, { asOf: day });
    await runFullPass(app.database, shopId, { asOf: day + 31 });
    const held = await app.prisma.customerProfile.findUniqueOrThrow({
      where: { shopId_customerShopifyId: { shopId, customerShopifyId: id } },
    });
    expect(held.tierId).toBe("silver");
    const earned = await app.prisma.loyaltyStatus.findUniqueOrThrow({
      where: { shopId_customerShopifyId: { shopId, customerShopifyId: id } },
    });
    expect(earned.tierId).not.toBe("silver");
    expect(await removeTierOverride(app.database, shopId, id, { asOf: day + 32 })).toBe(true);
    const history = await app.prisma.tierChange.findMany({
      where: { shopId, customerShopifyId: id, on: { gte: new Date(`${iso(day)}T00:00:00Z`) } },
      orderBy: { id: "asc" },
    });
    expect(history.map((row) => [row.fromTierId, row.toTierId, row.reason])).toEqual([
      ["silver", earned.tierId, "override-removed"],
    ]);
    await expectHistoryChains();
  }, 120_000);

  test("a writer overtaken by another is not written twice: it leaves the customer to the refresh", async () => {
    const { sql } = app.database;
    const shop = await loadShop(app.prisma, { id: shopId });
    const config = await loadSegmentConfig(app.prisma, shop);
    const asOf = AS_OF + 400; // a year on: every customer's last order has left the window by then, or moved them
    const ids = (
      await app.prisma.customerProfile.findMany({
        where: { shopId, orders: { gt: 0 } },
        select: { customerShopifyId: true },
        take: 30,
        orderBy: { customerShopifyId: "asc" },
      })
    ).map((row) => row.customerShopifyId);
    const customers = { ids, contiguous: false };
    // A full pass's batch reads its customers' states…
    const [orders, states] = await Promise.all([
      readOrders(sql, shop, customers, true),
      loadCustomerStates(sql, shopId, customers, asOf),
    ]);
    const stale = classifyBatch(ids, orders, states, config, {
      asOf,
      currency: "GBP",
      settings: DEFAULT_SETTINGS,
      model: emptyShopModel(asOf, "GBP", DEFAULT_SETTINGS),
      program: config.program!.program,
      customSegments: [],
    });
    const moving = stale.filter((item) => item.moves.length > 0).map((item) => item.customerId);
    expect(moving.length).toBeGreaterThan(0);
    // …a refresh of the same customers, which had read their facts just before, writes first…
    const since = await lastHistoryId();
    await refreshCustomers(app.database, shopId, ids, { asOf });
    // …then the batch writes, with facts read after the refresh read its own (so its profiles are the newer ones).
    const readAt = new Date();
    const written = await app.prisma.tierChange.count({ where: { shopId, id: { gt: since } } });
    expect(written).toBe(stale.reduce((sum, item) => sum + item.moves.length, 0));
    await app.prisma.customer.updateMany({ where: { shopId }, data: { metricsDirtyAt: null } });
    const outcome = await app.database.transaction((tx) =>
      writeResults(tx, { shopId, program: config.program, readAt, segmentKeys: new Set() }, stale),
    );
    expect(outcome.tierChanges).toBe(0);
    expect(outcome.overtakenIds.sort()).toEqual([...ids].sort());
    expect(await app.prisma.tierChange.count({ where: { shopId, id: { gt: since } } })).toBe(written);
    await expectHistoryChains();
  }, 120_000);
});
