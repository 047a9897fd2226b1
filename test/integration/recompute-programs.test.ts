import { beforeAll, describe, expect, test } from "vitest";
import {
  archiveCustomSegment,
  previewCustomSegment,
  saveCustomSegment,
  saveSegmentSettings,
} from "~/recompute/custom-segments.server";
import {
  changeLoyaltyProgram,
  getLoyaltyProgram,
  OverrideError,
  previewLoyaltyProgram,
  removeTierOverride,
  setTierOverride,
} from "~/recompute/loyalty.server";
import { runFullPass } from "~/recompute/full-pass.server";
import { refreshCustomers } from "~/recompute/refresh.server";
import { InvalidRuleError } from "~/segments/rules/rule";
import { InvalidSettingsError } from "~/segments/settings";
import { InvalidProgramError } from "~/segments/tiers/program";
import { appUnderTest, installTestShop } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { AS_OF, seedGeneratedShop } from "./generated-shop";

const SHOP = "programs.myshopify.com";
let app: AppUnderTest;
let shopId: string;

beforeAll(async () => {
  app = await appUnderTest();
  shopId = await installTestShop(app, SHOP);
  await seedGeneratedShop(app, SHOP, 40);
  await runFullPass(app.database, shopId, { asOf: AS_OF });
}, 120_000);

const tierCounts = async () => {
  const rows = await app.prisma.customerProfile.groupBy({ by: ["tierId"], where: { shopId }, _count: { _all: true } });
  return Object.fromEntries(rows.map((row) => [row.tierId ?? "none", row._count._all]));
};

describe("changing the loyalty program", () => {
  test("the preview's counts are what the change then does; nobody is switched off", async () => {
    const current = await getLoyaltyProgram(app.prisma, shopId);
    expect(current?.program.tiers.map((tier) => tier.id)).toEqual(["bronze", "silver", "gold"]);
    const silver = current!.program.tiers[1]!;
    // Silver twice as hard to keep and to enter; Gold removed.
    const next = {
      window: { kind: "rolling" as const, days: 365 },
      graceDays: 30,
      tiers: [
        { id: "bronze", name: "Bronze", enter: { orders: 1 } },
        {
          id: "silver",
          name: "Silver",
          enter: { spendMinor: silver.enter.spendMinor! * 2 },
          retain: { spendMinor: silver.retain.spendMinor! * 2 },
        },
      ],
    };
    const before = await tierCounts();
    const day = AS_OF + 1;
    const preview = await previewLoyaltyProgram(app.database, shopId, next, { asOf: day, batchSize: 9 });
    expect(preview.customers).toBe(40);
    // Each customer moves up, down now, down later, or stays; a Gold customer carried down to Silver may also fall
    // below Silver's new keep threshold and move down again later (counted in both).
    const counted = preview.up + preview.down + preview.downAfterGrace + preview.stay;
    expect(counted).toBeGreaterThanOrEqual(40);
    expect(counted - 40).toBeLessThanOrEqual(preview.down);
    expect(
      preview.moves.find((move) => move.from === "gold" && move.to === "silver" && move.on === day)?.customers,
    ).toBe(before.gold);

    const { version, recompute, moves } = await changeLoyaltyProgram(app.database, shopId, next, { asOf: day });
    expect(moves.map(({ from, to, customers }) => ({ from, to, on: day, customers }))).toEqual(
      preview.moves.filter((move) => move.on === day),
    );
    expect(version).toBe(2);
    expect(recompute.status).toBe("done");
    const statuses = await app.prisma.loyaltyStatus.findMany({ where: { shopId } });
    expect(statuses.every((status) => status.programVersion === 2)).toBe(true);
    expect(statuses.filter((status) => status.graceFrom !== null)).toHaveLength(preview.downAfterGrace);
    expect(Object.fromEntries(preview.tiers.map((tier) => [tier.tierId ?? "none", tier.now]))).toMatchObject(
      await tierCounts(),
    );
    const after = await tierCounts();
    expect(after.gold).toBeUndefined();
    const todays = preview.moves.filter((move) => move.on === day);
    const into = todays.filter((move) => move.to === "silver").reduce((sum, move) => sum + move.customers, 0);
    const outOf = todays.filter((move) => move.from === "silver").reduce((sum, move) => sum + move.customers, 0);
    expect(after.silver).toBe((before.silver ?? 0) + into - outOf);
    const carried = await app.prisma.tierChange.count({
      where: { shopId, reason: "program-change", fromTierId: "gold", toTierId: "silver" },
    });
    expect(carried).toBe(before.gold);
    expect(await app.prisma.loyaltyProgramRevision.count({ where: { shopId } })).toBe(2);
  });

  test("an invalid program is refused and stores nothing", async () => {
    await expect(
      changeLoyaltyProgram(app.database, shopId, { window: { kind: "lifetime" }, tiers: [] }),
    ).rejects.toThrow(InvalidProgramError);
    expect(await app.prisma.loyaltyProgramRevision.count({ where: { shopId } })).toBe(2);
  });
});

describe("overrides", () => {
  test("staff set a tier with a reason; it shows, is explained and recorded; removing it restores the earned tier", async () => {
    const profile = await app.prisma.customerProfile.findFirstOrThrow({
      where: { shopId, tierId: "bronze" },
      orderBy: { customerShopifyId: "asc" },
    });
    const id = profile.customerShopifyId;
    const asOf = AS_OF + 1;
    await setTierOverride(app.database, shopId, id, { tierId: "silver", reason: "Wholesale partner" }, { asOf });
    const overridden = await app.prisma.customerProfile.findUniqueOrThrow({
      where: { shopId_customerShopifyId: { shopId, customerShopifyId: id } },
    });
    expect(overridden.tierId).toBe("silver");
    expect((overridden.explanations as Record<string, string>).tier).toBe(
      "Silver: set by staff (Wholesale partner); earned: Bronze",
    );
    expect(
      await app.prisma.tierChange.count({ where: { shopId, customerShopifyId: id, reason: "override-removed" } }),
    ).toBe(0);
    expect(
      await app.prisma.tierChange.count({
        where: { shopId, customerShopifyId: id, reason: "override-set", toTierId: "silver" },
      }),
    ).toBe(1);

    expect(await removeTierOverride(app.database, shopId, id, { removedBy: "staff@shop", asOf })).toBe(true);
    const restored = await app.prisma.customerProfile.findUniqueOrThrow({
      where: { shopId_customerShopifyId: { shopId, customerShopifyId: id } },
    });
    expect(restored.tierId).toBe("bronze");
    const history = await app.prisma.tierChange.findMany({
      where: { shopId, customerShopifyId: id, on: { gte: new Date(asOf * 86_400_000) } },
      orderBy: { id: "asc" },
    });
    expect(history.map((change) => [change.fromTierId, change.toTierId, change.reason])).toEqual([
      ["bronze", "silver", "override-set"],
      ["silver", "bronze", "override-removed"],
    ]);
    expect(await removeTierOverride(app.database, shopId, id, { asOf })).toBe(false);
  });

  test("an override needs a known tier, a reason and a customer of the shop", async () => {
    const id = (await app.prisma.customerProfile.findFirstOrThrow({ where: { shopId } })).customerShopifyId;
    await expect(setTierOverride(app.database, shopId, id, { tierId: "platinum", reason: "x" })).rejects.toThrow(
      /unknown tier "platinum"/,
    );
    await expect(setTierOverride(app.database, shopId, id, { tierId: "silver", reason: "  " })).rejects.toThrow(
      OverrideError,
    );
    await expect(setTierOverride(app.database, shopId, "123", { tierId: "silver", reason: "x" })).rejects.toThrow(
      /no customer 123/,
    );
  });
});

describe("custom segments", () => {
  const rule = { field: "orders", op: "gte", value: 2 };

  test("the preview counts from stored profiles; saving makes the memberships; archiving ends them", async () => {
    const expected = await app.prisma.customerProfile.count({ where: { shopId, orders: { gte: 2 } } });
    const preview = await previewCustomSegment(app.prisma, shopId, rule);
    expect(preview.count).toBe(expected);
    expect(preview.customers).toBe(await app.prisma.customerProfile.count({ where: { shopId } }));
    expect(preview.warnings.map((w) => w.kind)).toContain("tiny");

    const { key, recompute } = await saveCustomSegment(app.database, shopId, {
      slug: "repeat-buyers",
      name: "Repeat buyers",
      rule,
    });
    expect(key).toBe("custom:repeat-buyers");
    expect(recompute.status).toBe("done");
    expect(await app.prisma.segmentMembership.count({ where: { shopId, segmentKey: key, exitedAt: null } })).toBe(
      expected,
    );
    const member = await app.prisma.customerProfile.findFirstOrThrow({ where: { shopId, segments: { has: key } } });
    expect((member.explanations as Record<string, string>)[key]).toMatch(/^Repeat buyers: orders \d+ \(at least 2\)$/);

    const again = await previewCustomSegment(app.prisma, shopId, { field: "purchaseDays", op: "gte", value: 2 });
    expect(again.warnings.find((w) => w.kind === "near-duplicate")).toMatchObject({ key, name: "Repeat buyers" });

    expect(await archiveCustomSegment(app.prisma, shopId, key)).toBe(expected);
    expect(await app.prisma.segmentMembership.count({ where: { shopId, segmentKey: key, exitedAt: null } })).toBe(0);
    expect(await app.prisma.segmentTransition.count({ where: { shopId, segmentKey: key, kind: "exited" } })).toBe(
      expected,
    );
    expect(await app.prisma.customerProfile.count({ where: { shopId, segments: { has: key } } })).toBe(0);
  });

  test("bad rules and slugs are refused with the reason", async () => {
    await expect(previewCustomSegment(app.prisma, shopId, { field: "tier", op: "eq", value: "gold" })).rejects.toThrow(
      /unknown tier: gold/,
    );
    await expect(saveCustomSegment(app.database, shopId, { slug: "Bad Slug", name: "x", rule })).rejects.toThrow(
      /slug/,
    );
    await expect(saveCustomSegment(app.database, shopId, { slug: "ok", name: "x", rule: { all: [] } })).rejects.toThrow(
      InvalidRuleError,
    );
    expect(await app.prisma.segmentDefinition.count({ where: { shopId, key: "custom:ok" } })).toBe(0);
  });
});

describe("settings", () => {
  test("stored thresholds change the segments on the next refresh; invalid ones are refused", async () => {
    await expect(
      saveSegmentSettings(app.prisma, shopId, { winback: { upsellMinDays: 30, upsellMaxDays: 10 } }),
    ).rejects.toThrow(InvalidSettingsError);
    const customers = (
      await app.prisma.customerProfile.findMany({ where: { shopId }, select: { customerShopifyId: true } })
    ).map((c) => c.customerShopifyId);
    await saveSegmentSettings(app.prisma, shopId, { winback: { upsellMinDays: 0, upsellMaxDays: 3650 } });
    await refreshCustomers(app.database, shopId, customers, { asOf: AS_OF + 1 });
    const inWindow = await app.prisma.customerProfile.count({ where: { shopId, segments: { has: "upsell_window" } } });
    const eligible = await app.prisma.customerProfile.count({
      where: { shopId, orders: { gt: 0 }, lastOrderRefunded: false },
    });
    expect(inWindow).toBeGreaterThan(0);
    expect(inWindow).toBeLessThanOrEqual(eligible);
  });
});

describe("a full pass while refreshes run", () => {
  test("no duplicate memberships and the same final state as a pass on its own", async () => {
    const customers = (
      await app.prisma.customer.findMany({ where: { shopId, deletedAt: null }, select: { shopifyId: true } })
    ).map((c) => c.shopifyId);
    const asOf = AS_OF + 60;
    await Promise.all([
      runFullPass(app.database, shopId, { asOf, batchSize: 5 }),
      ...customers.slice(0, 10).map((id) => refreshCustomers(app.database, shopId, [id], { asOf })),
    ]);
    const open = await app.prisma.segmentMembership.findMany({ where: { shopId, exitedAt: null } });
    const keys = open.map((row) => `${row.customerShopifyId}/${row.segmentKey}`);
    expect(new Set(keys).size).toBe(keys.length);
    const profiles = await app.prisma.customerProfile.findMany({
      where: { shopId },
      orderBy: { customerShopifyId: "asc" },
    });
    await runFullPass(app.database, shopId, { asOf });
    const again = await app.prisma.customerProfile.findMany({
      where: { shopId },
      orderBy: { customerShopifyId: "asc" },
    });
    expect(again.map(({ computedAt: _c, ...rest }) => rest)).toEqual(
      profiles.map(({ computedAt: _c, ...rest }) => rest),
    );
    const tierChanges = await app.prisma.tierChange.findMany({ where: { shopId, reason: { in: ["up", "down"] } } });
    const changeKeys = tierChanges.map((c) => `${c.customerShopifyId}/${c.on.toISOString()}/${c.toTierId}`);
    expect(new Set(changeKeys).size).toBe(changeKeys.length);
  });
});
