import { authenticatedShop } from "~/admin-request.server";
import { EditSaveBar, NotSavedBanner, useDraftEditor } from "~/admin-ui/edit-page";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Layout, Page, Select, TextField } from "@shopify/polaris";
import { useEffect } from "react";
import { deleteCustomSegment, previewOrSaveDraft, segmentEditorData } from "~/admin-data/custom-segment-editor.server";
import type { SegmentEditorAnswer, SegmentEditorResult } from "~/admin-data/custom-segment-editor.server";
import type { SegmentDraft } from "~/admin-data/segment-builder";
import { count } from "~/admin-ui/format";
import { RouteErrorPage } from "~/admin-ui/route-error";
import { SegmentConditionRow } from "~/admin-ui/segments/segment-condition-row";
import { SegmentLiveCount } from "~/admin-ui/segments/segment-live-count";
import { database } from "~/db.server";
import { jsonField } from "~/request-body/form-json";
import { readAdminForm } from "~/request-body/read";

// Creates a custom segment, or edits one (?key=custom:slug): a flat rule, a live count with the over-segmentation
// warnings as the merchant edits, then save (which recomputes memberships) or delete.

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shop = await authenticatedShop(request);
  return segmentEditorData(database().prisma, shop, new URL(request.url).searchParams.get("key"));
};

// A refusal keeps its HTTP status; anything else is the page's data.
const answered = ({ status, body }: SegmentEditorAnswer) => (status === 200 ? body : Response.json(body, { status }));

export const action = async ({ request }: ActionFunctionArgs) => {
  const shop = await authenticatedShop(request);
  const form = await readAdminForm(request);
  const intent = String(form.get("intent") ?? "");
  const key = String(form.get("key") ?? "") || null;
  if (intent === "delete") return answered(await deleteCustomSegment(database().prisma, shop.id, key));
  const segment = jsonField(form, "segment");
  if ("refusal" in segment) return segment.refusal;
  return answered(await previewOrSaveDraft(database(), shop, { intent, key, segment: segment.value }));
};

// A live count changes nothing stored: no reload of the page's data for it.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "preview" ? false : defaultShouldRevalidate;

const MATCH = [
  { label: "All of the conditions", value: "all" },
  { label: "Any of the conditions", value: "any" },
];
const EMPTY: SegmentDraft = { name: "", combine: "all", conditions: [{ field: "orders", op: "gte", value: "2" }] };

export default function SegmentBuilder() {
  const { currency, key, draft: saved, fields } = useLoaderData<typeof loader>();
  const editor = useDraftEditor<SegmentDraft, SegmentEditorResult>({
    initial: saved ?? EMPTY,
    fields: (draft) => ({ key: key ?? "", segment: JSON.stringify(draft) }),
  });
  const { draft, setDraft, errors, previewer, saver } = editor;
  const navigate = useNavigate();
  const preview = previewer.data && "preview" in previewer.data ? previewer.data.preview : null;

  useEffect(() => {
    const timer = setTimeout(editor.preview, 400);
    return () => clearTimeout(timer);
  }, [JSON.stringify(draft.conditions), draft.combine]);
  useEffect(() => {
    if (saver.state !== "idle" || !saver.data) return;
    if ("saved" in saver.data) {
      window.shopify?.toast.show(`Segment saved: ${count(saver.data.members)} members`);
      navigate(`/app/segments/${encodeURIComponent(saver.data.saved)}`);
    } else if ("deleted" in saver.data) {
      window.shopify?.toast.show("Segment deleted");
      navigate("/app/segments");
    }
  }, [saver.state, saver.data]);

  const setConditions = (change: (conditions: SegmentDraft["conditions"]) => SegmentDraft["conditions"]) =>
    setDraft((d) => ({ ...d, conditions: change(d.conditions) }));
  return (
    <Page
      title={key ? `Edit ${saved?.name ?? "segment"}` : "New segment"}
      backAction={{ content: "Segments", url: "/app/segments" }}
    >
      <EditSaveBar id="segment-save-bar" editor={editor} />
      <Layout>
        <NotSavedBanner title="The segment was not saved" reason={errors.form ?? errors.conditions} />
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <TextField
                label="Name"
                value={draft.name}
                onChange={(name) => setDraft((d) => ({ ...d, name }))}
                error={errors.name}
                autoComplete="off"
                disabled={Boolean(key)}
              />
              <Select
                label="Customers must match"
                options={MATCH}
                value={draft.combine}
                onChange={(combine) => setDraft((d) => ({ ...d, combine: combine as SegmentDraft["combine"] }))}
              />
              {draft.conditions.map((condition, index) => (
                <SegmentConditionRow
                  key={index}
                  index={index}
                  condition={condition}
                  fields={fields}
                  currency={currency}
                  errors={errors}
                  onChange={(change) =>
                    setConditions((all) => all.map((c, i) => (i === index ? { ...c, ...change } : c)))
                  }
                  onRemove={() => setConditions((all) => all.filter((_, i) => i !== index))}
                />
              ))}
              <InlineStack gap="200">
                <Button onClick={() => setConditions((all) => [...all, { field: "orders", op: "gte", value: "1" }])}>
                  Add condition
                </Button>
                <Button variant="primary" onClick={editor.save} loading={editor.saving}>
                  Save segment
                </Button>
                {key ? (
                  <Button tone="critical" onClick={() => editor.submit("delete")}>
                    Delete segment
                  </Button>
                ) : null}
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <SegmentLiveCount
            preview={preview}
            counting={previewer.state !== "idle"}
            conditionRefused={Object.keys(errors).some((name) => name.startsWith("conditions"))}
          />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Segment builder" />;
}
