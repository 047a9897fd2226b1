import type { PrismaClient } from "@prisma/client";
import { previewProgramChange, type ProgramChangePreview } from "~/segments/tiers/change";
import { parseProgram, tierIndex, type LoyaltyProgram, type LoyaltyProgramInput } from "~/segments/tiers/program";
import { initialStatus } from "~/segments/tiers/replay";
import { loadCustomerStates } from "./customer-state.server";
import { dateOfDay, segmentDb, type Db } from "./database.server";
import { saveProgramVersion } from "./program-store.server";
import type { Day } from "./days";
import { customerPage, loadShop, readOrders, today } from "./facts.server";
import { runFullPass, type FullPassResult } from "./full-pass.server";
import { refreshCustomers } from "./refresh.server";
import { loadSegmentConfig } from "./segment-config.server";

// The loyalty program's lifecycle: versions (every change kept), a preview of a change before it is made, and
// staff overrides. Changing the program never switches it off: the new version takes effect today and a full pass
// carries every customer over (app/segments/tiers/change.ts).

export async function getLoyaltyProgram(db: Db, shopId: string) {
  const row = await db.loyaltyProgram.findUnique({ where: { shopId } });
  return row && { version: row.version, source: row.source, effectiveOn: row.effectiveOn, program: parseProgram(row.definition) };
}

/** Saves a merchant's program (validated: InvalidProgramError) and recomputes every customer under it. */
export async function changeLoyaltyProgram(
  prisma: PrismaClient,
  shopId: string,
  input: LoyaltyProgramInput,
  options: { asOf?: Day } = {},
): Promise<{ version: number; recompute: FullPassResult }> {
  const program = parseProgram(input);
  const shop = await loadShop(prisma, { id: shopId });
  const asOf = options.asOf ?? today(shop);
  const version = await saveProgramVersion(prisma, shop, program, { source: "merchant", effectiveOn: asOf });
  return { version, recompute: await runFullPass(prisma, shopId, { asOf }) };
}

/** How many customers a program change would move up, down (now, or after the grace period) or leave. */
export async function previewLoyaltyProgram(prisma: PrismaClient, shopId: string, input: LoyaltyProgramInput, options: { asOf?: Day; batchSize?: number } = {}): Promise<ProgramChangePreview> {
  const program = parseProgram(input);
  const shop = await loadShop(prisma, { id: shopId });
  const asOf = options.asOf ?? today(shop);
  const config = await loadSegmentConfig(prisma, shop);
  const current = config.program;
  const sql = segmentDb(prisma).sql;
  // A shop without a program yet: everyone starts with no tier, as on the first day of the new one.
  const from: LoyaltyProgram = current?.program ?? { ...program, tiers: [] };
  const total: ProgramChangePreview = { customers: 0, up: 0, down: 0, downAfterGrace: 0, stay: 0, moves: {} };
  for (let after: string | null = null; ; ) {
    const ids = await customerPage(sql, shopId, after, options.batchSize ?? 2000);
    if (ids.length === 0) break;
    after = ids[ids.length - 1] as string;
    const [orders, states] = await Promise.all([readOrders(sql, shop, { ids, contiguous: true }, false), loadCustomerStates(sql, shopId, { ids, contiguous: true }, asOf)]);
    const customers = ids.map((id) => {
      const stored = states.get(id)?.status ?? null;
      const sameVersion = stored && current && stored.programVersion === current.version;
      return { orders: orders.get(id) ?? [], status: sameVersion ? stored : initialStatus(current?.effectiveOn ?? asOf) };
    });
    const part = previewProgramChange(from, program, customers, asOf);
    for (const key of ["customers", "up", "down", "downAfterGrace", "stay"] as const) total[key] += part[key];
    for (const [move, count] of Object.entries(part.moves)) total.moves[move] = (total.moves[move] ?? 0) + count;
  }
  return total;
}

export class OverrideError extends Error {
  override name = "OverrideError";
}

/**
 * Sets a customer's tier by hand, with a reason (required) and an optional last day; recorded in the history. `setBy`
 * (who set it when it was not staff, e.g. Shopify Flow) is kept with the override and leads the history's detail.
 */
export async function setTierOverride(
  prisma: PrismaClient,
  shopId: string,
  customerShopifyId: string,
  override: { tierId: string; reason: string; until?: Day | null; setBy?: string | null },
  options: { asOf?: Day } = {},
): Promise<void> {
  const program = await getLoyaltyProgram(prisma, shopId);
  if (!program || tierIndex(program.program, override.tierId) < 0) throw new OverrideError(`unknown tier "${override.tierId}"`);
  if (!override.reason.trim()) throw new OverrideError("an override needs a reason");
  const customer = await prisma.customer.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId: customerShopifyId } }, select: { deletedAt: true } });
  if (!customer || customer.deletedAt) throw new OverrideError(`no customer ${customerShopifyId} in this shop`);
  const shop = await loadShop(prisma, { id: shopId });
  const asOf = options.asOf ?? today(shop);
  const tier = program.program.tiers.find((t) => t.id === override.tierId);
  await prisma.$transaction(async (tx) => {
    await tx.tierOverride.updateMany({ where: { shopId, customerShopifyId, removedAt: null }, data: { removedAt: new Date() } });
    await tx.tierOverride.create({
      data: { shopId, customerShopifyId, tierId: override.tierId, reason: override.reason.trim(), until: dateOfDay(override.until ?? null), setBy: override.setBy ?? null },
    });
    const profile = await tx.customerProfile.findUnique({ where: { shopId_customerShopifyId: { shopId, customerShopifyId } }, select: { tierId: true, tierName: true } });
    await tx.tierChange.create({
      data: {
        shopId,
        customerShopifyId,
        on: dateOfDay(asOf) as Date,
        fromTierId: profile?.tierId ?? null,
        fromTierName: profile?.tierName ?? null,
        toTierId: override.tierId,
        toTierName: tier?.name ?? override.tierId,
        reason: "override-set",
        detail: override.setBy ? `set by ${override.setBy}: ${override.reason.trim()}` : override.reason.trim(),
      },
    });
  });
  await refreshCustomers(prisma, shopId, [customerShopifyId], { asOf });
}

export async function removeTierOverride(
  prisma: PrismaClient,
  shopId: string,
  customerShopifyId: string,
  options: { removedBy?: string | null; asOf?: Day } = {},
): Promise<boolean> {
  const shop = await loadShop(prisma, { id: shopId });
  const asOf = options.asOf ?? today(shop);
  const removedBy = options.removedBy ?? null;
  const removed = await prisma.$transaction(async (tx) => {
    const active = await tx.tierOverride.findFirst({ where: { shopId, customerShopifyId, removedAt: null }, orderBy: { id: "desc" } });
    if (!active) return false;
    await tx.tierOverride.updateMany({ where: { shopId, customerShopifyId, removedAt: null }, data: { removedAt: new Date() } });
    await tx.tierChange.create({
      data: { shopId, customerShopifyId, on: dateOfDay(asOf) as Date, fromTierId: active.tierId, reason: "override-removed", detail: removedBy ? `removed by ${removedBy}` : null },
    });
    return true;
  });
  if (removed) await refreshCustomers(prisma, shopId, [customerShopifyId], { asOf });
  return removed;
}
