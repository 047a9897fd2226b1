import type { Database } from "~/db.server";
import { syncStatus } from "~/ingest/sync-status";
import { resolveSettings } from "~/segments/settings";
import { dashboardData } from "./dashboard.server";
import { needsAttention } from "./needs-attention";
import { offerList } from "./offers.server";
import { listSegments } from "./segments.server";
import type { AdminShop } from "./shop.server";
import { trackRecordData } from "./track-record.server";

// Everything the dashboard shows, read in one go: the figures, the import's progress, what needs the merchant's
// attention, the win-back and custom segments, the offers and how right the predictions were.

/** Imports still under way (or failed): the dashboard shows their progress; a finished one is not mentioned. */
const IMPORT_SHOWN = ["running", "importing", "refund-details", "failed"];

export async function dashboardPage(database: Database, shop: AdminShop) {
  const [figures, sync, offers, segments, settings, predictionRecord] = await Promise.all([
    dashboardData(database.prisma, shop.id),
    syncStatus(database.sql, shop.domain),
    offerList(database.prisma, shop),
    listSegments(database.prisma, shop.id),
    database.prisma.segmentSettings.findUnique({ where: { shopId: shop.id }, select: { settings: true } }),
    trackRecordData(database.prisma, shop.id),
  ]);
  const backfill = sync.backfill && IMPORT_SHOWN.includes(sync.backfill.state) ? sync.backfill : null;
  const imported = backfill?.imports.reduce(
    (done, item) => ({ done: done.done + item.objectsDone, total: done.total + (item.objectsTotal ?? 0) }),
    { done: 0, total: 0 },
  );
  const size = (key: string) => segments.segments.find((segment) => segment.key === key)?.customers ?? 0;
  const attention = needsAttention({
    currency: shop.currencyCode,
    importProblem: sync.backfill?.state === "failed" ? (sync.backfill.error ?? "Shopify refused the import") : null,
    highValueAtRisk: {
      customers: figures.highValueAtRisk.customers,
      valueMinor: Number(figures.highValueAtRisk.valueMinor),
    },
    atRisk: { customers: figures.atRiskCustomers, valueMinor: Number(figures.revenueAtRiskMinor) },
    unhappy: size("unhappy"),
    anniversaries: {
      customers: size("first_order_anniversary"),
      leadDays: resolveSettings(settings?.settings ?? {}).winback.anniversaryLeadDays,
    },
    tiers: figures.tierRepeat,
    offers: offers.offers.map((offer) => ({
      id: offer.id,
      name: offer.name,
      status: offer.status,
      audience: offer.audienceValue,
      verdict: offer.verdict,
    })),
  });
  return {
    shop: shop.domain,
    currency: shop.currencyCode,
    figures,
    orderCounts: sync.facts,
    lastWebhookAt:
      sync.webhooks.lastByTopic
        .map((row) => row.receivedAt)
        .sort()
        .at(-1) ?? null,
    backfill: backfill && {
      state: backfill.state,
      error: backfill.error,
      done: imported?.done ?? 0,
      total: imported?.total ?? 0,
    },
    attention,
    segments: {
      ...segments,
      segments: segments.segments.filter((segment) => segment.group === "winback" || segment.group === "custom"),
    },
    offers: offers.offers,
    predictionRecord,
  };
}
