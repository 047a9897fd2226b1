import type { PrismaClient } from "@prisma/client";
import { getLoyaltyProgram } from "~/profiles/loyalty.server";
import { LIFECYCLE_NAMES, LIFECYCLE_STAGES } from "~/segments/lifecycle/stage";
import { RFM_GROUP_NAMES, RFM_GROUPS } from "~/segments/rfm/groups";
import { BUILTIN_SEGMENT_NAMES, BUILTIN_SEGMENTS } from "~/segments/winback/occasions";

// The audiences an offer of this shop can target: its own tiers and custom segments, the built-in segments,
// lifecycle stages and RFM groups, guests, everyone. The form (offer-form.ts) accepts only these values.

export interface AudienceChoice {
  value: string;
  label: string;
}

export async function audienceChoices(prisma: PrismaClient, shopId: string): Promise<AudienceChoice[]> {
  const [program, customs] = await Promise.all([
    getLoyaltyProgram(prisma, shopId),
    prisma.segmentDefinition.findMany({ where: { shopId, archivedAt: null }, select: { key: true, name: true }, orderBy: { name: "asc" } }),
  ]);
  return [
    { value: "everyone", label: "Everyone (logged-in customers and guests)" },
    { value: "guests", label: "Guests (not logged in)" },
    ...(program?.program.tiers ?? []).map((tier) => ({ value: `tier:${tier.id}`, label: `Tier: ${tier.name}` })),
    ...BUILTIN_SEGMENTS.map((key) => ({ value: `segment:${key}`, label: `Segment: ${BUILTIN_SEGMENT_NAMES[key]}` })),
    ...customs.map((custom) => ({ value: `custom:${custom.key}`, label: `Custom segment: ${custom.name}` })),
    // The storefront knows lifecycle stages by their key and RFM groups as rfm_<group> (app/publish/audience.server.ts).
    ...LIFECYCLE_STAGES.filter((stage) => !(BUILTIN_SEGMENTS as readonly string[]).includes(stage)).map((stage) => ({ value: `segment:${stage}`, label: `Lifecycle: ${LIFECYCLE_NAMES[stage]}` })),
    ...RFM_GROUPS.map((group) => ({ value: `segment:rfm_${group}`, label: `RFM group: ${RFM_GROUP_NAMES[group]}` })),
  ];
}
