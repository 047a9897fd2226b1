import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, DataTable, InlineGrid, Layout, List, Page, ProgressBar, Text } from "@shopify/polaris";
import { requireAdminShop } from "~/admin-data/shop.server";
import { FigureCard } from "~/admin-ui/figure-card";
import { count } from "~/admin-ui/format";
import { database } from "~/db.server";
import { syncStatus } from "~/ingest/sync-status";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await requireAdminShop(database().prisma, session.shop);
  return { status: await syncStatus(database().sql, shop.domain) };
};

const when = (iso: string | null) => (iso ? new Date(iso).toUTCString() : "never");

export default function SyncPage() {
  const { status } = useLoaderData<typeof loader>();
  const backfill = status.backfill;
  const reconciliation = status.reconciliation;
  const outcomes = Object.entries(status.webhooks.last24hByOutcome);
  return (
    <Page title="Sync status" backAction={{ content: "Dashboard", url: "/app" }}>
      <Layout>
        {status.failingWork.length ? (
          <Layout.Section>
            <Banner tone="critical" title="Some of Cadence's work for your shop is failing">
              <BlockStack gap="200">
                <Text as="p">Cadence tries again automatically. Your other data keeps syncing.</Text>
                <List>
                  {status.failingWork.map((work) => (
                    <List.Item key={work.job}>
                      {`${work.label}: failed ${count(work.failures)} ${work.failures === 1 ? "time" : "times in a row"} since ${when(work.failingSince)}; last tried ${when(work.lastRunAt)}.`}
                      {work.error ? (
                        <Text as="span" tone="subdued">{` Details for support: ${work.error}`}</Text>
                      ) : null}
                    </List.Item>
                  ))}
                </List>
              </BlockStack>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
            <FigureCard label="Orders" value={count(status.facts.orders)} />
            <FigureCard label="Customers" value={count(status.facts.customers)} />
            <FigureCard label="Profiles waiting for refresh" value={count(status.pending.profileRefresh)} help="Refreshed every minute" />
            <FigureCard label="Shoppers waiting to publish" value={count(status.pending.publish)} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Order history import
              </Text>
              {backfill ? (
                <>
                  <Text as="p">
                    State: <Badge tone={backfill.state === "completed" ? "success" : backfill.state === "failed" ? "critical" : "info"}>{backfill.state}</Badge> · started {when(backfill.startedAt)} · finished {when(backfill.finishedAt)}
                  </Text>
                  {backfill.error ? (
                    <Banner tone="critical" title="The import stopped">
                      <Text as="p">{backfill.error}</Text>
                    </Banner>
                  ) : null}
                  {backfill.imports.map((run) => (
                    <BlockStack gap="100" key={`${run.kind}-${run.status}-${run.objectsDone}`}>
                      <Text as="p">{`${run.kind}: ${count(run.objectsDone)} of ${run.objectsTotal === null ? "?" : count(run.objectsTotal)} (${run.status})`}</Text>
                      <ProgressBar progress={run.objectsTotal ? Math.min(100, (100 * run.objectsDone) / run.objectsTotal) : run.status === "done" ? 100 : 0} size="small" />
                    </BlockStack>
                  ))}
                  {backfill.refundDetails.total ? <Text as="p">{`Refund details: ${count(backfill.refundDetails.done)} of ${count(backfill.refundDetails.total)}`}</Text> : null}
                </>
              ) : (
                <Text as="p" tone="subdued">
                  The import of your order history has not started. It starts when Cadence is installed from the Shopify admin.
                </Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Webhooks
              </Text>
              <Text as="p">{outcomes.length ? `Last 24 hours: ${outcomes.map(([outcome, n]) => `${count(n)} ${outcome}`).join(", ")}` : "No webhook in the last 24 hours."}</Text>
              <DataTable columnContentTypes={["text", "text", "text"]} headings={["Topic", "Last received", "Outcome"]} rows={status.webhooks.lastByTopic.map((row) => [row.topic, when(row.receivedAt), row.outcome])} />
              {status.webhooks.recentProblems.length ? (
                <>
                  <Text as="h3" variant="headingSm">
                    Recent problems
                  </Text>
                  <DataTable
                    columnContentTypes={["text", "text", "text", "text"]}
                    headings={["Received", "Topic", "Outcome", "Detail"]}
                    rows={status.webhooks.recentProblems.map((row) => [when(row.receivedAt), row.topic, row.outcome, row.detail ?? ""])}
                  />
                </>
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Reconciliation and segments
              </Text>
              <Text as="p">
                {reconciliation
                  ? `Last reconciliation ${when(reconciliation.lastRunAt)}: ${count(reconciliation.orders)} orders and ${count(reconciliation.customers)} customers caught up.`
                  : "No reconciliation pass has run yet; it runs on a schedule to catch anything webhooks missed."}
              </Text>
              {reconciliation?.error ? (
                <Banner tone="critical" title="The last reconciliation failed">
                  <Text as="p">{reconciliation.error}</Text>
                </Banner>
              ) : null}
              <Text as="p">{status.lastFullPass?.asOf ? `Last full segment pass: as of ${status.lastFullPass.asOf}, ${count(status.lastFullPass.customers ?? 0)} customers.` : "No full segment pass yet (nightly at 03:00 UTC)."}</Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
