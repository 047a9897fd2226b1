import type { TierStatus } from "~/segments/tiers/replay";
import type { TierOverride } from "~/segments/tiers/standing";
import { dayOfDate, type Db } from "./database.server";
import type { Day } from "./days";

// What is stored per customer beyond the facts: the loyalty status the last pass left, and an active override.

export interface StoredStatus extends TierStatus {
  programVersion: number;
}

export interface CustomerState {
  status: StoredStatus | null;
  override: TierOverride | null;
}

export async function loadCustomerStates(db: Db, shopId: string, customerIds: readonly string[], asOf: Day): Promise<Map<string, CustomerState>> {
  const states = new Map<string, CustomerState>(customerIds.map((id) => [id, { status: null, override: null }]));
  if (customerIds.length === 0) return states;
  const ids = [...customerIds];
  const [statuses, overrides] = await Promise.all([
    db.loyaltyStatus.findMany({ where: { shopId, customerShopifyId: { in: ids } } }),
    db.tierOverride.findMany({
      where: { shopId, customerShopifyId: { in: ids }, removedAt: null, OR: [{ until: null }, { until: { gte: new Date(asOf * 86_400_000) } }] },
      orderBy: { createdAt: "asc" },
    }),
  ]);
  for (const row of statuses) {
    const state = states.get(row.customerShopifyId);
    if (!state) continue;
    state.status = {
      programVersion: row.programVersion,
      tierId: row.tierId,
      since: dayOfDate(row.since),
      graceFrom: dayOfDate(row.graceFrom),
      evaluatedOn: dayOfDate(row.evaluatedOn) as Day,
    };
  }
  // The newest override wins; setting one removes the previous (loyalty.server.ts), so there is at most one.
  for (const row of overrides) {
    const state = states.get(row.customerShopifyId);
    if (state) state.override = { tierId: row.tierId, reason: row.reason, until: dayOfDate(row.until) };
  }
  return states;
}
