import type { PrismaClient } from "@prisma/client";
import { UnknownShopError } from "~/exports/customers";
import type { Arm } from "./holdout";
import { offerReport, type OfferReport } from "./measurement/report";
import { discountCode } from "./model";
import { offerSettings } from "./settings.server";
import { listOffers } from "./store.server";

// Per-offer reports from stored events and orders (app/offers/measurement/ does the arithmetic). Logged-in
// shoppers enter at their first exposure; guests are counted (exposures, clicks) but have no arm to compare.

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

export async function shopOfferReports(prisma: PrismaClient, shopDomain: string, options: { windowDays?: number } = {}): Promise<ShopOfferReports> {
  const shop = await prisma.shop.findUnique({ where: { domain: shopDomain }, select: { id: true, currencyCode: true } });
  if (!shop) throw new UnknownShopError(`No shop "${shopDomain}" in this database.`);
  const windowDays = options.windowDays ?? (await offerSettings(prisma, shop.id)).attributionWindowDays;
  const [offers, events] = await Promise.all([
    listOffers(prisma, shop.id),
    prisma.offerEvent.findMany({
      where: { shopId: shop.id },
      select: { offerId: true, type: true, arm: true, customerShopifyId: true, occurredAt: true },
    }),
  ]);
  const exposed = [...new Set(events.flatMap((event) => (event.type === "exposure" && event.customerShopifyId ? [event.customerShopifyId] : [])))];
  const firstExposure = events.reduce<Date | null>((min, event) => (min && min <= event.occurredAt ? min : event.occurredAt), null);
  const orders = exposed.length
    ? await prisma.order.findMany({
        where: { shopId: shop.id, test: false, cancelledAt: null, customerShopifyId: { in: exposed }, processedAt: { gte: firstExposure ?? new Date(0) } },
        select: { customerShopifyId: true, processedAt: true, netMinor: true },
      })
    : [];
  const orderFacts = orders.map((order) => ({ customerId: order.customerShopifyId as string, processedAt: order.processedAt, netMinor: order.netMinor }));
  return {
    shop: shopDomain,
    currency: shop.currencyCode,
    windowDays,
    offers: offers
      .filter((offer) => offer.status !== "draft")
      .map((offer) => {
        const own = events.filter((event) => event.offerId === offer.id);
        const customers = own.filter((event) => event.customerShopifyId);
        const code = discountCode(offer);
        return {
          offer: { id: offer.id, name: offer.name, status: offer.status },
          report: offerReport({
            offerId: offer.id,
            offerCodes: code ? [code] : [],
            windowDays,
            currency: shop.currencyCode,
            exposures: customers
              .filter((event) => event.type === "exposure")
              .map((event) => ({ customerId: event.customerShopifyId as string, offerId: offer.id, arm: event.arm as Arm, at: event.occurredAt })),
            orders: orderFacts,
          }),
          clicks: {
            treatment: customers.filter((event) => event.type === "click" && event.arm === "treatment").length,
            holdout: customers.filter((event) => event.type === "click" && event.arm === "holdout").length,
          },
          guest: {
            exposures: own.filter((event) => !event.customerShopifyId && event.type === "exposure").length,
            clicks: own.filter((event) => !event.customerShopifyId && event.type === "click").length,
          },
        };
      }),
  };
}
