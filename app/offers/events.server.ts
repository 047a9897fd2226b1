import { createHash } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import type { Beacon } from "./beacon";

// Exposure and click events from the storefront, stored per shop. A signed app-proxy URL is unique (its
// signature covers the timestamp and every parameter), so the signature's hash is the event's key: a beacon the
// browser or a proxy retries is stored once.

export type RecordResult = "stored" | "duplicate" | "unknown_offer";

export async function recordOfferEvent(
  prisma: PrismaClient,
  shopId: string,
  event: Beacon & { customerId: string | null; signature: string; at?: Date },
): Promise<RecordResult> {
  // Drafts were never published, so no storefront can show them.
  const offer = await prisma.offer.findFirst({ where: { shopId, id: event.offer, status: { not: "draft" } }, select: { id: true } });
  if (!offer) return "unknown_offer";
  const { count } = await prisma.offerEvent.createMany({
    data: [
      {
        shopId,
        offerId: event.offer,
        type: event.type,
        arm: event.arm,
        surface: event.surface,
        customerShopifyId: event.customerId,
        requestKey: createHash("sha256").update(event.signature).digest("hex"),
        ...(event.at ? { occurredAt: event.at } : {}),
      },
    ],
    skipDuplicates: true,
  });
  return count === 1 ? "stored" : "duplicate";
}
