import type { Prisma } from "@prisma/client";
import { CUSTOM_PREFIX } from "~/segments/classify";
import type { CustomSegment } from "~/segments/classify";
import { compileRule, InvalidRuleError } from "~/segments/rules/rule";
import type { RuleIssue } from "~/segments/rules/rule";
import { resolveSettings } from "~/segments/settings";
import type { SegmentSettings } from "~/segments/settings";
import { emptyShopModel } from "~/segments/shop-model";
import type { ShopModel } from "~/segments/shop-model";
import { parseProgram } from "~/segments/tiers/program";
import type { LoyaltyProgram } from "~/segments/tiers/program";
import { dayOfDate } from "./database.server";
import type { Day } from "~/profiles/days";
import type { ShopFacts } from "./facts.server";

// A shop's segmentation configuration as stored: settings, the loyalty program (every version, for carrying
// statuses across a change), custom segment definitions compiled against the current program, and the model
// state of the last full pass.

export interface ProgramVersion {
  version: number;
  program: LoyaltyProgram;
  source: string;
  effectiveOn: Day;
}

export interface SegmentConfig {
  settings: SegmentSettings;
  program: ProgramVersion | null;
  /** Every stored version by number, the current one included. */
  programVersions: ReadonlyMap<number, ProgramVersion>;
  customSegments: CustomSegment[];
  /** Custom segments whose rule no longer compiles (a tier was removed): left untouched until fixed. */
  invalidSegments: Array<{ key: string; issues: RuleIssue[] }>;
  model: ShopModel | null;
}

function version(row: {
  version: number;
  definition: Prisma.JsonValue;
  source: string;
  effectiveOn: Date;
}): ProgramVersion {
  return {
    version: row.version,
    program: parseProgram(row.definition),
    source: row.source,
    effectiveOn: dayOfDate(row.effectiveOn) as Day,
  };
}

export async function loadSegmentConfig(db: Prisma.TransactionClient, shop: ShopFacts): Promise<SegmentConfig> {
  const [settingsRow, revisions, definitions, modelRow] = await Promise.all([
    db.segmentSettings.findUnique({ where: { shopId: shop.id } }),
    db.loyaltyProgramRevision.findMany({ where: { shopId: shop.id }, orderBy: { version: "asc" } }),
    db.segmentDefinition.findMany({ where: { shopId: shop.id, archivedAt: null }, orderBy: { key: "asc" } }),
    db.modelState.findUnique({ where: { shopId: shop.id } }),
  ]);
  const settings = resolveSettings(settingsRow?.settings ?? {});
  const programVersions = new Map(revisions.map((row) => [row.version, version(row)]));
  const program = revisions.length > 0 ? (programVersions.get(revisions[revisions.length - 1]!.version) ?? null) : null;
  const customSegments: CustomSegment[] = [];
  const invalidSegments: SegmentConfig["invalidSegments"] = [];
  const context = { currency: shop.currency, tierIds: program?.program.tiers.map((tier) => tier.id) ?? [] };
  for (const definition of definitions) {
    try {
      customSegments.push({ key: definition.key, name: definition.name, rule: compileRule(definition.rule, context) });
    } catch (error) {
      if (!(error instanceof InvalidRuleError)) throw error;
      invalidSegments.push({ key: definition.key, issues: error.issues });
    }
  }
  const model = modelRow ? (modelRow.state as unknown as ShopModel) : null;
  return { settings, program, programVersions, customSegments, invalidSegments, model };
}

/** The model to classify against: the stored one, or an empty one before the shop's first full pass. */
export function modelOrEmpty(config: SegmentConfig, shop: ShopFacts, asOf: Day): ShopModel {
  return config.model ?? emptyShopModel(asOf, shop.currency, config.settings);
}

export function isCustomKey(key: string): boolean {
  return key.startsWith(CUSTOM_PREFIX);
}
