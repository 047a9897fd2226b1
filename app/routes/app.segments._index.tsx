import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BlockStack, Card, DataTable, Layout, Page, Text } from "@shopify/polaris";
import { listSegments, type SegmentGroup } from "~/admin-data/segments.server";
import { requireAdminShop } from "~/admin-data/shop.server";
import { count, money } from "~/admin-ui/format";
import { database } from "~/db.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await requireAdminShop(database().prisma, session.shop);
  return { currency: shop.currencyCode, segments: await listSegments(database().prisma, shop.id) };
};

const GROUPS: { group: SegmentGroup; title: string; help: string }[] = [
  { group: "tiers", title: "Loyalty tiers", help: "From your loyalty program." },
  { group: "winback", title: "Win-back and occasions", help: "Customers slipping away, unhappy ones, and moments to reach out." },
  { group: "custom", title: "Custom segments", help: "Your own rules over customer figures." },
  { group: "rfm", title: "RFM groups", help: "Recency and frequency-plus-spend scores, as in Shopify's customer segments." },
  { group: "lifecycle", title: "Lifecycle stages", help: "Judged against each customer's own buying rhythm." },
];

function trend(value: { entered: number; exited: number } | null): string {
  if (!value) return "—";
  const net = value.entered - value.exited;
  return `${net > 0 ? "+" : net < 0 ? "−" : "±"}${count(Math.abs(net))} (in ${count(value.entered)}, out ${count(value.exited)})`;
}

export default function Segments() {
  const { currency, segments } = useLoaderData<typeof loader>();
  return (
    <Page title="Segments" primaryAction={{ content: "Create segment", url: "/app/segments/new" }}>
      <Layout>
        {GROUPS.map(({ group, title, help }) => {
          const rows = segments.filter((segment) => segment.group === group);
          return (
            <Layout.Section key={group}>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {title}
                  </Text>
                  <Text as="p" tone="subdued">
                    {help}
                  </Text>
                  {rows.length ? (
                    <DataTable
                      columnContentTypes={["text", "numeric", "numeric", "numeric"]}
                      headings={["Segment", "Customers", "Net spend", "Last 30 days"]}
                      rows={rows.map((segment) => [
                        <Link key={segment.key} to={`/app/segments/${encodeURIComponent(segment.key)}`}>
                          {segment.name}
                        </Link>,
                        count(segment.customers),
                        money(segment.netSpendMinor, currency),
                        trend(segment.trend30d),
                      ])}
                    />
                  ) : (
                    <Text as="p">{group === "custom" ? "No custom segment yet." : "Nothing here until the first segment pass has run."}</Text>
                  )}
                </BlockStack>
              </Card>
            </Layout.Section>
          );
        })}
      </Layout>
    </Page>
  );
}
