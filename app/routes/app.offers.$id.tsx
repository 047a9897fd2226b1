import { authenticatedShop } from "~/admin-request.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, Page, Text } from "@shopify/polaris";
import { changeOfferFromForm, offerPage } from "~/admin-data/offers.server";
import { database } from "~/db.server";
import { OfferForm, useOfferAction, useOfferValues } from "~/offers-admin/offer-form";
import { DiscountStatusBanner } from "~/offers-admin/discount-status";
import { OfferResultsCard } from "~/offers-admin/offer-results";
import { STATUS_BADGE } from "~/offers-admin/status";
import { queueOfferFollowUps } from "~/jobs/offer-follow-ups.server";
import { readAdminForm } from "~/request-body/read";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.offer.name ?? "Offer"} · Offers · Cadence` },
];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  return offerPage(database().prisma, await authenticatedShop(request), params.id ?? "");
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const shop = await authenticatedShop(request);
  const result = await changeOfferFromForm(database().prisma, shop, params.id ?? "", await readAdminForm(request));
  // The storefront shows the change once the shop's metafields (and a Cadence-created code) are republished.
  if (result.ok) await queueOfferFollowUps(database().prisma, shop.id, result.offerId);
  return data(result, { status: result.ok ? 200 : 400 });
};

// What the merchant can do with an offer in each status.
const STATUS_ACTIONS = {
  draft: [
    { content: "Activate", intent: "activate" },
    { content: "Delete draft", intent: "delete", destructive: true },
  ],
  active: [
    { content: "Pause", intent: "pause" },
    { content: "Archive", intent: "archive" },
  ],
  paused: [
    { content: "Resume", intent: "resume" },
    { content: "Archive", intent: "archive" },
  ],
  archived: [],
} as const;

export default function EditOffer() {
  const { offer, audiences, currency, discount, results } = useLoaderData<typeof loader>();
  const offerAction = useOfferAction();
  const { post, busy } = offerAction;
  const form = useOfferValues(offer.values);
  const badge = STATUS_BADGE[offer.status];
  return (
    <Page
      title={offer.name}
      titleMetadata={<Badge tone={badge.tone}>{badge.label}</Badge>}
      backAction={{ content: "Offers", url: "/app/offers" }}
      primaryAction={{
        content: "Save",
        loading: busy,
        disabled: !form.dirty,
        onAction: () => post("save", form.values),
      }}
      secondaryActions={STATUS_ACTIONS[offer.status].map(({ content, intent, ...rest }) => ({
        content,
        disabled: busy,
        onAction: () => post(intent),
        ...rest,
      }))}
    >
      <BlockStack gap="400">
        {discount && <DiscountStatusBanner status={discount} busy={busy} onRetry={() => post("retry-discount")} />}
        {results ? (
          <OfferResultsCard results={results} />
        ) : (
          <Card>
            <Text as="p" tone="subdued">
              Results appear here once the offer is active and shoppers have seen it.
            </Text>
          </Card>
        )}
        <OfferForm form={form} action={offerAction} audiences={audiences} currency={currency} />
      </BlockStack>
    </Page>
  );
}
