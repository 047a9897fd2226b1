import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Layout, Page } from "@shopify/polaris";
import { EMPTY_OFFER_FORM, formErrors, offerInputFromForm, type OfferFormValues } from "~/admin-data/offer-form";
import { audienceChoices } from "~/admin-data/offers.server";
import { requireAdminShop } from "~/admin-data/shop.server";
import { OfferForm } from "~/admin-ui/offer-form";
import { db } from "~/db.server";
import { enqueue, JOBS } from "~/jobs/queue.server";
import { createOffer } from "~/offers/store.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await requireAdminShop(db(), session.shop);
  return { choices: await audienceChoices(db(), shop.id) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await requireAdminShop(db(), session.shop);
  const choices = await audienceChoices(db(), shop.id);
  const form = offerInputFromForm(Object.fromEntries(await request.formData()), choices);
  if (!form.ok) return Response.json({ errors: form.errors, values: form.values }, { status: 400 });
  const created = await createOffer(db(), shop.id, { ...form.input, status: "draft" });
  if (!created.ok) return Response.json({ errors: formErrors(created.errors), values: form.values }, { status: 400 });
  await enqueue(JOBS.publish, { shopId: shop.id }, { singletonKey: shop.id });
  return redirect(`/app/offers/${encodeURIComponent(created.offer.id)}?saved=created`);
};

export default function NewOffer() {
  const { choices } = useLoaderData<typeof loader>();
  const result = useActionData<{ errors: Record<string, string>; values: OfferFormValues }>();
  return (
    <Page title="New offer" backAction={{ content: "Offers", url: "/app/offers" }}>
      <Layout>
        <Layout.Section>
          <OfferForm key={JSON.stringify(result?.values ?? null)} initial={result?.values ?? EMPTY_OFFER_FORM} choices={choices} errors={result?.errors ?? {}} submitLabel="Create offer (as a draft)" />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
