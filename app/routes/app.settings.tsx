import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { SaveBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, Card, FormLayout, Layout, List, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useMemo, useState } from "react";
import { parseSettings, SEGMENT_FIELDS, settingsValues, type SettingsValues } from "~/admin-data/settings-form";
import { loadShopSettings, saveShopSettings } from "~/admin-data/settings.server";
import { requireAdminShop } from "~/admin-data/shop.server";
import { count } from "~/admin-ui/format";
import { database } from "~/db.server";
import { enqueue, JOBS } from "~/jobs/queue.server";
import { authenticate } from "~/shopify.server";
import { readAdminForm } from "~/request-body/read";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await requireAdminShop(database().prisma, session.shop);
  const settings = await loadShopSettings(database().prisma, shop.id);
  return { values: settingsValues(settings), optedOut: settings.optedOut };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await requireAdminShop(database().prisma, session.shop);
  const fields = Object.fromEntries(await readAdminForm(request));
  const current = await loadShopSettings(database().prisma, shop.id);
  const parsed = parseSettings(fields, current.segment);
  if (!parsed.ok) return Response.json({ errors: parsed.errors, values: fields }, { status: 400 });
  const { basisChanged } = await saveShopSettings(database().prisma, shop.id, parsed);
  // New thresholds and a new revenue definition reach every customer's labels with the next full pass.
  await enqueue(JOBS.fullPass, { shopId: shop.id }, { singletonKey: shop.id });
  return { saved: basisChanged ? "Settings saved; orders recounted on the new revenue basis" : "Settings saved" };
};

type ActionResult = { saved?: string; errors?: Record<string, string>; values?: SettingsValues };

export default function SettingsPage() {
  const { values: stored, optedOut } = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const navigation = useNavigation();
  const initial = result?.values ?? stored;
  const [values, setValues] = useState<SettingsValues>(initial);
  useEffect(() => setValues(initial), [initial]);
  useEffect(() => {
    if (result?.saved) window.shopify?.toast.show(result.saved);
  }, [result]);
  const dirty = useMemo(() => JSON.stringify(values) !== JSON.stringify(stored), [values, stored]);
  const errors = result?.errors ?? {};
  const field = (name: string, label: string, help?: string) => (
    <TextField key={name} label={label} name={name} value={values[name] ?? ""} onChange={(value) => setValues((v) => ({ ...v, [name]: value }))} error={errors[name]} helpText={help} autoComplete="off" inputMode="decimal" />
  );
  return (
    <Page title="Settings" backAction={{ content: "Dashboard", url: "/app" }}>
      <Form method="post" id="settings-form">
        <SaveBar id="settings-save-bar" open={dirty}>
          <button variant="primary" onClick={() => (document.getElementById("settings-form") as HTMLFormElement | null)?.requestSubmit()} disabled={navigation.state !== "idle"}>
            Save
          </button>
          <button onClick={() => setValues(stored)}>Discard</button>
        </SaveBar>
        <Layout>
          {Object.keys(errors).length ? (
            <Layout.Section>
              <Banner tone="critical" title="Nothing was saved">
                <Text as="p">Correct the fields marked below.</Text>
              </Banner>
            </Layout.Section>
          ) : null}
          <Layout.AnnotatedSection title="Revenue" description="Which amount of an order counts as revenue in every figure, segment and tier.">
            <Card>
              <FormLayout>
                <Select
                  label="Net revenue"
                  name="netRevenueBasis"
                  options={[
                    { label: "Merchandise: items after discounts, without shipping and tax, less refunded items", value: "merchandise" },
                    { label: "Total: what the customer paid, shipping and tax included, less refunds", value: "total" },
                  ]}
                  value={values.netRevenueBasis ?? "merchandise"}
                  onChange={(value) => setValues((v) => ({ ...v, netRevenueBasis: value }))}
                  error={errors.netRevenueBasis}
                  helpText="Changing it recounts every stored order at once."
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title="Segments" description="When customers count as at risk, lapsed or lost, and the win-back windows. Applied at the next segment pass, queued when you save.">
            <Card>
              <FormLayout>{SEGMENT_FIELDS.map(([group, name, label]) => field(`${group}.${name}`, label))}</FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title="Offers" description="How long after seeing an offer an order counts towards its results.">
            <Card>{field("attributionWindowDays", "Attribution window (days)")}</Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title="Privacy" description="What Cadence keeps, for how long, and who has opted out.">
            <Card>
              <BlockStack gap="300">
                {field("dataRetentionDays", "Keep event logs for (days)", "Offer views and clicks, segment entries and exits, webhook records (at least 30 days). Deleted nightly.")}
                <Text as="p">{`${count(optedOut)} shoppers have opted out of personalised offers. They see generic content and nothing about them is published to your storefront.`}</Text>
                <Text as="h3" variant="headingSm">
                  What Cadence stores
                </Text>
                <List>
                  <List.Item>Shopify IDs of customers and orders; order dates, amounts, currency, discounts, refunds, cancellations; line items&apos; products, variants, product types and quantities.</List.Item>
                  <List.Item>What it computes from them: profiles, tiers and their history, segments, predictions, and the offers each shopper saw.</List.Item>
                  <List.Item>Whether a customer opted out of personalisation.</List.Item>
                </List>
                <Text as="h3" variant="headingSm">
                  What it never stores
                </Text>
                <List>
                  <List.Item>Names, email addresses, phone numbers or postal addresses; email marketing consent; payment details; IP addresses in its logs.</List.Item>
                </List>
                <Text as="p">
                  Shopify&apos;s privacy requests are honoured: a customer&apos;s redaction deletes every row about them, a data request returns everything stored about them, and uninstalling deletes the shop&apos;s data when Shopify asks (48 hours after).
                </Text>
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.Section>
            <Button submit variant="primary" loading={navigation.state === "submitting"}>
              Save settings
            </Button>
          </Layout.Section>
        </Layout>
      </Form>
    </Page>
  );
}
