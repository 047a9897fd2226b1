import { authenticatedShop } from "~/admin-request.server";
import { SectionCard } from "~/admin-ui/section-card";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DataTable, Layout, Page, Text } from "@shopify/polaris";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { dashboardData } from "~/admin-data/dashboard.server";
import { needsAttention } from "~/admin-data/needs-attention";
import { offerList } from "~/admin-data/offers.server";
import { listSegments } from "~/admin-data/segments.server";
import { DashboardCharts } from "~/admin-ui/dashboard/dashboard-charts";
import { DashboardFigures } from "~/admin-ui/dashboard/dashboard-figures";
import { count } from "~/admin-ui/format";
import { ImportProgressBanner } from "~/admin-ui/dashboard/import-progress-banner";
import { NeedsAttentionCard } from "~/admin-ui/dashboard/needs-attention-card";
import { NoOrdersCard } from "~/admin-ui/dashboard/no-orders-card";
import { PredictionTrackRecord } from "~/admin-ui/dashboard/prediction-track-record";
import { WinbackSegmentsCard } from "~/admin-ui/dashboard/winback-segments-card";
import { trackRecordData } from "~/admin-data/track-record.server";
import { database } from "~/db.server";
import { syncStatus } from "~/ingest/sync-status";
import { STATUS_BADGE, verdictSummary } from "~/offers-admin/status";
import { resolveSettings } from "~/segments/settings";

export const links = () => [{ rel: "stylesheet", href: vizStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shop = await authenticatedShop(request);
  const [figures, sync, offers, segments, settings, predictionRecord] = await Promise.all([
    dashboardData(database().prisma, shop.id),
    syncStatus(database().sql, shop.domain),
    offerList(database().prisma, shop),
    listSegments(database().prisma, shop.id),
    database().prisma.segmentSettings.findUnique({ where: { shopId: shop.id }, select: { settings: true } }),
    trackRecordData(database().prisma, shop.id),
  ]);
  const backfill =
    sync.backfill && ["running", "importing", "refund-details", "failed"].includes(sync.backfill.state)
      ? sync.backfill
      : null;
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
};

export default function Dashboard() {
  const {
    shop,
    currency,
    figures,
    orderCounts,
    lastWebhookAt,
    backfill,
    attention,
    segments,
    offers,
    predictionRecord,
  } = useLoaderData<typeof loader>();
  return (
    <Page title="Dashboard" subtitle={`Customer health for ${shop}`}>
      <Layout>
        {backfill ? (
          <Layout.Section>
            <ImportProgressBanner error={backfill.error} done={backfill.done} total={backfill.total} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <NeedsAttentionCard items={attention} noOrders={figures.orders === 0} />
        </Layout.Section>
        {figures.orders === 0 ? (
          <Layout.Section>
            <NoOrdersCard />
          </Layout.Section>
        ) : (
          <>
            <DashboardFigures
              figures={figures}
              currency={currency}
              orderCounts={orderCounts}
              lastWebhookAt={lastWebhookAt}
            />
            <Layout.Section>
              <PredictionTrackRecord data={predictionRecord} />
            </Layout.Section>
            <DashboardCharts figures={figures} />
            <Layout.Section>
              <WinbackSegmentsCard segments={segments} />
            </Layout.Section>
          </>
        )}
        <Layout.Section>
          <SectionCard title="Offers">
            {offers.length ? (
              <DataTable
                columnContentTypes={["text", "text", "numeric", "text"]}
                headings={["Offer", "Status", "Views", "Result"]}
                rows={offers.map((offer) => [
                  <Link key={offer.id} to={`/app/offers/${encodeURIComponent(offer.id)}`}>
                    {offer.name}
                  </Link>,
                  STATUS_BADGE[offer.status].label,
                  count(offer.exposures),
                  verdictSummary(offer.verdict, offer.audienceValue),
                ])}
              />
            ) : (
              <Text as="p" tone="subdued">
                No offer yet. <Link to="/app/offers/new">Create one</Link> to show it to a tier or segment and measure
                its lift against a holdout.
              </Text>
            )}
          </SectionCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
