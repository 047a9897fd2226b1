import type { Database } from "~/db.server";
import { getLoyaltyProgram, setTierOverride } from "~/recompute/loyalty.server";
import { isoDateFromDay } from "~/profiles/days";
import { loadShop, today } from "~/recompute/facts.server";
import { customerGone, shopUsable } from "~/privacy/gone";
import type { SetTierRequest } from "./set-tier-request";
import { FLOW_ACTOR } from "./triggers";

// The "Set loyalty tier" Flow action: the same override the customer page sets (app/recompute/loyalty.server.ts),
// with the optional last day Flow passes, recorded in the tier history as set by Shopify Flow. A run Flow sends
// again (after a timeout or a 5xx) is applied once: applied runs are kept by action_run_id.

export type SetTierOutcome = { status: 200; applied: boolean } | { status: 404 | 422; errors: string[] };

export const DEFAULT_FLOW_REASON = "Set by a Shopify Flow workflow";

export async function applySetTier(
  database: Database,
  request: SetTierRequest,
  options: { now?: Date } = {},
): Promise<SetTierOutcome> {
  const { prisma } = database;
  const {
    rows: [shopRow],
  } = await database.sql.query<{ id: string }>(`SELECT s.id FROM "Shop" s WHERE s.domain = $1 AND ${shopUsable("s")}`, [
    request.shopDomain,
  ]);
  if (!shopRow) return { status: 404, errors: [`Cadence is not installed on ${request.shopDomain}.`] };
  const shopId = shopRow.id;
  const done = await prisma.flowActionRun.findUnique({
    where: { shopId_actionRunId: { shopId, actionRunId: request.actionRunId } },
  });
  if (done) return { status: 200, applied: false };

  const errors: string[] = [];
  const program = await getLoyaltyProgram(prisma, shopId);
  const wanted = request.tier.toLowerCase();
  const tier =
    program?.program.tiers.find((candidate) => candidate.id === request.tier) ??
    program?.program.tiers.find((candidate) => candidate.name.toLowerCase() === wanted);
  if (!program)
    errors.push("This shop has no loyalty program yet: Cadence creates one at its first full segment pass.");
  else if (!tier)
    errors.push(
      `There is no tier "${request.tier}". This shop's tiers are ${program.program.tiers
        .map((t) => t.name)
        .join(", ")}.`,
    );
  const shop = await loadShop(prisma, { id: shopId });
  const asOf = today(shop, options.now);
  if (request.until !== null && request.until < asOf)
    errors.push(
      `The end date ${isoDateFromDay(request.until)} has already passed (today is ${isoDateFromDay(
        asOf,
      )} in the shop's time zone).`,
    );
  if (errors.length) return { status: 422, errors };

  const customer = await prisma.customer.findUnique({
    where: { shopId_shopifyId: { shopId, shopifyId: request.customerId } },
    select: { deletedAt: true },
  });
  // A customer whose redaction is pending is gone (app/privacy/gone.ts): nothing is written under their ID.
  if (!customer || customer.deletedAt || (await customerGone(prisma, shopId, request.customerId)))
    return {
      status: 404,
      errors: [`Cadence has no customer ${request.customerId} in this shop (it learns customers from their orders).`],
    };

  await setTierOverride(
    database,
    shopId,
    request.customerId,
    { tierId: tier!.id, reason: request.reason ?? DEFAULT_FLOW_REASON, until: request.until, setBy: FLOW_ACTOR },
    { asOf },
  );
  await prisma.flowActionRun.upsert({
    where: { shopId_actionRunId: { shopId, actionRunId: request.actionRunId } },
    create: { shopId, actionRunId: request.actionRunId },
    update: {},
  });
  return { status: 200, applied: true };
}
