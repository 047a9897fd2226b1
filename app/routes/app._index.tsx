import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Card, DataTable, EmptyState, InlineGrid, Layout, Page, ProgressBar, Text } from "@shopify/polaris";
import { PolarisVizProvider, SimpleBarChart } from "@shopify/polaris-viz";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { dashboardData } from "~/admin-data/dashboard.server";
import { requireAdminShop } from "~/admin-data/shop.server";
import { ClientChart } from "~/admin-ui/client-chart";
import { FigureCard } from "~/admin-ui/figure-card";
import { PredictionTrackRecord } from "~/admin-ui/prediction-track-record";
import { trackRecordData } from "~/admin-data/track-record.server";
import { count, money, share } from "~/admin-ui/format";
import { database } from "~/db.server";
import { syncStatus } from "~/ingest/sync-status";
import { syncCounts } from "~/shop-overview/sync-counts";
import { shopOfferReports } from "~/offers/report.server";
import { authenticate } from "~/shopify.server";
import { BUILTIN_SEGMENT_NAMES } from "~/segments/winback/occasions";

export const links = () => [{ rel: "stylesheet", href: vizStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await requireAdminShop(database().prisma, session.shop);
  const [figures, counts, sync, offers, customs, predictionRecord] = await Promise.all([
    dashboardData(database().prisma, shop.id),
    syncCounts(database().prisma, shop.domain),
    syncStatus(database().sql, shop.domain),
    shopOfferReports(database().prisma, shop.domain),
    database().prisma.segmentDefinition.findMany({ where: { shopId: shop.id }, select: { key: true, name: true } }),
    trackRecordData(database().prisma, shop.id),
  ]);
  const segmentNames: Record<string, string> = { ...BUILTIN_SEGMENT_NAMES, ...Object.fromEntries(customs.map((custom) => [custom.key, custom.name])) };
  const backfill = sync.backfill && ["running", "importing", "refund-details", "failed"].includes(sync.backfill.state) ? sync.backfill : null;
  const imported = backfill?.imports.reduce((done, item) => ({ done: done.done + item.objectsDone, total: done.total + (item.objectsTotal ?? 0) }), { done: 0, total: 0 });
  return {
    shop: shop.domain,
    currency: shop.currencyCode,
    figures: { ...figures, segments: figures.segments.map((segment) => ({ ...segment, name: segmentNames[segment.key] ?? segment.key })) },
    syncedOrders: counts?.orders ?? 0,
    lastWebhookAt: sync.webhooks.lastByTopic.map((row) => row.receivedAt).sort().at(-1) ?? null,
    backfill: backfill && { state: backfill.state, error: backfill.error, done: imported?.done ?? 0, total: imported?.total ?? 0 },
    predictionRecord,
    offers: offers.offers.map((row) => ({ id: row.offer.id, name: row.offer.name, status: row.offer.status, verdict: row.report.verdict.message, exposures: row.report.arms.treatment.exposures + row.report.arms.holdout.exposures })),
  };
};


/** Room for each bar and its label: polaris-viz refuses (with a console error) to squeeze them. */
const barChartHeight = (bars: number) => Math.max(160, 44 * bars + 24);

export default function Dashboard() {
  const { shop, currency, figures, syncedOrders, lastWebhookAt, backfill, offers, predictionRecord } = useLoaderData<typeof loader>();
  const cohorts = figures.cohorts.slice(-12);
  return (
    <Page title="Dashboard" subtitle={`Customer health for ${shop}`}>
      <Layout>
        {backfill ? (
          <Layout.Section>
            <Banner tone={backfill.error ? "critical" : "info"} title={backfill.error ? "Order history import failed" : "Importing your order history"}>
              <BlockStack gap="200">
                <Text as="p">{backfill.error ?? `${count(backfill.done)} of ${backfill.total ? count(backfill.total) : "?"} records imported. Figures fill in as it runs.`}</Text>
                <ProgressBar progress={backfill.total ? Math.min(100, (100 * backfill.done) / backfill.total) : 0} size="small" />
              </BlockStack>
            </Banner>
          </Layout.Section>
        ) : null}
        {figures.orders === 0 ? (
          <Layout.Section>
            <Card>
              <EmptyState heading="No orders yet" image="" action={{ content: "See sync status", url: "/app/sync" }}>
                <p>Cadence builds segments from your orders. They appear here as soon as the first orders are synced.</p>
              </EmptyState>
            </Card>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
            <FigureCard label="Customers" value={count(figures.customers)} help={`${count(figures.buyers)} have ordered`} />
            <FigureCard label="Repeat-purchase rate" value={share(figures.repeatPurchaseRate)} help="Buyers with a second order" />
            <FigureCard label="Returning-customer revenue" value={share(figures.returningRevenueShare)} help={`${money(figures.returningRevenueMinor, currency)} of ${money(figures.revenueMinor, currency)}`} />
            <FigureCard label="Average order value" value={money(figures.averageOrderValueMinor, currency)} help={`${count(figures.orders)} orders`} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2 }} gap="400">
            <FigureCard label="Orders synced" value={count(syncedOrders)} help={lastWebhookAt ? `Last webhook ${new Date(lastWebhookAt).toUTCString()}` : "No webhook received yet"} />
            <FigureCard label="Revenue at risk" value={money(figures.revenueAtRiskMinor, currency)} help={`12-month value of ${count(figures.atRiskCustomers)} at-risk customers`} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <PredictionTrackRecord data={predictionRecord} />
        </Layout.Section>
        <PolarisVizProvider>
          <Layout.Section variant="oneHalf">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Retention by first-order month
                </Text>
                <ClientChart height={barChartHeight(cohorts.length)} summary={cohorts.map((c) => `${c.cohort}: ${share(c.customers ? c.returned / c.customers : null)} returned`).join("; ") || "No cohorts yet"}>
                  {() => (
                    <SimpleBarChart
                      theme="Light"
                      showLegend={false}
                      yAxisOptions={{ labelFormatter: (value) => String(value) }}
                      xAxisOptions={{ labelFormatter: (value) => `${Math.round(Number(value))}%` }}
                      data={[{ name: "Returned for a second order", data: cohorts.map((c) => ({ key: c.cohort, value: c.customers ? Math.round((1000 * c.returned) / c.customers) / 10 : 0 })) }]}
                    />
                  )}
                </ClientChart>
              </BlockStack>
            </Card>
          </Layout.Section>
          <Layout.Section variant="oneHalf">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Loyalty tiers
                </Text>
                <ClientChart height={barChartHeight(figures.tiers.length)} summary={figures.tiers.map((t) => `${t.tier}: ${t.customers}`).join("; ") || "No tiers yet"}>
                  {() => <SimpleBarChart theme="Light" showLegend={false} data={[{ name: "Customers", data: figures.tiers.map((t) => ({ key: t.tier, value: t.customers })) }]} />}
                </ClientChart>
              </BlockStack>
            </Card>
          </Layout.Section>
        </PolarisVizProvider>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Segments
              </Text>
              {figures.segments.length ? (
                <DataTable
                  columnContentTypes={["text", "numeric", "numeric"]}
                  headings={["Segment", "Customers", "Last 30 days"]}
                  rows={figures.segments.map((segment) => [
                    <Link key={segment.key} to={`/app/segments/${encodeURIComponent(segment.key)}`}>
                      {segment.name}
                    </Link>,
                    count(segment.customers),
                    `+${count(segment.entered30d)} / −${count(segment.exited30d)}`,
                  ])}
                />
              ) : (
                <Text as="p" tone="subdued">
                  No customer is in a segment yet.
                </Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Offers
              </Text>
              {offers.length ? (
                <DataTable
                  columnContentTypes={["text", "text", "numeric", "text"]}
                  headings={["Offer", "Status", "Exposures", "Result"]}
                  rows={offers.map((offer) => [
                    <Link key={offer.id} to={`/app/offers/${encodeURIComponent(offer.id)}`}>
                      {offer.name}
                    </Link>,
                    offer.status,
                    count(offer.exposures),
                    offer.verdict,
                  ])}
                />
              ) : (
                <Text as="p" tone="subdued">
                  No offer is live. <Link to="/app/offers">Create one</Link> to measure its lift against a holdout.
                </Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
