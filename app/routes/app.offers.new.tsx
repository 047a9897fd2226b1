import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { useMemo } from "react";
import { Page } from "@shopify/polaris";
import { createOfferFromForm, newOfferPage } from "~/admin-data/offers.server";
import { EMPTY_OFFER_FORM } from "~/admin-data/offer-form";
import { requireAdminShop } from "~/admin-data/shop.server";
import { database } from "~/db.server";
import { OfferForm, useOfferAction, useOfferValues } from "~/offers-admin/offer-form";
import { queueOfferFollowUps } from "~/jobs/offer-follow-ups.server";
import { authenticate } from "~/shopify.server";
import { readAdminForm } from "~/request-body/read";

export const meta: MetaFunction = () => [{ title: "New offer · Cadence" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return newOfferPage(
    database().prisma,
    await requireAdminShop(database().prisma, session.shop),
    new URL(request.url).searchParams.get("audience"),
  );
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await requireAdminShop(database().prisma, session.shop);
  const result = await createOfferFromForm(database().prisma, shop, await readAdminForm(request));
  // The storefront shows the change once the shop's metafields (and a Cadence-created code) are republished.
  if (result.ok) await queueOfferFollowUps(database().prisma, shop.id, result.offerId);
  return data(result, { status: result.ok ? 200 : 400 });
};

export default function NewOffer() {
  const { audiences, currency, audience } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const { post, busy, errors } = useOfferAction((saved) => navigate(`/app/offers/${saved.offerId}`));
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
      <OfferForm
        form={form}
        audiences={audiences}
        currency={currency}
        errors={errors}
        busy={busy}
        onSave={(values) => post("save", values)}
      />
    </Page>
  );
}
