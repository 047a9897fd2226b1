import type { Database } from "~/db.server";
import type { Prisma, PrismaClient } from "@prisma/client";
import { CUSTOM_PREFIX } from "~/segments/classify";
import { subjectFromRecord } from "~/segments/customer-record";
import { previewSegment } from "~/segments/rules/preview";
import type { ExistingSegment, SegmentPreview } from "~/segments/rules/preview";
import { compileRule } from "~/segments/rules/rule";
import type { RuleNode } from "~/segments/rules/rule";
import type { RuleSubject } from "~/segments/rules/subject";
import { resolveSettings } from "~/segments/settings";
import type { SegmentSettingsInput } from "~/segments/settings";
import { lockShopSegmentsInPrisma } from "./database.server";
import { loadShop } from "./facts.server";
import { runFullPass } from "./full-pass.server";
import type { FullPassResult } from "./full-pass.server";
import { loadSegmentConfig } from "./segment-config.server";
import { storedRecords } from "./stored-profiles.server";

// Custom segments and segment settings as the admin changes them. A preview evaluates a rule against the stored
// profiles (no recompute), with warnings for tiny and near-duplicate segments; saving recomputes everyone.

export class SegmentDefinitionError extends Error {
  override name = "SegmentDefinitionError";
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,47}$/;

export async function previewCustomSegment(
  prisma: PrismaClient,
  shopId: string,
  rule: unknown,
  options: { excludeKey?: string } = {},
): Promise<SegmentPreview> {
  const shop = await loadShop(prisma, { id: shopId });
  const config = await loadSegmentConfig(prisma, shop);
  const compiled = compileRule(rule, {
    currency: shop.currency,
    tierIds: config.program?.program.tiers.map((tier) => tier.id) ?? [],
  });
  const definitions = await prisma.segmentDefinition.findMany({
    where: { shopId, archivedAt: null },
    select: { key: true, name: true },
  });
  const existing = new Map<string, ExistingSegment & { members: Set<string> }>(
    definitions
      .filter((d) => d.key !== options.excludeKey)
      .map((d) => [d.key, { key: d.key, name: d.name, members: new Set<string>() }]),
  );
  const subjects: RuleSubject[] = [];
  for await (const page of storedRecords(prisma, shopId)) {
    for (const record of page) {
      subjects.push(subjectFromRecord(record));
      for (const key of record.segments) existing.get(key)?.members.add(record.customerId);
    }
  }
  return previewSegment(compiled, subjects, [...existing.values()], config.settings.customSegments);
}

/** Creates or replaces a custom segment (rule validated: InvalidRuleError) and recomputes memberships. */
export async function saveCustomSegment(
  database: Database,
  shopId: string,
  definition: { slug: string; name: string; rule: RuleNode },
): Promise<{ key: string; recompute: FullPassResult }> {
  if (!SLUG.test(definition.slug))
    throw new SegmentDefinitionError("a segment slug is 1–48 lower-case letters, digits and dashes");
  if (!definition.name.trim()) throw new SegmentDefinitionError("a segment needs a name");
  const { prisma } = database;
  const shop = await loadShop(prisma, { id: shopId });
  const config = await loadSegmentConfig(prisma, shop);
  compileRule(definition.rule, {
    currency: shop.currency,
    tierIds: config.program?.program.tiers.map((tier) => tier.id) ?? [],
  });
  const key = `${CUSTOM_PREFIX}${definition.slug}`;
  const rule = definition.rule as unknown as Prisma.InputJsonValue;
  await prisma.segmentDefinition.upsert({
    where: { shopId_key: { shopId, key } },
    create: { shopId, key, name: definition.name.trim(), rule },
    update: { name: definition.name.trim(), rule, archivedAt: null },
  });
  const recompute = await runFullPass(database, shopId);
  // The entries that fill a new (or changed) segment are not customers moving in; movement counts after this.
  if (recompute.status === "done")
    await prisma.segmentDefinition.update({ where: { shopId_key: { shopId, key } }, data: { filledAt: new Date() } });
  return { key, recompute };
}

/** Archives a custom segment: its members leave it (with "exited" transitions) and its label is removed. */
export async function archiveCustomSegment(prisma: PrismaClient, shopId: string, key: string): Promise<number> {
  return prisma.$transaction(async (tx) => {
    await lockShopSegmentsInPrisma(tx, shopId);
    const archived = await tx.segmentDefinition.updateMany({
      where: { shopId, key, archivedAt: null },
      data: { archivedAt: new Date() },
    });
    if (archived.count === 0) throw new SegmentDefinitionError(`no custom segment "${key}"`);
    await tx.$executeRawUnsafe(
      `INSERT INTO "SegmentTransition" ("shopId", "customerShopifyId", "segmentKey", kind, at, explanation)
       SELECT "shopId", "customerShopifyId", "segmentKey", 'exited', now(), 'segment archived'
         FROM "SegmentMembership" WHERE "shopId" = $1 AND "segmentKey" = $2 AND "exitedAt" IS NULL`,
      shopId,
      key,
    );
    const closed = await tx.$executeRawUnsafe(
      `UPDATE "SegmentMembership" SET "exitedAt" = now() WHERE "shopId" = $1 AND "segmentKey" = $2 AND "exitedAt" IS NULL`,
      shopId,
      key,
    );
    await tx.$executeRawUnsafe(
      `UPDATE "CustomerProfile" SET segments = array_remove(segments, $2), explanations = explanations - $2
        WHERE "shopId" = $1 AND $2 = ANY(segments)`,
      shopId,
      key,
    );
    await tx.$executeRawUnsafe(
      `UPDATE "CustomerListing" SET segments = array_remove(segments, $2) WHERE "shopId" = $1 AND $2 = ANY(segments)`,
      shopId,
      key,
    );
    return closed;
  });
}

/** Stores a shop's segment settings (partial, over the defaults); throws InvalidSettingsError naming a bad field. */
export async function saveSegmentSettings(
  prisma: PrismaClient,
  shopId: string,
  settings: SegmentSettingsInput,
): Promise<void> {
  resolveSettings(settings);
  const value = settings as unknown as Prisma.InputJsonValue;
  await prisma.segmentSettings.upsert({
    where: { shopId },
    create: { shopId, settings: value },
    update: { settings: value },
  });
}
