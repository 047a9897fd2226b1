import type { SqlExecutor } from "~/database/sql-executor";
import { parseProgram } from "~/segments/tiers/program";
import { BUILTIN_SEGMENT_NAMES } from "~/segments/winback/occasions";
import type { PayloadContext, SegmentSource, TierChangeSource, TriggerKind, TriggerSource } from "./triggers";

// What a batch of outbox rows says, read from the transitions they belong to: the tier change's names and reason, the
// segment transition's key and explanation, and the rest a payload needs (the earned tier, days since the last
// order). Every query is scoped by shop.

export interface OutboxRow {
  id: string;
  kind: TriggerKind;
  source: TriggerSource;
}

type Nullable<T> = { [K in keyof T]: T[K] | null };
/** One row of the query below: a tier change's columns or a segment transition's, the other's null (left joins). */
interface SourceRow
  extends
    Nullable<Omit<TierChangeSource, "kind" | "customerId">>,
    Nullable<Pick<SegmentSource, "segmentKey" | "explanation" | "daysSinceLastOrder">> {
  id: string;
  kind: TriggerKind;
  customer: string;
  value: string | null;
}

export async function loadSources(sql: SqlExecutor, shopId: string, ids: readonly string[]): Promise<OutboxRow[]> {
  const { rows } = await sql.query<SourceRow>(
    `SELECT t.id::text AS id, t.kind, t."customerShopifyId" AS customer, t."valueAtRiskMinor"::text AS value,
            c.reason, c.detail, c."fromTierId", c."fromTierName", c."toTierId", c."toTierName", ls."tierId" AS "earnedTierId",
            s."segmentKey", s.explanation, p."daysSinceLastOrder"
       FROM "FlowTrigger" t
       LEFT JOIN "TierChange" c ON c.id = t."tierChangeId"
       LEFT JOIN "SegmentTransition" s ON s.id = t."segmentTransitionId"
       LEFT JOIN "LoyaltyStatus" ls ON t.kind = 'tier-changed' AND ls."shopId" = t."shopId" AND ls."customerShopifyId" = t."customerShopifyId"
       LEFT JOIN "CustomerProfile" p ON t.kind = 'became-at-risk' AND p."shopId" = t."shopId" AND p."customerShopifyId" = t."customerShopifyId"
      WHERE t."shopId" = $1 AND t.id = ANY($2::bigint[])
      ORDER BY t.id`,
    [shopId, ids],
  );
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    source:
      row.kind === "tier-changed"
        ? {
            kind: row.kind,
            customerId: row.customer,
            reason: row.reason ?? "",
            detail: row.detail,
            fromTierId: row.fromTierId,
            fromTierName: row.fromTierName,
            toTierId: row.toTierId,
            toTierName: row.toTierName,
            earnedTierId: row.earnedTierId,
          }
        : {
            kind: row.kind,
            customerId: row.customer,
            segmentKey: row.segmentKey ?? "",
            explanation: row.explanation,
            valueAtRiskMinor: row.value === null ? null : BigInt(row.value),
            daysSinceLastOrder: row.daysSinceLastOrder,
          },
  }));
}

/** The shop's currency, current tiers (lowest first) and every segment name, built-in and custom (archived too). */
export async function loadPayloadContext(sql: SqlExecutor, shopId: string): Promise<PayloadContext> {
  // One after the other: the dispatcher's connection runs one query at a time.
  const shop = await sql.query<{ currency: string }>(`SELECT "currencyCode" AS currency FROM "Shop" WHERE id = $1`, [
    shopId,
  ]);
  const program = await sql.query<{ definition: unknown }>(
    `SELECT definition FROM "LoyaltyProgram" WHERE "shopId" = $1`,
    [shopId],
  );
  const customs = await sql.query<{ key: string; name: string }>(
    `SELECT key, name FROM "SegmentDefinition" WHERE "shopId" = $1`,
    [shopId],
  );
  const definition = program.rows[0]?.definition;
  const tiers = definition ? parseProgram(definition).tiers.map((tier) => ({ id: tier.id, name: tier.name })) : [];
  const segmentNames = new Map<string, string>(Object.entries(BUILTIN_SEGMENT_NAMES));
  for (const custom of customs.rows) segmentNames.set(custom.key, custom.name);
  return { currency: shop.rows[0]?.currency ?? "USD", tiers, segmentNames };
}
