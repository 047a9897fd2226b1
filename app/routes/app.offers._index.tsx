import { authenticatedShop } from "~/admin-request.server";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Card, EmptyState, IndexTable, Link, Page, Text } from "@shopify/polaris";
import { offerList } from "~/admin-data/offers.server";
import { database } from "~/db.server";
import { points } from "~/offers-admin/offer-results";
import { STATUS_BADGE, verdictSummary } from "~/offers-admin/status";
import { formatCount } from "~/segments/explain/text";

export const meta: MetaFunction = () => [{ title: "Offers · Cadence" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  return offerList(database().prisma, await authenticatedShop(request));
};

// Drawn inline: the embedded app loads nothing from other hosts, and the image is decoration (empty alt).
const EMPTY_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226"><circle cx="113" cy="113" r="90" fill="#e3f1df"/><rect x="68" y="83" width="90" height="60" rx="8" fill="#008060"/></svg>',
)}`;

export default function Offers() {
  const { offers } = useLoaderData<typeof loader>();
  if (offers.length === 0)
    return (
      <Page title="Offers">
        <Card>
          <EmptyState
            heading="Show the right offer to the right customers"
            action={{ content: "Create offer", url: "/app/offers/new" }}
            image={EMPTY_IMAGE}
          >
            <p>
              Offers appear on your storefront for a tier or segment. Cadence holds out a share of the audience to
              measure whether each offer pays.
            </p>
          </EmptyState>
        </Card>
      </Page>
    );
  return (
    <Page title="Offers" primaryAction={{ content: "Create offer", url: "/app/offers/new" }}>
      <Card padding="0">
        <IndexTable
          resourceName={{ singular: "offer", plural: "offers" }}
          itemCount={offers.length}
          selectable={false}
          headings={[
            { title: "Offer" },
            { title: "Status" },
            { title: "Audience" },
            { title: "Priority", alignment: "end" },
            { title: "Headline" },
            { title: "Views", alignment: "end" },
            { title: "Result" },
          ]}
        >
          {offers.map((offer, index) => (
            <IndexTable.Row id={offer.id} key={offer.id} position={index}>
              <IndexTable.Cell>
                <Link url={`/app/offers/${offer.id}`} removeUnderline>
                  <Text as="span" fontWeight="semibold">
                    {offer.name}
                  </Text>
                </Link>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Badge tone={STATUS_BADGE[offer.status].tone}>{STATUS_BADGE[offer.status].label}</Badge>
              </IndexTable.Cell>
              <IndexTable.Cell>{offer.audience}</IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {offer.priority}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>{offer.headline}</IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {formatCount(offer.exposures)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                {/* IndexTable keeps cells on one line; a result is a sentence, so it wraps within the card. */}
                <div style={{ whiteSpace: "normal", minWidth: 160, maxWidth: 240 }}>
                  {offer.lift && offer.verdict !== "not_measured"
                    ? `${verdictSummary(offer.verdict, offer.audienceValue)}: ${points(
                        offer.lift.estimate,
                      )} (95% CI ${points(offer.lift.lower)} to ${points(offer.lift.upper)})`
                    : verdictSummary(offer.verdict, offer.audienceValue)}
                </div>
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      </Card>
    </Page>
  );
}
