import { authenticatedShop } from "~/admin-request.server";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, Layout, Page, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { z } from "zod";
import { customerDetail } from "~/admin-data/customer.server";
import { CustomerFigures } from "~/admin-ui/customer/customer-figures";
import { CustomerLabelsCard } from "~/admin-ui/customer/customer-labels-card";
import { CustomerOffersCard } from "~/admin-ui/customer/customer-offers-card";
import { RouteErrorPage } from "~/admin-ui/route-error";
import { PredictionTrackRecord } from "~/admin-ui/dashboard/prediction-track-record";
import { TierOverrideCard } from "~/admin-ui/customer/tier-override-card";
import { trackRecordData } from "~/admin-data/track-record.server";
import { database } from "~/db.server";
import { OverrideError, removeTierOverride, setTierOverride } from "~/recompute/loyalty.server";
import { readAdminForm } from "~/request-body/read";

const CUSTOMER_ID = /^\d{1,20}$/;

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const shop = await authenticatedShop(request);
  const id = params.id ?? "";
  if (!CUSTOMER_ID.test(id)) throw new Response(`"${id}" is not a Shopify customer ID (digits only).`, { status: 400 });
  const [customer, predictionRecord] = await Promise.all([
    customerDetail(database().prisma, shop, id),
    trackRecordData(database().prisma, shop.id, 1),
  ]);
  if (!customer) throw new Response(`This shop has no customer ${id}.`, { status: 404 });
  return { currency: shop.currencyCode, customer, predictionRecord };
};

const overrideForm = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("override"),
    tierId: z.string().min(1, "choose a tier"),
    reason: z.string().trim().min(1, "say why: the reason is kept in the tier history").max(500),
  }),
  z.object({ intent: z.literal("clear-override") }),
]);

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const shop = await authenticatedShop(request);
  const id = params.id ?? "";
  if (!CUSTOMER_ID.test(id))
    return Response.json({ errors: { form: `"${id}" is not a Shopify customer ID` } }, { status: 400 });
  const parsed = overrideForm.safeParse(Object.fromEntries(await readAdminForm(request)));
  if (!parsed.success) {
    const errors = Object.fromEntries(
      parsed.error.issues.map((issue) => [String(issue.path[0] ?? "form"), issue.message]),
    );
    return Response.json({ errors }, { status: 400 });
  }
  try {
    if (parsed.data.intent === "override") {
      await setTierOverride(database(), shop.id, id, { tierId: parsed.data.tierId, reason: parsed.data.reason });
      return { saved: "Tier override saved" };
    }
    const removed = await removeTierOverride(database(), shop.id, id);
    return removed
      ? { saved: "Tier override removed" }
      : Response.json({ errors: { form: "this customer has no override" } }, { status: 400 });
  } catch (error) {
    if (error instanceof OverrideError)
      return Response.json(
        { errors: { form: error.message } },
        { status: error.message.startsWith("no customer") ? 404 : 400 },
      );
    throw error;
  }
};

type ActionResult = { saved?: string; errors?: Record<string, string> };

export default function CustomerPage() {
  const { currency, customer, predictionRecord } = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const navigation = useNavigation();
  useEffect(() => {
    if (result?.saved) window.shopify?.toast.show(result.saved);
  }, [result]);
  return (
    <Page
      title={`Customer ${customer.customerId}`}
      backAction={{ content: "Segments", url: "/app/segments" }}
      secondaryActions={[{ content: "Open in Shopify admin", url: customer.adminUrl, target: "_blank" }]}
      titleMetadata={customer.optedOut ? <Badge tone="info">Opted out of personalisation</Badge> : undefined}
    >
      <Layout>
        {!customer.figures ? (
          <Layout.Section>
            <Banner tone="info" title="Not profiled yet">
              <Text as="p">
                This customer gets labels at the next segment refresh (every minute after an order) or full pass.
              </Text>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <CustomerLabelsCard labels={customer.labels} />
        </Layout.Section>
        {customer.figures && customer.predictions ? (
          <>
            <Layout.Section>
              <CustomerFigures figures={customer.figures} predictions={customer.predictions} currency={currency} />
            </Layout.Section>
            <Layout.Section>
              <PredictionTrackRecord data={predictionRecord} showHistory={false} />
            </Layout.Section>
          </>
        ) : null}
        <Layout.Section>
          <TierOverrideCard customer={customer} result={result} submitting={navigation.state === "submitting"} />
        </Layout.Section>
        <Layout.Section>
          <CustomerOffersCard
            offersSeen={customer.offersSeen}
            ordersSinceFirstOffer={customer.ordersSinceFirstOffer}
            currency={currency}
          />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Customer" />;
}
