import type { PrismaClient } from "@prisma/client";
import type { Database } from "~/db.server";
import {
  archiveCustomSegment,
  previewCustomSegment,
  saveCustomSegment,
  SegmentDefinitionError,
} from "~/recompute/custom-segments.server";
import { getLoyaltyProgram } from "~/recompute/loyalty.server";
import { UNREADABLE_FORM } from "~/request-body/form-json";
import type { SegmentPreview } from "~/segments/rules/preview";
import { InvalidRuleError } from "~/segments/rules/rule";
import type { RuleNode } from "~/segments/rules/rule";
import {
  draftErrors,
  draftFromRule,
  draftSchema,
  fieldChoices,
  fieldErrorsFromRule,
  ruleFromDraft,
  valueChoices,
} from "./segment-builder";
import type { SegmentDraft } from "./segment-builder";
import type { AdminShop } from "./shop.server";
import { slugOf } from "./slug";

// The custom segment builder's server side: the segment it opens (none for a new one), and what its buttons ask
// for: a live count of a draft, saving it (which recomputes memberships), deleting it. Each answer is the body the
// page reads with its HTTP status; a refusal carries the merchant's words by field ("form" for the whole).

type Shop = Pick<AdminShop, "id" | "currencyCode">;

export type SegmentEditorResult =
  | { preview: SegmentPreview }
  | { saved: string; members: number }
  | { deleted: string }
  | { errors: Record<string, string> };

export interface SegmentEditorAnswer {
  status: 200 | 400 | 404;
  body: SegmentEditorResult;
}

const done = (body: SegmentEditorResult): SegmentEditorAnswer => ({ status: 200, body });
const refused = (errors: Record<string, string>, status: 400 | 404 = 400): SegmentEditorAnswer => ({
  status,
  body: { errors },
});

async function shopTiers(prisma: PrismaClient, shopId: string) {
  return (
    (await getLoyaltyProgram(prisma, shopId))?.program.tiers.map((tier) => ({
      id: tier.id,
      name: tier.name,
    })) ?? []
  );
}

/** The builder's page: the segment `key` names as a draft (null for a new one), and the fields it can test. */
export async function segmentEditorData(prisma: PrismaClient, shop: Shop, key: string | null) {
  let draft: SegmentDraft | null = null;
  if (key) {
    const definition = await prisma.segmentDefinition.findUnique({
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
  const tiers = await shopTiers(prisma, shop.id);
  const fields = fieldChoices().map((field) => ({ ...field, values: valueChoices(field.name, tiers) }));
  return { currency: shop.currencyCode, key, draft, fields };
}

/** Archives the saved segment `key` (null: the draft was never saved, so there is nothing to delete). */
export async function deleteCustomSegment(
  prisma: PrismaClient,
  shopId: string,
  key: string | null,
): Promise<SegmentEditorAnswer> {
  if (!key) return refused({ form: "Nothing to delete: this segment was never saved." });
  try {
    await archiveCustomSegment(prisma, shopId, key);
    return done({ deleted: key });
  } catch (error) {
    if (error instanceof SegmentDefinitionError) return refused({ form: error.message }, 404);
    throw error;
  }
}

/** A draft as posted (parsed JSON) checked, then counted (`intent` "preview") or saved ("save") as segment `key`. */
export async function previewOrSaveDraft(
  source: Database,
  shop: Shop,
  { intent, key, segment }: { intent: string; key: string | null; segment: unknown },
): Promise<SegmentEditorAnswer> {
  const parsed = draftSchema.safeParse(segment);
  if (!parsed.success) return refused({ form: UNREADABLE_FORM });
  if (parsed.data.conditions.length === 0) return refused({ conditions: "Add at least one condition" });
  const tiers = await shopTiers(source.prisma, shop.id);
  const problems = draftErrors(parsed.data, {
    currency: shop.currencyCode,
    choices: (field) => valueChoices(field, tiers)?.map((choice) => choice.value) ?? null,
  });
  if (Object.keys(problems).length) return refused(problems);
  const rule = ruleFromDraft(parsed.data);
  try {
    if (intent === "preview")
      return done({
        preview: await previewCustomSegment(source.prisma, shop.id, rule, key ? { excludeKey: key } : {}),
      });
    if (intent !== "save") return refused({ form: `Unknown action "${intent}"` });
    return await saveDraft(source, shop.id, key, parsed.data.name, rule);
  } catch (error) {
    if (error instanceof InvalidRuleError) return refused(fieldErrorsFromRule(error.issues));
    if (error instanceof SegmentDefinitionError) return refused({ name: error.message });
    throw error;
  }
}

/** A new segment takes its key from its name, which no other segment of the shop may have; an edited one keeps its. */
async function saveDraft(
  source: Database,
  shopId: string,
  key: string | null,
  typedName: string,
  rule: RuleNode,
): Promise<SegmentEditorAnswer> {
  const name = typedName.trim();
  if (!name) return refused({ name: "Give the segment a name" });
  const slug = key ? key.replace(/^custom:/, "") : slugOf(name, 48);
  if (!slug) return refused({ name: "Use at least one letter or digit in the name" });
  if (
    !key &&
    (await source.prisma.segmentDefinition.findUnique({
      where: { shopId_key: { shopId, key: `custom:${slug}` } },
    }))
  )
    return refused({ name: "A segment with this name exists; choose another name" });
  const saved = await saveCustomSegment(source, shopId, { slug, name, rule });
  return done({
    saved: saved.key,
    members: await source.prisma.customerProfile.count({ where: { shopId, segments: { has: saved.key } } }),
  });
}
