import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { db } from "~/db.server";
import { authenticate } from "~/shopify.server";
import { syncCounts } from "~/shop-overview/sync-counts";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const counts = await syncCounts(db(), session.shop);
  return {
    shop: session.shop,
    orders: counts?.orders ?? 0,
    customers: counts?.customers ?? 0,
    lastWebhookAt: counts?.lastWebhookAt?.toISOString() ?? null,
  };
};

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          {value}
        </Text>
      </BlockStack>
    </Card>
  );
}

export default function Overview() {
  const { shop, orders, customers, lastWebhookAt } = useLoaderData<typeof loader>();
  const number = new Intl.NumberFormat("en");
  return (
    <Page title="Cadence">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Text as="p" tone="subdued">
              Synced data for {shop}
            </Text>
            <InlineGrid columns={{ xs: 1, sm: 2 }} gap="400">
              <Figure label="Orders synced" value={number.format(orders)} />
              <Figure label="Customers synced" value={number.format(customers)} />
            </InlineGrid>
            <Text as="p" tone="subdued">
              {lastWebhookAt ? `Last webhook received ${new Date(lastWebhookAt).toUTCString()}` : "No webhook received yet"}
            </Text>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
