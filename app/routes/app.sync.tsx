import { authenticatedShop } from "~/admin-request.server";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Layout, Page } from "@shopify/polaris";
import { FailingWorkBanner } from "~/admin-ui/sync/failing-work-banner";
import { OrderImportCard } from "~/admin-ui/sync/order-import-card";
import { PrivacyRequestsCard } from "~/admin-ui/sync/privacy-requests-card";
import { ReconciliationCard } from "~/admin-ui/sync/reconciliation-card";
import { SyncFigures } from "~/admin-ui/sync/sync-figures";
import { WebhooksCard } from "~/admin-ui/sync/webhooks-card";
import { database } from "~/db.server";
import { syncStatus } from "~/ingest/sync-status";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shop = await authenticatedShop(request);
  return { status: await syncStatus(database().sql, shop.domain) };
};

export default function SyncPage() {
  const { status } = useLoaderData<typeof loader>();
  return (
    <Page title="Sync status" backAction={{ content: "Dashboard", url: "/app" }}>
      <Layout>
        {status.failingWork.length ? (
          <Layout.Section>
            <FailingWorkBanner work={status.failingWork} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <SyncFigures facts={status.facts} pending={status.pending} />
        </Layout.Section>
        <Layout.Section>
          <OrderImportCard backfill={status.backfill} />
        </Layout.Section>
        <Layout.Section>
          <WebhooksCard webhooks={status.webhooks} />
        </Layout.Section>
        <Layout.Section>
          <PrivacyRequestsCard privacy={status.privacy} />
        </Layout.Section>
        <Layout.Section>
          <ReconciliationCard reconciliation={status.reconciliation} lastFullPass={status.lastFullPass} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
