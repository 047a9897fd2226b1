import { authenticatedShop } from "~/admin-request.server";
import { EditSaveBar, NotSavedBanner, useDraftEditor } from "~/admin-ui/edit-page";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  FormLayout,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect } from "react";
import { lowerRetainToEnter, programFromDraft, retainAboveEnter } from "~/admin-data/loyalty-form";
import type { PreviewResult, ProgramDraft, TierDraft } from "~/admin-data/loyalty-form";
import { count, countOf, money } from "~/admin-ui/format";
import { LoyaltyPreview } from "~/admin-ui/loyalty-preview";
import { database } from "~/db.server";
import { editorPreview, editorSave, loyaltyPageData } from "~/admin-data/loyalty.server";
import { decimalToMinor } from "~/money/decimal";
import { jsonField } from "~/request-body/form-json";
import { readAdminForm } from "~/request-body/read";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shop = await authenticatedShop(request);
  return loyaltyPageData(database().prisma, shop);
};

type ActionResult =
  | { intent: "preview"; preview: PreviewResult }
  | { intent: "save"; version: number; summary: string }
  | { errors: Record<string, string> };

export const action = async ({ request }: ActionFunctionArgs) => {
  const shop = await authenticatedShop(request);
  const form = await readAdminForm(request);
  const intent = form.get("intent");
  const draft = jsonField(form, "program");
  if ("refusal" in draft) return draft.refusal;
  const result = programFromDraft(draft.value, shop.currencyCode);
  if (!result.ok) return Response.json({ errors: result.errors }, { status: 400 });
  if (intent === "preview")
    return { intent: "preview", preview: await editorPreview(database(), shop.id, result.program) };
  if (intent === "save") return { intent: "save", ...(await editorSave(database(), shop.id, result.program)) };
  return Response.json({ errors: { form: `Unknown action "${String(intent)}"` } }, { status: 400 });
};

/** A typed amount in the one money format ("£490.00"); as typed while it is not yet an amount. */
function spendText(value: string, currency: string): string {
  try {
    return money(decimalToMinor(value, currency), currency);
  } catch {
    return value;
  }
}

const NEW_TIER: TierDraft = { id: "", name: "", enterSpend: "", enterOrders: "", retainSpend: "", retainOrders: "" };
const STARTER: ProgramDraft = {
  window: "rolling",
  days: "365",
  combine: "any",
  graceDays: "30",
  tiers: [{ ...NEW_TIER, name: "Member", enterOrders: "1" }],
};

// A preview changes nothing stored, so it does not reload the page's data (which would also reset the draft).
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "preview" ? false : defaultShouldRevalidate;

// One fetcher saves, shared by the page (which outlives the editor) and the editor (remounted on a new version).
const SAVER = "loyalty-save";

export default function LoyaltyPage() {
  const { version } = useLoaderData<typeof loader>();
  const saver = useFetcher<ActionResult>({ key: SAVER });
  const saved = saver.data && "summary" in saver.data ? saver.data : null;
  useEffect(() => {
    if (saved) window.shopify?.toast.show(`Loyalty program saved (version ${saved.version})`);
  }, [saved]);
  // A saved program is a new version: the editor starts again from it.
  return <LoyaltyEditor key={version ?? "none"} saved={saved && saved.version === version ? saved.summary : null} />;
}

function LoyaltyEditor({ saved: savedSummary }: { saved: string | null }) {
  const { currency, version, source, draft: saved, counts, inGrace } = useLoaderData<typeof loader>();
  const editor = useDraftEditor<ProgramDraft, ActionResult>({
    initial: saved ?? STARTER,
    fields: (draft) => ({ program: JSON.stringify(draft) }),
    saverKey: SAVER,
  });
  const { draft, setDraft, dirty, errors, previewer } = editor;
  const preview = previewer.data && "preview" in previewer.data ? previewer.data.preview : null;
  // Lowering only an enter threshold below its keep threshold: offered as a fix, not left as an error.
  const keepAbove = retainAboveEnter(draft, currency);
  // The preview follows the draft: a moment after the merchant stops typing, the counts are recomputed.
  // Not while a keep threshold is above its enter threshold: the card offers the fix, the server would refuse.
  const blocked = keepAbove.length > 0;
  useEffect(() => {
    if (!dirty || blocked) return;
    const timer = setTimeout(editor.preview, 500);
    return () => clearTimeout(timer);
  }, [draft, dirty, blocked]);

  const setTier = (index: number, change: Partial<TierDraft>) =>
    setDraft((d) => ({ ...d, tiers: d.tiers.map((tier, i) => (i === index ? { ...tier, ...change } : tier)) }));
  const field = (index: number, key: keyof TierDraft, label: string, help?: string) => (
    <TextField
      label={label}
      value={draft.tiers[index]?.[key] ?? ""}
      onChange={(value) => setTier(index, { [key]: value })}
      error={errors[`tiers.${index}.${key}`]}
      helpText={help}
      autoComplete="off"
      inputMode={key === "name" ? "text" : "decimal"}
    />
  );
  return (
    <Page
      title="Loyalty tiers"
      subtitle={
        version
          ? `Version ${version}${source === "default" ? " (suggested from your shop's spend)" : ""}`
          : "No program yet"
      }
      backAction={{ content: "Dashboard", url: "/app" }}
    >
      <EditSaveBar id="loyalty-save-bar" editor={editor} />
      <Layout>
        {savedSummary && !dirty ? (
          <Layout.Section>
            <Banner tone="success" title={`Version ${version} saved`}>
              <Text as="p">{savedSummary}</Text>
            </Banner>
          </Layout.Section>
        ) : null}
        <NotSavedBanner title="The program was not saved" reason={errors.form ?? errors.tiers} />
        <Layout.Section>
          <Card>
            <FormLayout>
              <FormLayout.Group>
                <Select
                  label="Qualifying window"
                  options={[
                    { label: "Rolling window of days", value: "rolling" },
                    { label: "Lifetime", value: "lifetime" },
                    { label: "Calendar year", value: "calendar-year" },
                  ]}
                  value={draft.window}
                  onChange={(value) => setDraft((d) => ({ ...d, window: value as ProgramDraft["window"] }))}
                />
                {draft.window === "rolling" ? (
                  <TextField
                    label="Window (days)"
                    value={draft.days}
                    onChange={(days) => setDraft((d) => ({ ...d, days }))}
                    error={errors.days}
                    autoComplete="off"
                    inputMode="numeric"
                  />
                ) : null}
                <Select
                  label="Qualify by"
                  options={[
                    { label: "Spend or orders (either is enough)", value: "any" },
                    { label: "Spend and orders (both needed)", value: "all" },
                  ]}
                  value={draft.combine}
                  onChange={(value) => setDraft((d) => ({ ...d, combine: value as ProgramDraft["combine"] }))}
                />
                <TextField
                  label="Grace period (days)"
                  helpText="Before a customer below a tier's keep threshold moves down"
                  value={draft.graceDays}
                  onChange={(graceDays) => setDraft((d) => ({ ...d, graceDays }))}
                  error={errors.graceDays}
                  autoComplete="off"
                  inputMode="numeric"
                />
              </FormLayout.Group>
            </FormLayout>
          </Card>
        </Layout.Section>
        {draft.tiers.map((tier, index) => (
          <Layout.Section key={index}>
            {/* A stable handle on a tier's card (its name and heading change as the merchant types). */}
            <div data-tier-card={index}>
              <Card>
                <BlockStack gap="300">
                  <InlineStack align="space-between" blockAlign="center">
                    <Text as="h2" variant="headingMd">
                      {`Tier ${index + 1}${
                        tier.id && counts[tier.id] !== undefined
                          ? ` · ${countOf(counts[tier.id] ?? 0, "customer")} now`
                          : ""
                      }`}
                      {tier.id && inGrace[tier.id]
                        ? ` · ${count(inGrace[tier.id]!.customers)} in their grace period (the first moves down on ${
                            inGrace[tier.id]!.firstEnds
                          })`
                        : ""}
                    </Text>
                    <Button
                      variant="plain"
                      tone="critical"
                      onClick={() => setDraft((d) => ({ ...d, tiers: d.tiers.filter((_, i) => i !== index) }))}
                      accessibilityLabel={`Remove tier ${tier.name || index + 1}`}
                    >
                      Remove
                    </Button>
                  </InlineStack>
                  {field(index, "name", "Name")}
                  <InlineGrid columns={{ xs: 1, md: 4 }} gap="300">
                    {field(index, "enterSpend", `Enter at spend (${currency})`)}
                    {field(index, "enterOrders", "Enter at orders")}
                    {field(index, "retainSpend", `Keep at spend (${currency})`, "Empty: same as enter")}
                    {field(index, "retainOrders", "Keep at orders")}
                  </InlineGrid>
                  {keepAbove
                    .filter((fix) => fix.index === index)
                    .map((fix) => {
                      const amount = (value: string) =>
                        fix.kind === "Spend" ? spendText(value, currency) : countOf(Number(value), "order");
                      const what = amount(fix.enter);
                      return (
                        <Banner
                          key={fix.kind}
                          tone="warning"
                          title={`Keep at ${amount(fix.retain)} is above Enter at ${what}`}
                          action={{
                            content: `Lower the keep threshold to ${what} too`,
                            onAction: () => setDraft((d) => lowerRetainToEnter(d, fix)),
                          }}
                        >
                          <Text as="p">{`Customers would need more to keep ${
                            tier.name || "this tier"
                          } than to reach it. Lower the keep threshold with it, or raise Enter at again.`}</Text>
                        </Banner>
                      );
                    })}
                </BlockStack>
              </Card>
            </div>
          </Layout.Section>
        ))}
        <Layout.Section>
          <InlineStack gap="200">
            <Button
              onClick={() => setDraft((d) => ({ ...d, tiers: [...d.tiers, { ...NEW_TIER }] }))}
              disabled={draft.tiers.length >= 10}
            >
              Add tier
            </Button>
            <Button onClick={editor.preview} loading={previewer.state !== "idle"} disabled={blocked}>
              Preview changes
            </Button>
            <Button variant="primary" onClick={editor.save} loading={editor.saving} disabled={!dirty && saved !== null}>
              Save program
            </Button>
          </InlineStack>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                What saving would do
              </Text>
              <div aria-live="polite">
                {blocked ? (
                  <Text as="p" tone="subdued">
                    A keep threshold is above its enter threshold: lower it (or raise Enter at) to see who would move.
                  </Text>
                ) : preview ? (
                  <LoyaltyPreview preview={preview} />
                ) : (
                  <Text as="p" tone="subdued">
                    Change a threshold to see how many customers would move before you save.
                  </Text>
                )}
              </div>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
