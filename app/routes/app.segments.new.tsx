import { authenticatedShop } from "~/admin-request.server";
import { EditSaveBar, NotSavedBanner, useDraftEditor } from "~/admin-ui/edit-page";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect } from "react";
import {
  draftErrors,
  draftFromRule,
  draftSchema,
  fieldChoices,
  fieldErrorsFromRule,
  OPERATORS,
  ruleFromDraft,
  valueChoices,
} from "~/admin-data/segment-builder";
import type { SegmentDraft } from "~/admin-data/segment-builder";
import { ConditionValue } from "~/admin-ui/condition-value";
import { slugOf } from "~/admin-data/slug";
import { count, countOf, percent } from "~/admin-ui/format";
import { RouteErrorPage } from "~/admin-ui/route-error";
import { database } from "~/db.server";
import {
  archiveCustomSegment,
  previewCustomSegment,
  saveCustomSegment,
  SegmentDefinitionError,
} from "~/recompute/custom-segments.server";
import { getLoyaltyProgram } from "~/recompute/loyalty.server";
import type { SegmentPreview } from "~/segments/rules/preview";
import { InvalidRuleError } from "~/segments/rules/rule";
import { jsonField, unreadableForm } from "~/request-body/form-json";
import { readAdminForm } from "~/request-body/read";

// Creates a custom segment, or edits one (?key=custom:slug): a flat rule, a live count with the over-segmentation
// warnings as the merchant edits, then save (which recomputes memberships) or delete.

async function shopTiers(shopId: string) {
  return (
    (await getLoyaltyProgram(database().prisma, shopId))?.program.tiers.map((tier) => ({
      id: tier.id,
      name: tier.name,
    })) ?? []
  );
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shop = await authenticatedShop(request);
  const key = new URL(request.url).searchParams.get("key");
  let draft: SegmentDraft | null = null;
  if (key) {
    const definition = await database().prisma.segmentDefinition.findUnique({
      where: { shopId_key: { shopId: shop.id, key } },
    });
    if (!definition || definition.archivedAt)
      throw new Response(`This shop has no custom segment "${key}".`, { status: 404 });
    draft = draftFromRule(definition.name, definition.rule);
    if (!draft)
      throw new Response("This segment's rule has nested groups the builder cannot show; change it with the CLI.", {
        status: 400,
      });
  }
  const tiers = await shopTiers(shop.id);
  const fields = fieldChoices().map((field) => ({ ...field, values: valueChoices(field.name, tiers) }));
  return { currency: shop.currencyCode, key, draft, fields };
};

type ActionResult =
  | { preview: SegmentPreview }
  | { saved: string; members: number }
  | { deleted: string }
  | { errors: Record<string, string> };

export const action = async ({ request }: ActionFunctionArgs) => {
  const shop = await authenticatedShop(request);
  const form = await readAdminForm(request);
  const intent = String(form.get("intent") ?? "");
  const key = String(form.get("key") ?? "") || null;
  if (intent === "delete") {
    if (!key)
      return Response.json({ errors: { form: "Nothing to delete: this segment was never saved." } }, { status: 400 });
    try {
      await archiveCustomSegment(database().prisma, shop.id, key);
      return { deleted: key };
    } catch (error) {
      if (error instanceof SegmentDefinitionError)
        return Response.json({ errors: { form: error.message } }, { status: 404 });
      throw error;
    }
  }
  const input = jsonField(form, "segment");
  if ("refusal" in input) return input.refusal;
  const parsed = draftSchema.safeParse(input.value);
  if (!parsed.success) return unreadableForm();
  if (parsed.data.conditions.length === 0)
    return Response.json({ errors: { conditions: "Add at least one condition" } }, { status: 400 });
  const tiers = await shopTiers(shop.id);
  const problems = draftErrors(parsed.data, {
    currency: shop.currencyCode,
    choices: (field) => valueChoices(field, tiers)?.map((choice) => choice.value) ?? null,
  });
  if (Object.keys(problems).length) return Response.json({ errors: problems }, { status: 400 });
  const rule = ruleFromDraft(parsed.data);
  try {
    if (intent === "preview")
      return { preview: await previewCustomSegment(database().prisma, shop.id, rule, key ? { excludeKey: key } : {}) };
    if (intent !== "save") return Response.json({ errors: { form: `Unknown action "${intent}"` } }, { status: 400 });
    const name = parsed.data.name.trim();
    if (!name) return Response.json({ errors: { name: "Give the segment a name" } }, { status: 400 });
    const slug = key ? key.replace(/^custom:/, "") : slugOf(name, 48);
    if (!slug)
      return Response.json({ errors: { name: "Use at least one letter or digit in the name" } }, { status: 400 });
    if (
      !key &&
      (await database().prisma.segmentDefinition.findUnique({
        where: { shopId_key: { shopId: shop.id, key: `custom:${slug}` } },
      }))
    ) {
      return Response.json(
        { errors: { name: "A segment with this name exists; choose another name" } },
        { status: 400 },
      );
    }
    const saved = await saveCustomSegment(database(), shop.id, { slug, name, rule });
    return {
      saved: saved.key,
      members: await database().prisma.customerProfile.count({
        where: { shopId: shop.id, segments: { has: saved.key } },
      }),
    };
  } catch (error) {
    if (error instanceof InvalidRuleError)
      return Response.json({ errors: fieldErrorsFromRule(error.issues) }, { status: 400 });
    if (error instanceof SegmentDefinitionError)
      return Response.json({ errors: { name: error.message } }, { status: 400 });
    throw error;
  }
};

// A live count changes nothing stored: no reload of the page's data for it.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "preview" ? false : defaultShouldRevalidate;

const EMPTY: SegmentDraft = { name: "", combine: "all", conditions: [{ field: "orders", op: "gte", value: "2" }] };

export default function SegmentBuilder() {
  const { currency, key, draft: saved, fields } = useLoaderData<typeof loader>();
  const editor = useDraftEditor<SegmentDraft, ActionResult>({
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

  const setCondition = (index: number, change: Partial<SegmentDraft["conditions"][number]>) =>
    setDraft((d) => ({
      ...d,
      conditions: d.conditions.map((condition, i) => (i === index ? { ...condition, ...change } : condition)),
    }));
  const fieldOf = (name: string) => fields.find((field) => field.name === name);
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
                options={[
                  { label: "All of the conditions", value: "all" },
                  { label: "Any of the conditions", value: "any" },
                ]}
                value={draft.combine}
                onChange={(combine) => setDraft((d) => ({ ...d, combine: combine as SegmentDraft["combine"] }))}
              />
              {draft.conditions.map((condition, index) => {
                const field = fieldOf(condition.field);
                const ops = OPERATORS[field?.type ?? "number"];
                return (
                  <InlineGrid key={index} columns={{ xs: 1, md: "2fr 1fr 2fr auto" }} gap="200" alignItems="start">
                    <Select
                      label={`Condition ${index + 1}`}
                      options={fields.map((f) => ({ label: f.label, value: f.name }))}
                      value={condition.field}
                      onChange={(value) =>
                        setCondition(index, {
                          field: value,
                          op: OPERATORS[fieldOf(value)?.type ?? "number"][0]!.op,
                          value: "",
                        })
                      }
                      error={errors[`conditions.${index}.field`]}
                    />
                    <Select
                      label="Comparison"
                      options={ops.map((op) => ({ label: op.label, value: op.op }))}
                      value={condition.op}
                      onChange={(op) => setCondition(index, { op })}
                      error={errors[`conditions.${index}.op`]}
                    />
                    <ConditionValue
                      type={field?.type ?? "number"}
                      op={condition.op}
                      value={condition.value}
                      choices={field?.values ?? null}
                      currency={currency}
                      error={errors[`conditions.${index}.value`]}
                      onChange={(value) => setCondition(index, { value })}
                    />
                    {/* Level with the inputs, below their labels (rows align at the top: a list of choices is tall). */}
                    <Box paddingBlockStart="600">
                      <Button
                        onClick={() =>
                          setDraft((d) => ({ ...d, conditions: d.conditions.filter((_, i) => i !== index) }))
                        }
                        accessibilityLabel={`Remove condition ${index + 1}`}
                      >
                        Remove
                      </Button>
                    </Box>
                  </InlineGrid>
                );
              })}
              <InlineStack gap="200">
                <Button
                  onClick={() =>
                    setDraft((d) => ({
                      ...d,
                      conditions: [...d.conditions, { field: "orders", op: "gte", value: "1" }],
                    }))
                  }
                >
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
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Live count
              </Text>
              <div aria-live="polite">
                {preview ? (
                  <BlockStack gap="200">
                    <Text as="p" variant="headingLg">{`${count(preview.count)} of ${countOf(
                      preview.customers,
                      "customer",
                    )}`}</Text>
                    <Text as="p" tone="subdued">{`${percent(
                      preview.customers ? preview.count / preview.customers : null,
                      1,
                    )} of your customers`}</Text>
                    {preview.warnings.map((warning) => (
                      <Banner key={warning.message} tone="warning">
                        <Text as="p">{warning.message}</Text>
                      </Banner>
                    ))}
                  </BlockStack>
                ) : (
                  <Text as="p" tone="subdued">
                    {previewer.state !== "idle"
                      ? "Counting…"
                      : Object.keys(errors).some((name) => name.startsWith("conditions"))
                        ? "Correct the highlighted condition to see the count."
                        : "The count appears as you edit."}
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

export function ErrorBoundary() {
  return <RouteErrorPage title="Segment builder" />;
}
