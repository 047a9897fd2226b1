import { authenticatedShop } from "~/admin-request.server";
import { SectionCard } from "~/admin-ui/section-card";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Card,
  DataTable,
  InlineGrid,
  Layout,
  List,
  Page,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { FigureCard } from "~/admin-ui/figure-card";
import { count, countOf, date, dateTime } from "~/admin-ui/format";
import { importKindLabel, outcomeLabel, stateLabel, topicLabel } from "~/admin-ui/sync-words";
import { database } from "~/db.server";
import { describePrivacyRequest, syncStatus } from "~/ingest/sync-status";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shop = await authenticatedShop(request);
  return { status: await syncStatus(database().sql, shop.domain) };
};

const when = (iso: string | null) => dateTime(iso);

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
                      {`${work.label}: failed ${count(work.failures)} ${
                        work.failures === 1 ? "time" : "times in a row"
                      } since ${when(work.failingSince)}; last tried ${when(work.lastRunAt)}.`}
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
            <FigureCard
              label="Orders"
              value={count(status.facts.countedOrders)}
              help={`Counted in every figure: not cancelled, not test orders. ${count(
                status.facts.orders,
              )} received from Shopify; not counted: ${countOf(
                status.facts.cancelledOrders,
                "cancelled order",
              )}, ${countOf(status.facts.testOrders, "test order")}.`}
            />
            <FigureCard label="Customers" value={count(status.facts.customers)} />
            <FigureCard
              label="Profiles waiting for refresh"
              value={count(status.pending.profileRefresh)}
              help="Refreshed every minute"
            />
            <FigureCard label="Shoppers waiting to publish" value={count(status.pending.publish)} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <SectionCard title="Order history import">
            {backfill ? (
              <>
                <Text as="p">
                  <Badge
                    tone={
                      backfill.state === "completed" ? "success" : backfill.state === "failed" ? "critical" : "info"
                    }
                  >
                    {stateLabel(backfill.state)}
                  </Badge>{" "}
                  · started {when(backfill.startedAt)} · finished{" "}
                  {backfill.finishedAt ? when(backfill.finishedAt) : "not yet"}
                </Text>
                {backfill.error ? (
                  <Banner tone="critical" title="The import stopped">
                    <Text as="p">{backfill.error}</Text>
                  </Banner>
                ) : null}
                {backfill.imports.map((run) => (
                  <BlockStack gap="100" key={`${run.kind}-${run.status}-${run.objectsDone}`}>
                    <Text as="p">{`${importKindLabel(run.kind)}: ${count(run.objectsDone)} of ${
                      run.objectsTotal === null ? "a number Shopify has not given yet" : count(run.objectsTotal)
                    } (${stateLabel(run.status).toLowerCase()})`}</Text>
                    <ProgressBar
                      progress={
                        run.objectsTotal
                          ? Math.min(100, (100 * run.objectsDone) / run.objectsTotal)
                          : run.status === "done"
                            ? 100
                            : 0
                      }
                      size="small"
                    />
                  </BlockStack>
                ))}
                {backfill.refundDetails.total ? (
                  <Text as="p">{`Refund details: ${count(backfill.refundDetails.done)} of ${count(
                    backfill.refundDetails.total,
                  )}`}</Text>
                ) : null}
              </>
            ) : (
              <Text as="p" tone="subdued">
                The import of your order history has not started. It starts when Cadence is installed from the Shopify
                admin.
              </Text>
            )}
          </SectionCard>
        </Layout.Section>
        <Layout.Section>
          <SectionCard title="Webhooks">
            <Text as="p">
              {outcomes.length
                ? `Last 24 hours: ${outcomes
                    .map(([outcome, n]) => `${outcomeLabel(outcome)}: ${count(n)}`)
                    .join(" · ")}`
                : "No webhook in the last 24 hours."}
            </Text>
            <DataTable
              columnContentTypes={["text", "text", "text"]}
              headings={["Topic", "Last received", "Outcome"]}
              rows={status.webhooks.lastByTopic.map((row) => [
                topicLabel(row.topic),
                when(row.receivedAt),
                outcomeLabel(row.outcome),
              ])}
            />
            {status.webhooks.recentProblems.length ? (
              <>
                <Text as="h3" variant="headingSm">
                  Recent problems
                </Text>
                <DataTable
                  columnContentTypes={["text", "text", "text", "text"]}
                  headings={["Received", "Topic", "Outcome", "Detail"]}
                  rows={status.webhooks.recentProblems.map((row) => [
                    when(row.receivedAt),
                    topicLabel(row.topic),
                    outcomeLabel(row.outcome),
                    row.detail ? row.detail.charAt(0).toUpperCase() + row.detail.slice(1) : "",
                  ])}
                />
              </>
            ) : null}
          </SectionCard>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Privacy requests
              </Text>
              <Text as="p" tone="subdued">
                Shopify&apos;s customer redactions, customer data requests and shop redactions. Cadence treats the
                customer as deleted from the moment a request arrives, and removes their data in the background.
              </Text>
              {status.privacy.pending.length + status.privacy.finished.length === 0 ? (
                <Text as="p">No privacy request has arrived.</Text>
              ) : (
                [...status.privacy.pending, ...status.privacy.finished].map((request, index) => (
                  <Text as="p" key={`${request.kind}-${request.receivedAt}-${index}`}>
                    {request.finishedAt ? null : <Badge tone="attention">In progress</Badge>}{" "}
                    {describePrivacyRequest(request, when)}
                  </Text>
                ))
              )}
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
                  ? `Last reconciliation ${when(reconciliation.lastRunAt)}: ${countOf(
                      reconciliation.orders,
                      "order",
                    )} and ${countOf(reconciliation.customers, "customer")} caught up.`
                  : "No reconciliation pass has run yet; it runs on a schedule to catch anything webhooks missed."}
              </Text>
              {reconciliation?.error ? (
                <Banner tone="critical" title="The last reconciliation failed">
                  <Text as="p">{reconciliation.error}</Text>
                </Banner>
              ) : null}
              <Text as="p">
                {status.lastFullPass?.asOf
                  ? `Last full segment pass: ${when(status.lastFullPass.fittedAt)}, ${countOf(
                      status.lastFullPass.customers ?? 0,
                      "customer",
                    )} as of ${date(status.lastFullPass.asOf)}.`
                  : "No full segment pass yet (nightly at 03:00 UTC)."}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
