import type { StoredTierStatus } from "~/segments/tiers/advance";
import type { TierOverride } from "~/segments/tiers/standing";
import { customerCondition, dayOfText, isoDate } from "./database.server";
import type { CustomerSet } from "./database.server";
import type { SqlExecutor } from "~/database/sql-executor";
import type { Day } from "~/profiles/days";

// What is stored per customer beyond the facts: the loyalty status the last pass left, and the override that held
// the customer's tier at some point since (active today, or lapsed after the status was last evaluated, so the
// tier history records its end: tiers/advance.ts).

export type StoredStatus = StoredTierStatus;

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
  setBy: string | null;
  until: string | null;
}

export async function loadCustomerStates(
  sql: SqlExecutor,
  shopId: string,
  customers: CustomerSet,
  asOf: Day,
): Promise<Map<string, CustomerState>> {
  const states = new Map<string, CustomerState>(customers.ids.map((id) => [id, { status: null, override: null }]));
  if (customers.ids.length === 0) return states;
  const which = customerCondition(`"customerShopifyId"`, customers, 2);
  const overrideFor = customerCondition(`o."customerShopifyId"`, customers, 2);
  const { rows: statuses } = await sql.query<StatusRow>(
    `SELECT "customerShopifyId" AS id, "programVersion"::int AS version, "tierId" AS tier, since::text AS since,
            "graceFrom"::text AS grace, "evaluatedOn"::text AS evaluated
       FROM "LoyaltyStatus" WHERE "shopId" = $1 AND ${which.sql}`,
    [shopId, ...which.params],
  );
  // The newest active override wins; setting one removes the previous (loyalty.server.ts), so there is at most one.
  const { rows: overrides } = await sql.query<OverrideRow>(
    `SELECT o."customerShopifyId" AS customer, o."tierId" AS tier, o.reason, o."setBy" AS "setBy", o.until::text AS until
       FROM "TierOverride" o
       LEFT JOIN "LoyaltyStatus" s ON s."shopId" = o."shopId" AND s."customerShopifyId" = o."customerShopifyId"
      WHERE o."shopId" = $1 AND ${overrideFor.sql} AND o."removedAt" IS NULL
        AND (o.until IS NULL OR o.until >= LEAST(COALESCE(s."evaluatedOn", $${which.params.length + 2}::date), $${
          which.params.length + 2
        }::date))
      ORDER BY o.id`,
    [shopId, ...overrideFor.params, isoDate(asOf)],
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
    if (state) state.override = { tierId: row.tier, reason: row.reason, until: dayOfText(row.until), setBy: row.setBy };
  }
  return states;
}
