import { authenticatedShop } from "~/admin-request.server";
import { SectionCard } from "~/admin-ui/section-card";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Banner, DataTable, Layout, Page, Text } from "@shopify/polaris";
import { listSegments } from "~/admin-data/segments.server";
import type { SegmentGroup } from "~/admin-data/segments.server";
import { movementHeading, movementText } from "~/admin-ui/movement";
import { count, money, percent } from "~/admin-ui/format";
import { database } from "~/db.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shop = await authenticatedShop(request);
  return { currency: shop.currencyCode, list: await listSegments(database().prisma, shop.id) };
};

// Three families share names (At risk, New, Active…): each has its section, and what sets it apart is said first.
const GROUPS: { group: SegmentGroup; title: string; help: string }[] = [
  { group: "tiers", title: "Loyalty tiers", help: "From your loyalty program's spend and order thresholds." },
  {
    group: "winback",
    title: "Win-back and occasions",
    help: "Who to reach out to now: customers slipping away, unhappy ones, and moments like an anniversary. Offers can target these. At risk, Lapsed and Lost here hold the same customers as the lifecycle stages of those names.",
  },
  { group: "custom", title: "Custom segments", help: "Your own rules over customer figures." },
  {
    group: "rfm",
    title: "RFM groups",
    help: "Where each customer ranks against your other customers on recency, frequency and spend, as in Shopify's customer segments. At risk (RFM group) means bought often before but less recently than most of your customers.",
  },
  {
    group: "lifecycle",
    title: "Lifecycle stages",
    help: "Judged against each customer's own buying rhythm: At risk (lifecycle stage) means twice their usual gap between orders has passed, by default (Settings).",
  },
];

export default function Segments() {
  const { currency, list } = useLoaderData<typeof loader>();
  const heading = movementHeading(list.movementFrom, list.movementSinceImport);
  return (
    <Page
      title="Segments"
      subtitle={`${count(list.customers)} customers with a profile`}
      primaryAction={{ content: "Create segment", url: "/app/segments/new" }}
    >
      <Layout>
        {list.customers === 0 ? (
          <Layout.Section>
            <Banner tone="info" title="No customer has a profile yet">
              <Text as="p">
                Segments fill in as your orders are synced: every customer is placed in a tier, an RFM group and a
                lifecycle stage once they have one.
              </Text>
            </Banner>
          </Layout.Section>
        ) : null}
        {GROUPS.map(({ group, title, help }) => {
          const rows = list.segments.filter((segment) => segment.group === group);
          const logged = group === "tiers" || group === "winback" || group === "custom";
          return (
            <Layout.Section key={group}>
              <SectionCard title={title}>
                <Text as="p" tone="subdued">
                  {help}
                </Text>
                {rows.length ? (
                  <DataTable
                    columnContentTypes={
                      logged
                        ? ["text", "numeric", "numeric", "numeric", "numeric"]
                        : ["text", "numeric", "numeric", "numeric"]
                    }
                    headings={
                      logged
                        ? ["Segment", "Customers", "% of customers", "Net spend", heading]
                        : ["Segment", "Customers", "% of customers", "Net spend"]
                    }
                    rows={rows.map((segment) => [
                      <Link key={segment.key} to={`/app/segments/${encodeURIComponent(segment.key)}`}>
                        {segment.name}
                      </Link>,
                      count(segment.customers),
                      percent(segment.shareOfCustomers, 1),
                      money(segment.netSpendMinor, currency),
                      ...(logged ? [movementText(segment.trend30d)] : []),
                    ])}
                  />
                ) : (
                  <Text as="p" tone="subdued">
                    {group === "custom"
                      ? "No custom segment yet. Create one from your own rule with Create segment."
                      : "Nothing here until the first segment pass has run."}
                  </Text>
                )}
              </SectionCard>
            </Layout.Section>
          );
        })}
        {list.movementFrom ? null : (
          <Layout.Section>
            <Text as="p" tone="subdued">
              Movement in and out of segments is counted once your order history has been imported and segmented; until
              then every entry is the import placing customers.
            </Text>
          </Layout.Section>
        )}
      </Layout>
    </Page>
  );
}
