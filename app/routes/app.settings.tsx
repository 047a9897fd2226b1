import { authenticatedShop } from "~/admin-request.server";
import { EditSaveBar, NotSavedBanner } from "~/admin-ui/edit-page";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { BlockStack, Button, Card, FormLayout, Layout, List, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useMemo, useState } from "react";
import { listDataRequests } from "~/admin-data/data-requests.server";
import { parseSettings, SEGMENT_FIELDS, settingsValues } from "~/admin-data/settings-form";
import type { SettingsValues } from "~/admin-data/settings-form";
import { loadShopSettings, saveShopSettings } from "~/admin-data/settings.server";
import { DataRequestsList } from "~/admin-ui/settings/data-requests-list";
import { countHas } from "~/admin-ui/format";
import { database } from "~/db.server";
import { enqueue, JOBS } from "~/queue/queue.server";
import { readAdminForm } from "~/request-body/read";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shop = await authenticatedShop(request);
  const [settings, dataRequests] = await Promise.all([
    loadShopSettings(database().prisma, shop.id),
    listDataRequests(database().prisma, shop),
  ]);
  return { values: settingsValues(settings), optedOut: settings.optedOut, dataRequests };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const shop = await authenticatedShop(request);
  const fields = Object.fromEntries(await readAdminForm(request));
  const current = await loadShopSettings(database().prisma, shop.id);
  const parsed = parseSettings(fields, current.segment);
  if (!parsed.ok) return Response.json({ errors: parsed.errors, values: fields }, { status: 400 });
  const { basisChanged } = await saveShopSettings(database().prisma, shop.id, parsed);
  // New thresholds and a new revenue definition reach every customer's labels with the next full pass.
  await enqueue(JOBS.fullPass, { shopId: shop.id }, { singletonKey: shop.id });
  return { saved: basisChanged ? "Settings saved; orders recounted on the new revenue basis" : "Settings saved" };
};

// Marking a data request as handed over (app.data-requests.$id.tsx) must not reload the page: that would replace
// settings the merchant is editing. The row shows the answer itself (admin-ui/settings/data-requests-list.tsx).
export const shouldRevalidate: ShouldRevalidateFunction = ({ formAction, defaultShouldRevalidate }) =>
  formAction?.startsWith("/app/data-requests/") ? false : defaultShouldRevalidate;

type ActionResult = { saved?: string; errors?: Record<string, string>; values?: SettingsValues };

export default function SettingsPage() {
  const { values: stored, optedOut, dataRequests } = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const navigation = useNavigation();
  const initial = result?.values ?? stored;
  const [values, setValues] = useState<SettingsValues>(initial);
  useEffect(() => setValues(initial), [initial]);
  useEffect(() => {
    if (result?.saved) window.shopify?.toast.show(result.saved);
  }, [result]);
  const dirty = useMemo(() => JSON.stringify(values) !== JSON.stringify(stored), [values, stored]);
  // Discarding returns to what is stored, so the refused save's errors no longer apply.
  const [discarded, setDiscarded] = useState<ActionResult | undefined>(undefined);
  const errors = (result !== discarded && result?.errors) || {};
  const field = (name: string, label: string, options: { help?: string; suffix?: string } = {}) => (
    <TextField
      key={name}
      label={label}
      name={name}
      value={values[name] ?? ""}
      onChange={(value) => setValues((v) => ({ ...v, [name]: value }))}
      error={errors[name]}
      helpText={options.help}
      suffix={options.suffix}
      autoComplete="off"
      inputMode="decimal"
    />
  );
  return (
    <Page title="Settings" backAction={{ content: "Dashboard", url: "/app" }}>
      {/* Outside the form, as on the other pages: a button inside a form submits it, so Discard would have saved. */}
      <EditSaveBar
        id="settings-save-bar"
        editor={{
          dirty,
          saving: navigation.state !== "idle",
          save: () => (document.getElementById("settings-form") as HTMLFormElement | null)?.requestSubmit(),
          discard: () => {
            setValues(stored);
            setDiscarded(result);
          },
        }}
      />
      <Form method="post" id="settings-form">
        <Layout>
          <NotSavedBanner
            title="Nothing was saved"
            reason={Object.keys(errors).length ? "Correct the fields marked below." : null}
          />
          <Layout.AnnotatedSection
            title="Revenue"
            description="Which amount of an order counts as revenue in every figure, segment and tier."
          >
            <Card>
              <FormLayout>
                <Select
                  label="Net revenue"
                  name="netRevenueBasis"
                  options={[
                    {
                      label: "Merchandise: items after discounts, without shipping and tax, less refunded items",
                      value: "merchandise",
                    },
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
          <Layout.AnnotatedSection
            title="Segments"
            description="When customers count as at risk, lapsed or lost, and the win-back windows. Applied at the next segment pass, queued when you save."
          >
            <Card>
              <FormLayout>
                {SEGMENT_FIELDS.map((setting) =>
                  field(`${setting.group}.${setting.name}`, setting.label, {
                    help: setting.help,
                    suffix: setting.suffix,
                  }),
                )}
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            title="Offers"
            description="How long after seeing an offer an order counts towards its results."
          >
            <Card>
              {field("attributionWindowDays", "Attribution window", { suffix: "days", help: "From 1 to 365." })}
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            title="Privacy"
            description="What Cadence keeps, for how long, who has opted out, and customers' requests for their data."
          >
            <BlockStack gap="400">
              <Card>
                <BlockStack gap="300">
                  {field("dataRetentionDays", "Keep event logs for", {
                    suffix: "days",
                    help: "Offer views and clicks, segment entries and exits, webhook records (at least 30 days). Deleted nightly.",
                  })}
                  <Text as="p">{`${countHas(
                    optedOut,
                    "shopper",
                  )} opted out of personalised offers. They see generic content and nothing about them is published to your storefront.`}</Text>
                  <Text as="h3" variant="headingSm">
                    What Cadence stores
                  </Text>
                  <List>
                    <List.Item>
                      Shopify IDs of customers and orders; order dates, amounts, currency, discounts, refunds,
                      cancellations; line items&apos; products, variants, product types and quantities.
                    </List.Item>
                    <List.Item>
                      What it computes from them: profiles, tiers and their history, segments, predictions, and the
                      offers each shopper saw.
                    </List.Item>
                    <List.Item>Whether a customer opted out of personalisation.</List.Item>
                  </List>
                  <Text as="h3" variant="headingSm">
                    What it never stores
                  </Text>
                  <List>
                    <List.Item>
                      Names, email addresses, phone numbers or postal addresses; email marketing consent; payment
                      details; IP addresses in its logs.
                    </List.Item>
                  </List>
                  <Text as="p">
                    Shopify&apos;s privacy requests are honoured: a customer&apos;s redaction deletes every row about
                    them, a data request returns everything stored about them, and uninstalling deletes the shop&apos;s
                    data when Shopify asks (48 hours after).
                  </Text>
                </BlockStack>
              </Card>
              <DataRequestsList requests={dataRequests} />
            </BlockStack>
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
