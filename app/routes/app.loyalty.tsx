import { authenticatedShop } from "~/admin-request.server";
import { EditSaveBar, NotSavedBanner, useDraftEditor } from "~/admin-ui/edit-page";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { Banner, Button, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { lowerRetainToEnter, programFromDraft, retainAboveEnter } from "~/admin-data/loyalty-form";
import type { PreviewResult, ProgramDraft, TierDraft } from "~/admin-data/loyalty-form";
import { LoyaltyPreviewCard } from "~/admin-ui/loyalty/loyalty-preview-card";
import { ProgramSettingsCard } from "~/admin-ui/loyalty/program-settings-card";
import { TierCard } from "~/admin-ui/loyalty/tier-card";
import { database } from "~/db.server";
import { editorPreview, editorSave, loyaltyPageData } from "~/admin-data/loyalty.server";
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
          <ProgramSettingsCard
            draft={draft}
            errors={errors}
            onChange={(change) => setDraft((d) => ({ ...d, ...change }))}
          />
        </Layout.Section>
        {draft.tiers.map((tier, index) => (
          <Layout.Section key={index}>
            <TierCard
              index={index}
              tier={tier}
              currency={currency}
              holders={tier.id ? counts[tier.id] : undefined}
              grace={tier.id ? inGrace[tier.id] : undefined}
              errors={errors}
              keepAbove={keepAbove.filter((fix) => fix.index === index)}
              onChange={(change) => setTier(index, change)}
              onRemove={() => setDraft((d) => ({ ...d, tiers: d.tiers.filter((_, i) => i !== index) }))}
              onLowerKeep={(fix) => setDraft((d) => lowerRetainToEnter(d, fix))}
            />
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
          <LoyaltyPreviewCard preview={preview} blocked={blocked} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
