import { authenticatedShop } from "~/admin-request.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { useMemo } from "react";
import { Page } from "@shopify/polaris";
import { createOfferFromForm, newOfferPage } from "~/admin-data/offers.server";
import { EMPTY_OFFER_FORM } from "~/admin-data/offer-form";
import { database } from "~/db.server";
import { OfferForm, useOfferAction, useOfferValues } from "~/offers-admin/offer-form";
import { queueOfferFollowUps } from "~/jobs/offer-follow-ups.server";
import { readAdminForm } from "~/request-body/read";

export const meta: MetaFunction = () => [{ title: "New offer · Cadence" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  return newOfferPage(
    database().prisma,
    await authenticatedShop(request),
    new URL(request.url).searchParams.get("audience"),
  );
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const shop = await authenticatedShop(request);
  const result = await createOfferFromForm(database().prisma, shop, await readAdminForm(request));
  // The storefront shows the change once the shop's metafields (and a Cadence-created code) are republished.
  if (result.ok) await queueOfferFollowUps(database().prisma, shop.id, result.offerId);
  return data(result, { status: result.ok ? 200 : 400 });
};

export default function NewOffer() {
  const { audiences, currency, audience } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const offerAction = useOfferAction((saved) => navigate(`/app/offers/${saved.offerId}`));
  const { post, busy } = offerAction;
  const initial = useMemo(() => (audience ? { ...EMPTY_OFFER_FORM, audience } : EMPTY_OFFER_FORM), [audience]);
  const form = useOfferValues(initial);
  return (
    <Page
      title="New offer"
      backAction={{ content: "Offers", url: "/app/offers" }}
      primaryAction={{ content: "Save as draft", loading: busy, onAction: () => post("save", form.values) }}
      secondaryActions={[
        { content: "Save and activate", disabled: busy, onAction: () => post("activate", form.values) },
      ]}
    >
      <OfferForm form={form} action={offerAction} audiences={audiences} currency={currency} />
    </Page>
  );
}
