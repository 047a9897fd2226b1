import type { SqlExecutor } from "~/database/sql-executor";
import { DATA_REQUEST_KEEP_AFTER_HANDOVER_DAYS, DATA_REQUEST_KEEP_DAYS } from "./limits";

// Data retention: event logs older than the shop's retention period are deleted by the nightly full pass. Facts
// (orders, refunds, customers' IDs) stay as long as the app is installed, because segments are computed from
// them; Shopify's redaction webhooks delete those. The webhook ledger is kept at least 30 days whatever the
// setting: it is what makes a retried delivery (Shopify retries for up to 48 hours) take effect only once; finished
// privacy requests (which name nobody) are kept as long as the ledger. Data-request exports, which copy a customer's
// data, have fixed periods of their own (limits.ts), whatever the setting.

const LEDGER_MIN_DAYS = 30;

export interface PurgeResult {
  offerEvents: number;
  segmentTransitions: number;
  webhookDeliveries: number;
  privacyRequests: number;
  dataRequestExports: number;
}

export async function purgeExpiredRecords(sql: SqlExecutor, shopId: string, now = new Date()): Promise<PurgeResult> {
  const { rows } = await sql.query<{ days: number }>(`SELECT "dataRetentionDays" AS days FROM "Shop" WHERE id = $1`, [
    shopId,
  ]);
  const days = rows[0]?.days;
  if (days === undefined)
    return { offerEvents: 0, segmentTransitions: 0, webhookDeliveries: 0, privacyRequests: 0, dataRequestExports: 0 };
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const ledgerCutoff = new Date(now.getTime() - Math.max(days, LEDGER_MIN_DAYS) * 86_400_000);
  const deleted = async (table: string, condition: string, before: Date) => {
    const { rows: counted } = await sql.query<{ n: number }>(
      `WITH gone AS (DELETE FROM "${table}" WHERE "shopId" = $1 AND ${condition} RETURNING 1) SELECT count(*)::int AS n FROM gone`,
      [shopId, before.toISOString()],
    );
    return counted[0]?.n ?? 0;
  };
  return {
    offerEvents: await deleted("OfferEvent", `"occurredAt" < $2::timestamptz`, cutoff),
    segmentTransitions: await deleted("SegmentTransition", `at < $2::timestamptz`, cutoff),
    // The ledger's times are UTC without a zone.
    webhookDeliveries: await deleted(
      "WebhookDelivery",
      `"receivedAt" < ($2::timestamptz AT TIME ZONE 'UTC')`,
      ledgerCutoff,
    ),
    privacyRequests: await deleted("PrivacyRequest", `"finishedAt" < $2::timestamptz`, ledgerCutoff),
    dataRequestExports: await purgeDataRequestExports(sql, shopId, now),
  };
}

/** Exports handed over more than DATA_REQUEST_KEEP_AFTER_HANDOVER_DAYS ago, or assembled more than DATA_REQUEST_KEEP_DAYS ago. */
async function purgeDataRequestExports(sql: SqlExecutor, shopId: string, now: Date): Promise<number> {
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
  const { rows } = await sql.query<{ n: number }>(
    `WITH gone AS (
       DELETE FROM "DataRequestExport"
        WHERE "shopId" = $1 AND ("handedOverAt" < $2::timestamptz OR "createdAt" < ($3::timestamptz AT TIME ZONE 'UTC')) RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [shopId, daysAgo(DATA_REQUEST_KEEP_AFTER_HANDOVER_DAYS), daysAgo(DATA_REQUEST_KEEP_DAYS)],
  );
  return rows[0]?.n ?? 0;
}
