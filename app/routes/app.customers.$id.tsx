import { authenticatedShop } from "~/admin-request.server";
import { FinePrint, SectionCard } from "~/admin-ui/section-card";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";
import { customerDetail } from "~/admin-data/customer.server";
import { count, countOf, date, money, percent } from "~/admin-ui/format";
import { RouteErrorPage } from "~/admin-ui/route-error";
import { PredictionTrackRecord } from "~/admin-ui/prediction-track-record";
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
  // The tier the customer holds now: overriding starts from it, not from the lowest tier.
  const [tierId, setTierId] = useState(customer.override?.tierId ?? customer.tierId ?? customer.tiers[0]?.id ?? "");
  const [reason, setReason] = useState("");
  useEffect(() => {
    if (result?.saved) {
      window.shopify?.toast.show(result.saved);
      setReason("");
    }
  }, [result]);
  const predictions = customer.predictions;
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
          <SectionCard title="Labels and why">
            {customer.labels.map((label) => (
              <BlockStack key={label.key} gap="100">
                <Text as="h3" variant="headingSm">
                  {label.family === label.label ? label.label : `${label.family}: ${label.label}`}
                </Text>
                <Text as="p">{label.reason ?? "No explanation stored yet."}</Text>
                <FinePrint>{label.note}</FinePrint>
              </BlockStack>
            ))}
          </SectionCard>
        </Layout.Section>
        {customer.figures && predictions ? (
          <Layout.Section>
            <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Purchases
                  </Text>
                  <Text as="p">
                    {countOf(customer.figures.orders, "order")}, {money(customer.figures.netSpendMinor, currency)} net
                    spend, average {money(customer.figures.averageOrderValueMinor, currency)}
                  </Text>
                  <Text as="p">
                    First order {date(customer.figures.firstOrderOn)}, last order {date(customer.figures.lastOrderOn)}
                  </Text>
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Predictions{" "}
                    {predictions.confidence ? <Badge>{`${predictions.confidence} confidence`}</Badge> : null}
                  </Text>
                  <Text as="p">
                    Probability still active:{" "}
                    {customer.figures.purchaseDays > 1
                      ? percent(predictions.pAlive)
                      : "not judged after one purchase (the model needs a second to see a rhythm)"}
                  </Text>
                  <Text as="p">
                    Expected orders: {predictions.expectedOrders90?.toFixed(2) ?? "—"} in 90 days,{" "}
                    {predictions.expectedOrders365?.toFixed(2) ?? "—"} in a year
                  </Text>
                  <Text as="p">Expected next order: {date(predictions.expectedNextOrderOn)}</Text>
                  <Text as="p">
                    Expected order value {money(predictions.expectedOrderValueMinor, currency)} · 12-month value{" "}
                    {money(predictions.clv12mMinor, currency)}
                  </Text>
                </BlockStack>
              </Card>
            </InlineGrid>
          </Layout.Section>
        ) : null}
        {customer.figures && predictions ? (
          <Layout.Section>
            <PredictionTrackRecord data={predictionRecord} showHistory={false} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <SectionCard title="Loyalty tier">
            {customer.override ? (
              <Banner
                tone="warning"
                title={`${customer.override.setBy ? `Tier set by ${customer.override.setBy}` : "Tier set by hand"}: ${
                  customer.tiers.find((tier) => tier.id === customer.override?.tierId)?.name ?? customer.override.tierId
                }`}
              >
                <Text as="p">Reason: {customer.override.reason}</Text>
              </Banner>
            ) : null}
            {result?.errors?.form ? (
              <Banner tone="critical">
                <Text as="p">{result.errors.form}</Text>
              </Banner>
            ) : null}
            {customer.tiers.length ? (
              <Form method="post">
                <BlockStack gap="200">
                  <input type="hidden" name="intent" value="override" />
                  <InlineStack gap="200" blockAlign="start">
                    <Select
                      label="Set tier by hand"
                      name="tierId"
                      options={customer.tiers.map((tier) => ({ label: tier.name, value: tier.id }))}
                      value={tierId}
                      onChange={setTierId}
                      error={result?.errors?.tierId}
                    />
                    <TextField
                      label="Reason"
                      name="reason"
                      value={reason}
                      onChange={setReason}
                      autoComplete="off"
                      error={result?.errors?.reason}
                    />
                  </InlineStack>
                  <InlineStack gap="200">
                    <Button submit loading={navigation.state === "submitting"}>
                      Override tier
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Form>
            ) : (
              <Text as="p">The shop has no loyalty program yet.</Text>
            )}
            {customer.override ? (
              <Form method="post">
                <input type="hidden" name="intent" value="clear-override" />
                <Button submit variant="plain">
                  Remove the override
                </Button>
              </Form>
            ) : null}
            <DataTable
              columnContentTypes={["text", "text", "text", "text"]}
              headings={["Date", "From", "To", "Why"]}
              rows={customer.tierHistory.map((change) => [date(change.on), change.from, change.to, change.why])}
            />
          </SectionCard>
        </Layout.Section>
        <Layout.Section>
          <SectionCard title="Offers seen">
            {customer.offersSeen.length ? (
              <>
                <DataTable
                  columnContentTypes={["text", "text", "text", "numeric", "numeric"]}
                  headings={["Offer", "Group", "First seen", "Views", "Clicks"]}
                  rows={customer.offersSeen.map((offer) => [
                    offer.name,
                    offer.arm === "holdout" ? "Holdout" : "Shown the offer",
                    date(offer.firstSeenAt),
                    count(offer.exposures),
                    count(offer.clicks),
                  ])}
                />
                {customer.ordersSinceFirstOffer ? (
                  <Text as="p">
                    Since the first offer: {countOf(customer.ordersSinceFirstOffer.orders, "order")},{" "}
                    {money(customer.ordersSinceFirstOffer.netMinor, currency)}
                  </Text>
                ) : null}
              </>
            ) : (
              <Text as="p" tone="subdued">
                This customer has not been shown an offer.
              </Text>
            )}
          </SectionCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Customer" />;
}
