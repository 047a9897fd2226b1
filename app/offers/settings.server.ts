import type { PrismaClient } from "@prisma/client";
import { z } from "zod";

// Offer settings per shop; a shop that never set them gets the defaults.

export const offerSettingsSchema = z.object({ attributionWindowDays: z.number().int().min(1).max(365) }).strict();
export type OfferSettings = z.infer<typeof offerSettingsSchema>;
export const DEFAULT_OFFER_SETTINGS: OfferSettings = { attributionWindowDays: 14 };

export async function offerSettings(prisma: PrismaClient, shopId: string): Promise<OfferSettings> {
  const row = await prisma.offerSettings.findUnique({ where: { shopId }, select: { attributionWindowDays: true } });
  return row ?? DEFAULT_OFFER_SETTINGS;
}

export async function saveOfferSettings(
  prisma: PrismaClient,
  shopId: string,
  input: unknown,
): Promise<{ ok: true; settings: OfferSettings } | { ok: false; errors: Record<string, string> }> {
  const parsed = offerSettingsSchema.safeParse(input);
  if (!parsed.success)
    return {
      ok: false,
      errors: Object.fromEntries(
        parsed.error.issues.map((issue) => [issue.path.join(".") || "settings", issue.message]),
      ),
    };
  await prisma.offerSettings.upsert({ where: { shopId }, create: { shopId, ...parsed.data }, update: parsed.data });
  return { ok: true, settings: parsed.data };
}
