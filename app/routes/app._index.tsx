import { authenticatedShop } from "~/admin-request.server";
import { SectionCard } from "~/admin-ui/section-card";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DataTable, Layout, Page, Text } from "@shopify/polaris";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { dashboardPage } from "~/admin-data/dashboard-page.server";
import { DashboardCharts } from "~/admin-ui/dashboard/dashboard-charts";
import { DashboardFigures } from "~/admin-ui/dashboard/dashboard-figures";
import { count } from "~/admin-ui/format";
import { ImportProgressBanner } from "~/admin-ui/dashboard/import-progress-banner";
import { NeedsAttentionCard } from "~/admin-ui/dashboard/needs-attention-card";
import { NoOrdersCard } from "~/admin-ui/dashboard/no-orders-card";
import { PredictionTrackRecord } from "~/admin-ui/dashboard/prediction-track-record";
import { WinbackSegmentsCard } from "~/admin-ui/dashboard/winback-segments-card";
import { database } from "~/db.server";
import { STATUS_BADGE, verdictSummary } from "~/offers-admin/status";

export const links = () => [{ rel: "stylesheet", href: vizStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) =>
  dashboardPage(database(), await authenticatedShop(request));

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
