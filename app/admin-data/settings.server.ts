import type { PrismaClient } from "@prisma/client";
import { offerSettings } from "~/offers/settings.server";
import { resolveSettings } from "~/segments/settings";
import type { ParsedSettings } from "./settings-form";

// The shop's settings as the settings page reads and writes them, plus the privacy figures it shows.

export async function loadShopSettings(prisma: PrismaClient, shopId: string) {
  const [shop, segmentRow, offers, optedOut] = await Promise.all([
    prisma.shop.findUniqueOrThrow({
      where: { id: shopId },
      select: { netRevenueBasis: true, dataRetentionDays: true },
    }),
    prisma.segmentSettings.findUnique({ where: { shopId }, select: { settings: true } }),
    offerSettings(prisma, shopId),
    prisma.customer.count({ where: { shopId, optedOut: true, deletedAt: null } }),
  ]);
  return {
    segment: resolveSettings(segmentRow?.settings ?? {}),
    netRevenueBasis: shop.netRevenueBasis,
    dataRetentionDays: shop.dataRetentionDays,
    attributionWindowDays: offers.attributionWindowDays,
    optedOut,
  };
}

/**
 * Writes validated settings in one transaction. A new net-revenue basis is applied to every stored order at once
 * (the same SQL functions ingest uses), so metrics never mix two definitions; the caller then queues a full pass.
 */
export async function saveShopSettings(
  prisma: PrismaClient,
  shopId: string,
  settings: Extract<ParsedSettings, { ok: true }>,
): Promise<{ basisChanged: boolean }> {
  return prisma.$transaction(async (tx) => {
    // Row lock: a concurrent save waits, and ingest's writers read the basis from this row.
    const [current] = await tx.$queryRaw<
      { basis: string }[]
    >`SELECT "netRevenueBasis" AS basis FROM "Shop" WHERE id = ${shopId} FOR UPDATE`;
    const basisChanged = current?.basis !== settings.netRevenueBasis;
    await tx.shop.update({
      where: { id: shopId },
      data: { netRevenueBasis: settings.netRevenueBasis, dataRetentionDays: settings.dataRetentionDays },
    });
    const value = settings.segment as object;
    await tx.segmentSettings.upsert({
      where: { shopId },
      create: { shopId, settings: value },
      update: { settings: value },
    });
    await tx.offerSettings.upsert({
      where: { shopId },
      create: { shopId, attributionWindowDays: settings.attributionWindowDays },
      update: { attributionWindowDays: settings.attributionWindowDays },
    });
    if (basisChanged) {
      await tx.$executeRaw`
        UPDATE "Order" o SET
          "refundedMinor" = cadence_refunded_minor(${settings.netRevenueBasis}, r.merchandise, r.total),
          "netMinor" = cadence_net_minor(${settings.netRevenueBasis}, o."cancelledAt", o."subtotalMinor", o."totalMinor", r.merchandise, r.total),
          "updatedAt" = (now() AT TIME ZONE 'UTC')
        FROM (SELECT o2.id, COALESCE(SUM(f."merchandiseMinor"), 0)::bigint AS merchandise, COALESCE(SUM(f."totalMinor"), 0)::bigint AS total
                FROM "Order" o2 LEFT JOIN "Refund" f ON f."shopId" = o2."shopId" AND f."orderShopifyId" = o2."shopifyId"
               WHERE o2."shopId" = ${shopId} GROUP BY o2.id) r
        WHERE o."shopId" = ${shopId} AND o.id = r.id`;
    }
    return { basisChanged };
  });
}
