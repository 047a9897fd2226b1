import type { TierStatus } from "~/segments/tiers/replay";
import type { TierOverride } from "~/segments/tiers/standing";
import { customerCondition, dayOfText, isoDate, type CustomerSet, type SqlRunner } from "./database.server";
import type { Day } from "./days";

// What is stored per customer beyond the facts: the loyalty status the last pass left, and an active override.

export interface StoredStatus extends TierStatus {
  programVersion: number;
}

export interface CustomerState {
  status: StoredStatus | null;
  override: TierOverride | null;
}

interface StatusRow {
  id: string;
  version: number;
  tier: string | null;
  since: string | null;
  grace: string | null;
  evaluated: string;
}

interface OverrideRow {
  customer: string;
  tier: string;
  reason: string;
  until: string | null;
}

export async function loadCustomerStates(sql: SqlRunner, shopId: string, customers: CustomerSet, asOf: Day): Promise<Map<string, CustomerState>> {
  const states = new Map<string, CustomerState>(customers.ids.map((id) => [id, { status: null, override: null }]));
  if (customers.ids.length === 0) return states;
  const which = customerCondition(`"customerShopifyId"`, customers, 2);
  const statuses = await sql.query<StatusRow>(
    `SELECT "customerShopifyId" AS id, "programVersion"::int AS version, "tierId" AS tier, since::text AS since,
            "graceFrom"::text AS grace, "evaluatedOn"::text AS evaluated
       FROM "LoyaltyStatus" WHERE "shopId" = $1 AND ${which.sql}`,
    [shopId, ...which.params],
  );
  // The newest active override wins; setting one removes the previous (loyalty.server.ts), so there is at most one.
  const overrides = await sql.query<OverrideRow>(
    `SELECT "customerShopifyId" AS customer, "tierId" AS tier, reason, until::text AS until FROM "TierOverride"
      WHERE "shopId" = $1 AND ${which.sql} AND "removedAt" IS NULL AND (until IS NULL OR until >= $${which.params.length + 2}::date)
      ORDER BY id`,
    [shopId, ...which.params, isoDate(asOf)],
  );
  for (const row of statuses) {
    const state = states.get(row.id);
    if (!state) continue;
    state.status = {
      programVersion: Number(row.version),
      tierId: row.tier,
      since: dayOfText(row.since),
      graceFrom: dayOfText(row.grace),
      evaluatedOn: dayOfText(row.evaluated) as Day,
    };
  }
  for (const row of overrides) {
    const state = states.get(row.customer);
    if (state) state.override = { tierId: row.tier, reason: row.reason, until: dayOfText(row.until) };
  }
  return states;
}
