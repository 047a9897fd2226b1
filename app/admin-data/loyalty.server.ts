import type { PrismaClient } from "@prisma/client";
import type { Database } from "~/db.server";
import { enqueue, JOBS } from "~/queue/queue.server";
import { isoDate } from "~/recompute/database.server";
import { loadShop, today } from "~/recompute/facts.server";
import {
  APPLY_WAIT_MS,
  changeLoyaltyProgram,
  getLoyaltyProgram,
  previewLoyaltyProgram,
} from "~/recompute/loyalty.server";
import { parseProgram } from "~/segments/tiers/program";
import type { LoyaltyProgramInput } from "~/segments/tiers/program";
import { appliedSummary, describePreview, longDate } from "~/segments/explain/tier-program";
import { draftFromProgram } from "./loyalty-form";
import type { PreviewResult } from "./loyalty-form";

// What the tiers editor shows beside the program: how many customers hold each tier now, and how many of them are
// in a grace period (below the tier's keep threshold), with the first day one of those moves down.

export async function loyaltyPageData(prisma: PrismaClient, shop: { id: string; currencyCode: string }) {
  const current = await getLoyaltyProgram(prisma, shop.id);
  const asOf = today(await loadShop(prisma, { id: shop.id }));
  const [tierCounts, grace] = await Promise.all([
    prisma.customerProfile.groupBy({ by: ["tierId"], where: { shopId: shop.id }, _count: { _all: true } }),
    // Customers whose tier is set by hand keep it whatever their grace period says: not counted.
    prisma.$queryRaw<Array<{ tierId: string; customers: number; firstStart: string }>>`
      SELECT s."tierId", count(*)::int AS customers, min(s."graceFrom")::text AS "firstStart" FROM "LoyaltyStatus" s
       WHERE s."shopId" = ${shop.id} AND s."graceFrom" IS NOT NULL AND s."tierId" IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM "TierOverride" o WHERE o."shopId" = s."shopId" AND o."customerShopifyId" = s."customerShopifyId"
                           AND o."removedAt" IS NULL AND (o.until IS NULL OR o.until >= ${isoDate(asOf)}::date))
       GROUP BY s."tierId"`,
  ]);
  const graceDays = current?.program.graceDays ?? 0;
  return {
    currency: shop.currencyCode,
    version: current?.version ?? null,
    source: current?.source ?? null,
    draft: current ? draftFromProgram(current.program, shop.currencyCode) : null,
    counts: Object.fromEntries(tierCounts.map((row) => [row.tierId ?? "", row._count._all])),
    inGrace: Object.fromEntries(
      grace.map((row) => [
        row.tierId,
        {
          customers: Number(row.customers),
          firstEnds: longDate(Math.round(Date.parse(row.firstStart) / 86_400_000) + graceDays),
        },
      ]),
    ),
  };
}

/** The preview as the editor shows it: the counts and the sentences (tiers/wording.ts). */
export async function editorPreview(
  source: Database,
  shopId: string,
  program: LoyaltyProgramInput,
): Promise<PreviewResult> {
  const preview = await previewLoyaltyProgram(source, shopId, program);
  return {
    ...describePreview(preview),
    counts: preview.tiers,
    up: preview.up,
    down: preview.down,
    downAfterGrace: preview.downAfterGrace,
    stay: preview.stay,
    customers: preview.customers,
  };
}

/**
 * How long a save waits in the merchant's request for a recompute already running. Longer, and the program is applied
 * by a background pass that waits for that one (a request must not hang for minutes).
 */
const SAVE_WAIT_MS = 5_000;

/** Saves and applies the program; says what it did in the merchant's words. */
export async function editorSave(
  source: Database,
  shopId: string,
  program: LoyaltyProgramInput,
): Promise<{ version: number; summary: string }> {
  const applied = await changeLoyaltyProgram(source, shopId, program, { waitForOtherPassMs: SAVE_WAIT_MS });
  const names = new Map<string | null, string>(parseProgram(program).tiers.map((tier) => [tier.id, tier.name]));
  if (applied.recompute.status === "done") return { version: applied.version, summary: appliedSummary(applied, names) };
  // A key of its own: the running pass's job may hold the shop's usual key, and it read the previous program.
  await enqueue(
    JOBS.fullPass,
    { shopId, waitForOtherPassMs: APPLY_WAIT_MS },
    { singletonKey: `${shopId}:program-${applied.version}` },
  );
  return {
    version: applied.version,
    summary:
      "Saved. A recompute of your customers was already running; the new program is applied right after it, in the background. The moves show here and on each customer's page when it is done.",
  };
}
