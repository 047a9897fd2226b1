import type { Prisma } from "@prisma/client";
import type { Database } from "~/db.server";
import { rank } from "~/segments/tiers/advance";
import { programPreview } from "~/segments/tiers/preview";
import type { ProgramChangePreview } from "~/segments/tiers/preview";
import { parseProgram, tierIndex } from "~/segments/tiers/program";
import type { LoyaltyProgram, LoyaltyProgramInput } from "~/segments/tiers/program";
import { loadCustomerStates } from "./customer-state.server";
import { dateOfDay, dayOfDate, isoDate, lockShopSegmentsInPrisma, PRISMA_TRANSACTION_OPTIONS } from "./database.server";
import { saveProgramVersion } from "./program-store.server";
import type { Day } from "~/profiles/days";
import { customerPage, loadShop, readOrders, today } from "./facts.server";
import { runFullPass } from "./full-pass.server";
import type { FullPassResult } from "./full-pass.server";
import { refreshCustomers } from "./refresh.server";
import { loadSegmentConfig } from "./segment-config.server";

// The loyalty program's lifecycle: versions (every change kept), a preview of a change before it is made, and
// staff overrides. Changing the program never switches it off: the new version takes effect today and a full pass
// brings every customer forward under it (app/segments/tiers/advance.ts), which the preview runs too.

export async function getLoyaltyProgram(db: Prisma.TransactionClient, shopId: string) {
  const row = await db.loyaltyProgram.findUnique({ where: { shopId } });
  return (
    row && {
      version: row.version,
      source: row.source,
      effectiveOn: dayOfDate(row.effectiveOn) as Day,
      program: parseProgram(row.definition),
    }
  );
}

/** Moves of the tier history made by applying a program, by tiers. */
export interface AppliedMove {
  from: string | null;
  to: string | null;
  reason: string;
  direction: "up" | "down";
  customers: number;
}

export interface AppliedProgram {
  version: number;
  effectiveOn: Day;
  recompute: FullPassResult;
  /** The tier history rows this change wrote for the day it took effect (earlier ones are the old rules' moves). */
  moves: AppliedMove[];
  up: number;
  down: number;
  /** Customers left below their tier's new keep threshold, whom no override holds: they move down on graceEndsOn. */
  downAfterGrace: number;
  graceEndsOn: Day | null;
}

/** How long a program change waits for a full pass already running (it must not be skipped: it is the change). */
export const APPLY_WAIT_MS = 10 * 60_000;

/** Where a change and its preview start: the program checked (InvalidProgramError), the shop, the day it takes effect. */
async function programChange(database: Database, shopId: string, input: LoyaltyProgramInput, asOf?: Day) {
  const program = parseProgram(input);
  const shop = await loadShop(database.prisma, { id: shopId });
  return { program, shop, asOf: asOf ?? today(shop) };
}

/** Saves a merchant's program (validated: InvalidProgramError) and brings every customer forward under it. */
export async function changeLoyaltyProgram(
  database: Database,
  shopId: string,
  input: LoyaltyProgramInput,
  options: { asOf?: Day; waitForOtherPassMs?: number } = {},
): Promise<AppliedProgram> {
  const { program, shop, asOf } = await programChange(database, shopId, input, options.asOf);
  const { prisma, sql } = database;
  const previous = (await getLoyaltyProgram(prisma, shopId))?.program ?? null;
  const [{ started }] = (await sql.query<{ started: string }>(`SELECT now()::text AS started`)).rows as [
    { started: string },
  ];
  const version = await saveProgramVersion(prisma, shop, program, { source: "merchant", effectiveOn: asOf });
  const recompute = await runFullPass(database, shopId, {
    asOf,
    waitForOtherPassMs: options.waitForOtherPassMs ?? APPLY_WAIT_MS,
  });
  const { rows } = await sql.query<{ from: string | null; to: string | null; reason: string; customers: number }>(
    `SELECT "fromTierId" AS "from", "toTierId" AS "to", reason, count(*)::int AS customers FROM "TierChange"
      WHERE "shopId" = $1 AND "on" = $2::date AND "createdAt" >= $3::timestamptz AND reason IN ('up', 'down', 'program-change')
      GROUP BY 1, 2, 3`,
    [shopId, isoDate(asOf), started],
  );
  const place = (tierId: string | null) => rank(program, previous, tierId);
  const moves = rows
    .map((row) => ({
      ...row,
      customers: Number(row.customers),
      direction: place(row.to) > place(row.from) ? ("up" as const) : ("down" as const),
    }))
    .sort((a, b) => place(a.from) - place(b.from) || place(a.to) - place(b.to));
  const total = (direction: "up" | "down") =>
    moves.filter((move) => move.direction === direction).reduce((sum, move) => sum + move.customers, 0);
  const graceEndsOn = program.graceDays > 0 ? asOf + program.graceDays : null;
  let downAfterGrace = 0;
  if (graceEndsOn !== null) {
    // The preview's rule (tiers/preview.ts): in grace since the change, and no override holding the tier past its end.
    const {
      rows: [row],
    } = await sql.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM "LoyaltyStatus" s
        WHERE s."shopId" = $1 AND s."programVersion" = $2 AND s."graceFrom" = $3::date
          AND NOT EXISTS (SELECT 1 FROM "TierOverride" o WHERE o."shopId" = s."shopId" AND o."customerShopifyId" = s."customerShopifyId"
                            AND o."removedAt" IS NULL AND o."tierId" = ANY($5::text[]) AND (o.until IS NULL OR o.until >= $4::date))`,
      [shopId, version, isoDate(asOf), isoDate(graceEndsOn), program.tiers.map((tier) => tier.id)],
    );
    downAfterGrace = Number(row?.count ?? 0);
  }
  return {
    version,
    effectiveOn: asOf,
    recompute,
    moves,
    up: total("up"),
    down: total("down"),
    downAfterGrace,
    graceEndsOn,
  };
}

/** What changing to `input` today would do: the moves, by tier, now and when the new grace period ends. */
export async function previewLoyaltyProgram(
  database: Database,
  shopId: string,
  input: LoyaltyProgramInput,
  options: { asOf?: Day; batchSize?: number } = {},
): Promise<ProgramChangePreview> {
  const { program, shop, asOf } = await programChange(database, shopId, input, options.asOf);
  const { prisma, sql } = database;
  const config = await loadSegmentConfig(prisma, shop);
  const preview = programPreview(config.program, config.programVersions, program, asOf);
  for (let after: string | null = null; ;) {
    const ids = await customerPage(sql, shopId, after, options.batchSize ?? 2000);
    if (ids.length === 0) break;
    after = ids[ids.length - 1] as string;
    const customers = { ids, contiguous: true };
    const [orders, states] = await Promise.all([
      readOrders(sql, shop, customers, false),
      loadCustomerStates(sql, shopId, customers, asOf),
    ]);
    for (const id of ids) {
      const state = states.get(id);
      preview.add({ orders: orders.get(id) ?? [], status: state?.status ?? null, override: state?.override ?? null });
    }
  }
  return preview.result();
}

export class OverrideError extends Error {
  override name = "OverrideError";
}

/**
 * The tier a customer holds today: an override in force, or the earned tier. Read under the segment lock after a
 * refresh, it is where the tier history left off (tiers/advance.ts), so an override's record continues the chain.
 */
async function heldTier(
  db: Prisma.TransactionClient,
  shopId: string,
  customerShopifyId: string,
  program: LoyaltyProgram,
  asOf: Day,
): Promise<string | null> {
  const override = await db.tierOverride.findFirst({
    where: {
      shopId,
      customerShopifyId,
      removedAt: null,
      OR: [{ until: null }, { until: { gte: dateOfDay(asOf) as Date } }],
    },
    orderBy: { id: "desc" },
  });
  if (override && tierIndex(program, override.tierId) >= 0) return override.tierId;
  const status = await db.loyaltyStatus.findUnique({
    where: { shopId_customerShopifyId: { shopId, customerShopifyId } },
    select: { tierId: true },
  });
  return status?.tierId ?? null;
}

const tierName = (program: LoyaltyProgram, tierId: string | null) =>
  tierId === null ? null : (program.tiers.find((tier) => tier.id === tierId)?.name ?? tierId);

/** A hand-made move in the tier history, with both tiers' names as the program calls them today. */
function recordOverrideMove(
  tx: Prisma.TransactionClient,
  move: { shopId: string; customerShopifyId: string; asOf: Day; program: LoyaltyProgram },
  change: {
    from: string | null;
    to: string | null;
    reason: "override-set" | "override-removed";
    detail: string | null;
  },
) {
  return tx.tierChange.create({
    data: {
      shopId: move.shopId,
      customerShopifyId: move.customerShopifyId,
      on: dateOfDay(move.asOf) as Date,
      fromTierId: change.from,
      fromTierName: tierName(move.program, change.from),
      toTierId: change.to,
      toTierName: tierName(move.program, change.to),
      reason: change.reason,
      detail: change.detail,
    },
  });
}

/**
 * Sets a customer's tier by hand, with a reason (required) and an optional last day. The customer is brought up
 * to date first, so the tier history records a move from the tier they really hold (none when it is the same).
 * `setBy` (who set it when it was not staff, e.g. Shopify Flow) is kept with the override and leads the history's
 * detail.
 */
export async function setTierOverride(
  database: Database,
  shopId: string,
  customerShopifyId: string,
  override: { tierId: string; reason: string; until?: Day | null; setBy?: string | null },
  options: { asOf?: Day } = {},
): Promise<void> {
  const { prisma } = database;
  const current = await getLoyaltyProgram(prisma, shopId);
  if (!current || tierIndex(current.program, override.tierId) < 0)
    throw new OverrideError(`unknown tier "${override.tierId}"`);
  if (!override.reason.trim()) throw new OverrideError("an override needs a reason");
  const customer = await prisma.customer.findUnique({
    where: { shopId_shopifyId: { shopId, shopifyId: customerShopifyId } },
    select: { deletedAt: true },
  });
  if (!customer || customer.deletedAt) throw new OverrideError(`no customer ${customerShopifyId} in this shop`);
  const shop = await loadShop(prisma, { id: shopId });
  const asOf = options.asOf ?? today(shop);
  await refreshCustomers(database, shopId, [customerShopifyId], { asOf });
  await prisma.$transaction(async (tx) => {
    await lockShopSegmentsInPrisma(tx, shopId);
    const held = await heldTier(tx, shopId, customerShopifyId, current.program, asOf);
    await tx.tierOverride.updateMany({
      where: { shopId, customerShopifyId, removedAt: null },
      data: { removedAt: new Date() },
    });
    await tx.tierOverride.create({
      data: {
        shopId,
        customerShopifyId,
        tierId: override.tierId,
        reason: override.reason.trim(),
        until: dateOfDay(override.until ?? null),
        setBy: override.setBy ?? null,
      },
    });
    if (held === override.tierId) return;
    await recordOverrideMove(
      tx,
      { shopId, customerShopifyId, asOf, program: current.program },
      {
        from: held,
        to: override.tierId,
        reason: "override-set",
        detail: override.setBy ? `set by ${override.setBy}: ${override.reason.trim()}` : override.reason.trim(),
      },
    );
  }, PRISMA_TRANSACTION_OPTIONS);
  await refreshCustomers(database, shopId, [customerShopifyId], { asOf });
}

/** Removes a customer's override; the tier history records the move back to the earned tier (if it is another). */
export async function removeTierOverride(
  database: Database,
  shopId: string,
  customerShopifyId: string,
  options: { removedBy?: string | null; asOf?: Day } = {},
): Promise<boolean> {
  const { prisma } = database;
  const shop = await loadShop(prisma, { id: shopId });
  const asOf = options.asOf ?? today(shop);
  const removedBy = options.removedBy ?? null;
  const current = await getLoyaltyProgram(prisma, shopId);
  await refreshCustomers(database, shopId, [customerShopifyId], { asOf });
  const removed = await prisma.$transaction(async (tx) => {
    await lockShopSegmentsInPrisma(tx, shopId);
    const active = await tx.tierOverride.findFirst({
      where: { shopId, customerShopifyId, removedAt: null },
      orderBy: { id: "desc" },
    });
    if (!active) return false;
    const held = current ? await heldTier(tx, shopId, customerShopifyId, current.program, asOf) : null;
    await tx.tierOverride.updateMany({
      where: { shopId, customerShopifyId, removedAt: null },
      data: { removedAt: new Date() },
    });
    const earned = current ? await heldTier(tx, shopId, customerShopifyId, current.program, asOf) : null;
    if (current && held !== earned) {
      await recordOverrideMove(
        tx,
        { shopId, customerShopifyId, asOf, program: current.program },
        { from: held, to: earned, reason: "override-removed", detail: removedBy ? `removed by ${removedBy}` : null },
      );
    }
    return true;
  }, PRISMA_TRANSACTION_OPTIONS);
  if (removed) await refreshCustomers(database, shopId, [customerShopifyId], { asOf });
  return removed;
}
