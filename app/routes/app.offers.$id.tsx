import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { formErrors, formFromOffer, offerInputFromForm, type OfferFormValues } from "~/admin-data/offer-form";
import { audienceChoices } from "~/admin-data/offers.server";
import { requireAdminShop } from "~/admin-data/shop.server";
import { count, money, share } from "~/admin-ui/format";
import { OfferForm } from "~/admin-ui/offer-form";
import { RouteErrorPage } from "~/admin-ui/route-error";
import { db } from "~/db.server";
import { enqueue, JOBS } from "~/jobs/queue.server";
import { isReady } from "~/offers/model";
import { shopOfferReports } from "~/offers/report.server";
import { deleteDraftOffer, getOffer, setOfferStatus, updateOffer } from "~/offers/store.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await requireAdminShop(db(), session.shop);
  const offer = await getOffer(db(), shop.id, params.id ?? "");
  if (!offer) throw new Response(`This shop has no offer "${params.id}".`, { status: 404 });
  const [choices, reports] = await Promise.all([audienceChoices(db(), shop.id), shopOfferReports(db(), shop.domain)]);
  const report = reports.offers.find((row) => row.offer.id === offer.id) ?? null;
  return { currency: shop.currencyCode, windowDays: reports.windowDays, id: offer.id, status: offer.status, ready: isReady(offer), values: formFromOffer(offer), choices, report };
};

const STATUS_INTENTS = { activate: "active", pause: "paused", archive: "archived" } as const;

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await requireAdminShop(db(), session.shop);
  const id = params.id ?? "";
  if (!(await getOffer(db(), shop.id, id))) return Response.json({ errors: { form: `This shop has no offer "${id}".` } }, { status: 404 });
  const fields = Object.fromEntries(await request.formData());
  const intent = String(fields.intent ?? "");
  const publish = () => enqueue(JOBS.publish, { shopId: shop.id }, { singletonKey: shop.id });
  if (intent === "delete") {
    const deleted = await deleteDraftOffer(db(), shop.id, id);
    if (!deleted.ok) return Response.json({ errors: { form: deleted.errors.id ?? "not deleted" } }, { status: 400 });
    return redirect("/app/offers?saved=deleted");
  }
  if (intent in STATUS_INTENTS) {
    const result = await setOfferStatus(db(), shop.id, id, STATUS_INTENTS[intent as keyof typeof STATUS_INTENTS]);
    if (!result.ok) return Response.json({ errors: { form: Object.values(result.errors).join("; ") } }, { status: 400 });
    await publish();
    return { saved: `Offer ${result.offer.status === "active" ? "activated" : result.offer.status}` };
  }
  if (intent !== "save") return Response.json({ errors: { form: `Unknown action "${intent}"` } }, { status: 400 });
  const form = offerInputFromForm(fields, await audienceChoices(db(), shop.id));
  if (!form.ok) return Response.json({ errors: form.errors, values: form.values }, { status: 400 });
  const updated = await updateOffer(db(), shop.id, id, form.input);
  if (!updated.ok) return Response.json({ errors: formErrors(updated.errors), values: form.values }, { status: 400 });
  await publish();
  return { saved: "Offer saved" };
};

type ActionResult = { saved?: string; errors?: Record<string, string>; values?: OfferFormValues };

const TONE: Record<string, "success" | "attention" | "info" | undefined> = { active: "success", paused: "attention", draft: "info" };

export default function OfferPage() {
  const { currency, windowDays, status, ready, values, choices, report } = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const [params] = useSearchParams();
  useEffect(() => {
    if (result?.saved) window.shopify?.toast.show(result.saved);
  }, [result]);
  const created = params.get("saved") === "created";
  useEffect(() => {
    if (created) window.shopify?.toast.show("Offer created as a draft");
  }, [created]);
  const statusButton = (intent: string, label: string, tone?: "critical") => (
    <Form method="post" key={intent}>
      <input type="hidden" name="intent" value={intent} />
      <Button submit tone={tone}>
        {label}
      </Button>
    </Form>
  );
  return (
    <Page title={values.name} titleMetadata={<Badge tone={TONE[status]}>{status}</Badge>} backAction={{ content: "Offers", url: "/app/offers" }}>
      <Layout>
        {!ready ? (
          <Layout.Section>
            <Banner tone="warning" title="Waiting for the discount code">
              <Text as="p">Cadence creates this offer's code in Shopify, restricted to its audience; shoppers see the offer once the code exists.</Text>
            </Banner>
          </Layout.Section>
        ) : null}
        {result?.errors?.form ? (
          <Layout.Section>
            <Banner tone="critical">
              <Text as="p">{result.errors.form}</Text>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <InlineStack gap="200">
            {status !== "active" && status !== "archived" ? statusButton("activate", status === "paused" ? "Resume" : "Activate") : null}
            {status === "active" ? statusButton("pause", "Pause") : null}
            {status !== "archived" && status !== "draft" ? statusButton("archive", "Archive", "critical") : null}
            {status === "draft" ? statusButton("delete", "Delete draft", "critical") : null}
          </InlineStack>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Results
              </Text>
              {report ? (
                <>
                  <DataTable
                    columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
                    headings={["Group", "Shoppers", "Converted", "Conversion rate", "Revenue per shopper"]}
                    rows={(["treatment", "holdout"] as const).map((arm) => {
                      const outcome = report.report.arms[arm];
                      return [arm === "treatment" ? "Shown the offer" : "Holdout", count(outcome.shoppers), count(outcome.conversions), share(outcome.conversionRate), money(Math.round(outcome.revenue.mean), currency)];
                    })}
                  />
                  {report.report.lift ? (
                    <Text as="p">
                      {`Conversion lift ${(report.report.lift.conversionDifference.estimate * 100).toFixed(1)} points (95% confidence interval ${(report.report.lift.conversionDifference.lower * 100).toFixed(1)} to ${(report.report.lift.conversionDifference.upper * 100).toFixed(1)})`}
                    </Text>
                  ) : null}
                  <Text as="p" fontWeight="semibold">
                    {report.report.verdict.message}
                  </Text>
                  <Text as="p" tone="subdued">{`Orders within ${windowDays} days of a shopper's first view count. Guests: ${count(report.guest.exposures)} views, ${count(report.guest.clicks)} clicks (not compared: guests have no holdout).`}</Text>
                </>
              ) : (
                <Text as="p" tone="subdued">
                  Results appear once the offer is active and shoppers have seen it.
                </Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <OfferForm key={JSON.stringify(result?.values ?? values)} initial={result?.values ?? values} choices={choices} errors={result?.errors ?? {}} submitLabel="Save offer" />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Offer" />;
}
