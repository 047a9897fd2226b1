import { authenticatedShop } from "~/admin-request.server";
import { SectionCard } from "~/admin-ui/section-card";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  EmptyState,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { PolarisVizProvider, SimpleBarChart } from "@shopify/polaris-viz";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { dashboardData } from "~/admin-data/dashboard.server";
import { needsAttention } from "~/admin-data/needs-attention";
import { offerList } from "~/admin-data/offers.server";
import { listSegments } from "~/admin-data/segments.server";
import { ClientChart } from "~/admin-ui/client-chart";
import { FigureCard } from "~/admin-ui/figure-card";
import { count, countOf, dateTime, money, month, percent } from "~/admin-ui/format";
import { movementHeading, movementText } from "~/admin-ui/movement";
import { PredictionTrackRecord } from "~/admin-ui/prediction-track-record";
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

/** Room for each bar and its label: polaris-viz refuses (with a console error) to squeeze them. */
const barChartHeight = (bars: number) => Math.max(160, 44 * bars + 24);

const EMPTY_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226"><circle cx="113" cy="113" r="90" fill="#e3f1df"/><rect x="63" y="120" width="20" height="40" rx="4" fill="#008060"/><rect x="103" y="95" width="20" height="65" rx="4" fill="#008060"/><rect x="143" y="70" width="20" height="90" rx="4" fill="#008060"/></svg>',
)}`;

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
  const cohorts = figures.cohorts.slice(-12);
  const notCounted = orderCounts.cancelledOrders + orderCounts.testOrders;
  return (
    <Page title="Dashboard" subtitle={`Customer health for ${shop}`}>
      <Layout>
        {backfill ? (
          <Layout.Section>
            <Banner
              tone={backfill.error ? "critical" : "info"}
              title={backfill.error ? "Order history import failed" : "Importing your order history"}
            >
              <BlockStack gap="200">
                <Text as="p">
                  {backfill.error ??
                    `${count(backfill.done)} of ${
                      backfill.total ? count(backfill.total) : "an unknown number of"
                    } records imported. Figures fill in as it runs.`}
                </Text>
                <ProgressBar
                  progress={backfill.total ? Math.min(100, (100 * backfill.done) / backfill.total) : 0}
                  size="small"
                />
              </BlockStack>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <SectionCard title="Needs attention">
            {attention.length ? (
              attention.map((item) => (
                <InlineStack key={item.id} gap="300" align="space-between" blockAlign="center" wrap={false}>
                  <InlineStack gap="200" blockAlign="center" wrap={false}>
                    <Badge tone={item.tone === "critical" ? "critical" : item.tone === "warning" ? "warning" : "info"}>
                      {item.tone === "critical" ? "Urgent" : item.tone === "warning" ? "Soon" : "Idea"}
                    </Badge>
                    <Text as="p">{item.text}</Text>
                  </InlineStack>
                  <Button url={item.action.url} accessibilityLabel={`${item.action.label}: ${item.text}`}>
                    {item.action.label}
                  </Button>
                </InlineStack>
              ))
            ) : (
              <Text as="p" tone="subdued">
                {figures.orders === 0
                  ? "Nothing yet: suggestions appear once your orders have been synced."
                  : "Nothing needs your attention right now. Cadence watches for high-value customers at risk, tiers whose repeat rate falls, offers doing worse than none, upcoming anniversaries and recent refunds."}
              </Text>
            )}
          </SectionCard>
        </Layout.Section>
        {figures.orders === 0 ? (
          <Layout.Section>
            <Card>
              <EmptyState
                heading="No orders yet"
                image={EMPTY_IMAGE}
                action={{ content: "See sync status", url: "/app/sync" }}
              >
                <p>
                  Cadence builds its figures and segments from your orders. Repeat rate, retention, tiers and segments
                  appear here as soon as the first orders are synced.
                </p>
              </EmptyState>
            </Card>
          </Layout.Section>
        ) : (
          <>
            <Layout.Section>
              <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
                <FigureCard
                  label="Customers"
                  value={count(figures.customers)}
                  help={`${count(figures.buyers)} have ordered`}
                />
                <FigureCard
                  label="Repeat-purchase rate"
                  value={percent(figures.repeatPurchaseRate, 1)}
                  help="Customers who ordered, with a second order"
                />
                <FigureCard
                  label="Returning-customer revenue"
                  value={percent(figures.returningRevenueShare, 1)}
                  help={`${money(figures.returningRevenueMinor, currency)} of ${money(figures.revenueMinor, currency)}`}
                />
                <FigureCard
                  label="Average order value"
                  value={money(figures.averageOrderValueMinor, currency)}
                  help={`Net revenue ÷ ${countOf(figures.orders, "order")}`}
                />
              </InlineGrid>
            </Layout.Section>
            <Layout.Section>
              <InlineGrid columns={{ xs: 1, sm: 2 }} gap="400">
                <FigureCard
                  label="Orders"
                  value={count(figures.orders)}
                  help={`Every figure here counts these: orders that are not cancelled and not test orders. ${
                    notCounted
                      ? `${count(orderCounts.orders)} synced in all; ${countOf(
                          orderCounts.cancelledOrders,
                          "cancelled order",
                        )} and ${countOf(orderCounts.testOrders, "test order")} are left out.`
                      : "None synced is left out."
                  } Last webhook ${dateTime(lastWebhookAt)}.`}
                />
                <FigureCard
                  label="Revenue at risk"
                  value={money(figures.revenueAtRiskMinor, currency)}
                  help={`12-month value of ${countOf(figures.atRiskCustomers, "customer")} at risk (lifecycle stage)`}
                />
              </InlineGrid>
            </Layout.Section>
            <Layout.Section>
              <PredictionTrackRecord data={predictionRecord} />
            </Layout.Section>
            <PolarisVizProvider>
              <Layout.Section variant="oneHalf">
                <SectionCard
                  title="Retention by first-order month"
                  subtitle="Share of each month's new customers who came back for a second order"
                >
                  <ClientChart
                    height={barChartHeight(cohorts.length)}
                    empty={cohorts.length ? null : "No customer has ordered yet."}
                    summary={cohorts
                      .map(
                        (c) => `${month(c.cohort)}: ${percent(c.customers ? c.returned / c.customers : null)} returned`,
                      )
                      .join("; ")}
                  >
                    {() => (
                      <SimpleBarChart
                        theme="Light"
                        showLegend={false}
                        yAxisOptions={{ labelFormatter: (value) => String(value) }}
                        xAxisOptions={{ labelFormatter: (value) => `${Math.round(Number(value))}%` }}
                        data={[
                          {
                            name: "Returned for a second order",
                            data: cohorts.map((c) => ({
                              key: month(c.cohort),
                              value: c.customers ? Math.round((1000 * c.returned) / c.customers) / 10 : 0,
                            })),
                          },
                        ]}
                      />
                    )}
                  </ClientChart>
                </SectionCard>
              </Layout.Section>
              <Layout.Section variant="oneHalf">
                <SectionCard title="Loyalty tiers" subtitle="Customers in each tier, lowest tier first">
                  <ClientChart
                    height={barChartHeight(figures.tiers.length)}
                    empty={figures.tiers.length ? null : "No customer has a tier yet."}
                    summary={figures.tiers.map((t) => `${t.tier}: ${countOf(t.customers, "customer")}`).join("; ")}
                  >
                    {() => (
                      <SimpleBarChart
                        theme="Light"
                        showLegend={false}
                        data={[
                          { name: "Customers", data: figures.tiers.map((t) => ({ key: t.tier, value: t.customers })) },
                        ]}
                      />
                    )}
                  </ClientChart>
                </SectionCard>
              </Layout.Section>
            </PolarisVizProvider>
            <Layout.Section>
              <SectionCard title="Win-back and occasion segments">
                {segments.segments.some((segment) => segment.customers > 0) ? (
                  <DataTable
                    columnContentTypes={["text", "numeric", "numeric", "numeric"]}
                    headings={[
                      "Segment",
                      "Customers",
                      "% of customers",
                      movementHeading(segments.movementFrom, segments.movementSinceImport),
                    ]}
                    rows={segments.segments.map((segment) => [
                      <Link key={segment.key} to={`/app/segments/${encodeURIComponent(segment.key)}`}>
                        {segment.name}
                      </Link>,
                      count(segment.customers),
                      percent(segment.shareOfCustomers, 1),
                      movementText(segment.trend30d),
                    ])}
                  />
                ) : (
                  <Text as="p" tone="subdued">
                    No customer is in a win-back or occasion segment yet.{" "}
                    <Link to="/app/segments">See every segment</Link>.
                  </Text>
                )}
                {segments.movementFrom ? null : (
                  <Text as="p" variant="bodySm" tone="subdued">
                    Movement in and out is counted once your order history has been imported and segmented.
                  </Text>
                )}
              </SectionCard>
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
