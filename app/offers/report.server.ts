import { Prisma } from "@prisma/client";
import type { PrismaClient } from "@prisma/client";
import { UnknownShopError } from "~/exports/customers";
import { customerRedactionPending } from "~/privacy/gone";
import type { Arm } from "./holdout";
import { notMeasured, offerReport } from "./measurement/report";
import type { OfferReport } from "./measurement/report";
import { discountCode } from "./model";
import { offerSettings } from "./settings.server";
import { listOffers } from "./store.server";

// Per-offer reports from stored events and orders (app/offers/measurement/ does the arithmetic). Logged-in
// shoppers enter at their first exposure; guests are counted (exposures, clicks) but have no arm to compare. Only
// verified events count: their offer and arm are the server's decision, not the browser's claim (OfferEvent.verified).

export interface OfferReportRow {
  offer: { id: string; name: string; status: string };
  report: OfferReport;
  clicks: Record<Arm, number>;
  guest: { exposures: number; clicks: number };
}

export interface ShopOfferReports {
  shop: string;
  currency: string;
  windowDays: number;
  offers: OfferReportRow[];
}

interface EventCount {
  offerId: string;
  type: string;
  arm: string;
  guest: boolean;
  count: number;
}

interface FirstExposure {
  offerId: string;
  customerId: string;
  arm: string;
  at: Date;
}

interface OrderRow {
  customerId: string;
  processedAt: Date;
  netMinor: bigint;
  discountCodes: string[] | null;
}

// Aggregated in the database: a shop's events can run to millions. Each exposed customer's first exposure per
// offer (their arm), event counts per offer, arm and type, and the orders of exposed customers from their
// earliest exposure on. A customer whose redaction is pending counts nowhere (app/privacy/gone.ts).
async function readOutcomes(prisma: PrismaClient, shopId: string) {
  const kept = Prisma.raw(`NOT ${customerRedactionPending(`e."shopId"`, `e."customerShopifyId"`)}`);
  const counts = await prisma.$queryRaw<EventCount[]>`
    SELECT "offerId", type, arm, ("customerShopifyId" IS NULL) AS guest, count(*)::int AS count
      FROM "OfferEvent" e WHERE "shopId" = ${shopId} AND verified AND ${kept}
     GROUP BY "offerId", type, arm, ("customerShopifyId" IS NULL)`;
  const firsts = await prisma.$queryRaw<FirstExposure[]>`
    SELECT DISTINCT ON ("offerId", "customerShopifyId") "offerId", "customerShopifyId" AS "customerId", arm, "occurredAt" AS at
      FROM "OfferEvent" e
     WHERE "shopId" = ${shopId} AND type = 'exposure' AND "customerShopifyId" IS NOT NULL AND verified AND ${kept}
     ORDER BY "offerId", "customerShopifyId", "occurredAt"`;
  const orders = await prisma.$queryRaw<OrderRow[]>`
    SELECT o."customerShopifyId" AS "customerId", o."processedAt", o."netMinor", o."discountCodes"
      FROM "Order" o
      JOIN (SELECT "customerShopifyId", min("occurredAt") AS since FROM "OfferEvent" e
             WHERE "shopId" = ${shopId} AND type = 'exposure' AND "customerShopifyId" IS NOT NULL AND verified AND ${kept}
             GROUP BY "customerShopifyId") e ON e."customerShopifyId" = o."customerShopifyId"
     WHERE o."shopId" = ${shopId} AND NOT o.test AND o."cancelledAt" IS NULL AND o."processedAt" >= e.since`;
  return { counts, firsts, orders };
}

export async function shopOfferReports(
  prisma: PrismaClient,
  shopDomain: string,
  options: { windowDays?: number } = {},
): Promise<ShopOfferReports> {
  const shop = await prisma.shop.findUnique({
    where: { domain: shopDomain },
    select: { id: true, currencyCode: true },
  });
  if (!shop) throw new UnknownShopError(`No shop "${shopDomain}" in this database.`);
  const windowDays = options.windowDays ?? (await offerSettings(prisma, shop.id)).attributionWindowDays;
  const offers = await listOffers(prisma, shop.id);
  const { counts, firsts, orders } = await readOutcomes(prisma, shop.id);
  const count = (offerId: string, type: string, match: { arm?: Arm; guest: boolean }) =>
    counts
      .filter(
        (row) =>
          row.offerId === offerId &&
          row.type === type &&
          row.guest === match.guest &&
          (!match.arm || row.arm === match.arm),
      )
      .reduce((sum, row) => sum + row.count, 0);
  const orderFacts = orders.map((order) => ({
    customerId: order.customerId,
    processedAt: new Date(order.processedAt),
    netMinor: order.netMinor,
    discountCodes: order.discountCodes ?? [],
  }));
  return {
    shop: shopDomain,
    currency: shop.currencyCode,
    windowDays,
    offers: offers
      .filter((offer) => offer.status !== "draft")
      .map((offer) => {
        const code = discountCode(offer);
        const report = offerReport({
          offerId: offer.id,
          offerCodes: code ? [code] : [],
          windowDays,
          currency: shop.currencyCode,
          exposures: firsts
            .filter((row) => row.offerId === offer.id)
            .map((row) => ({
              customerId: row.customerId,
              offerId: offer.id,
              arm: row.arm as Arm,
              at: new Date(row.at),
            })),
          orders: orderFacts,
        });
        // The attribution saw one (first) exposure per shopper; the event counts are the database's.
        for (const arm of ["treatment", "holdout"] as const)
          report.arms[arm].exposures = count(offer.id, "exposure", { arm, guest: false });
        report.verdict = notMeasured(offer) ?? report.verdict;
        return {
          offer: { id: offer.id, name: offer.name, status: offer.status },
          report,
          clicks: {
            treatment: count(offer.id, "click", { arm: "treatment", guest: false }),
            holdout: count(offer.id, "click", { arm: "holdout", guest: false }),
          },
          guest: {
            exposures: count(offer.id, "exposure", { guest: true }),
            clicks: count(offer.id, "click", { guest: true }),
          },
        };
      }),
  };
}
