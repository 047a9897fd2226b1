import { beforeAll, expect, test } from "vitest";
import { database } from "~/db.server";
import { recordOfferEvent } from "~/offers/events.server";
import { shopOfferReports } from "~/offers/report.server";
import { createOffer } from "~/offers/store.server";
import { appUnderTest, installTestShop } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { orderRow } from "../support/orders";

// The report's database side (first exposures, event counts, exposed customers' orders) on both engines.

const SHOP = "offer-report.myshopify.com";
const DAY = 86_400_000;
const t0 = new Date("2026-10-01T12:00:00Z");
let app: AppUnderTest;

beforeAll(async () => {
  app = await appUnderTest();
  await installTestShop(app, SHOP);
  const shopId = (await app.prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).id;
  await createOffer(app.prisma, shopId, {
    id: "thanks",
    name: "Thanks",
    audience: { kind: "everyone" },
    content: { headline: "Thanks", ctaLabel: "Shop", ctaUrl: "/" },
    status: "active",
  });
  let n = 0;
  const event = (customerId: string | null, arm: "treatment" | "holdout", type: "exposure" | "click", at: Date) =>
    recordOfferEvent(database().sql, shopId, {
      type,
      offerId: "thanks",
      arm,
      surface: "block",
      customerId,
      signature: `s${(n += 1)}`,
      at,
    });
  // Treatment: customer 1 seen twice (first on day 0), buys on day 2 (£30) and day 40 (outside 14 days);
  // customer 2 bought before being seen; customer 3 never buys. Holdout: customers 4 and 5, 5 buys on day 1 (£10).
  await event("1", "treatment", "exposure", t0);
  await event("1", "treatment", "exposure", new Date(t0.getTime() + DAY));
  await event("1", "treatment", "click", t0);
  await event("2", "treatment", "exposure", t0);
  await event("3", "treatment", "exposure", t0);
  await event("4", "holdout", "exposure", t0);
  await event("5", "holdout", "exposure", t0);
  await event(null, "treatment", "exposure", t0);
  await event(null, "treatment", "click", t0);
  await app.prisma.order.createMany({
    data: [
      orderRow(shopId, "1", new Date(t0.getTime() + 2 * DAY), 3000n),
      orderRow(shopId, "1", new Date(t0.getTime() + 40 * DAY), 9900n),
      orderRow(shopId, "2", new Date(t0.getTime() - DAY), 5000n),
      orderRow(shopId, "5", new Date(t0.getTime() + DAY), 1000n),
    ],
  });

  // An offer carrying a code: customer 11 (treatment) redeems it on day 40, outside the 14-day window; customer 12
  // (treatment) orders on day 30 with another offer's code; customer 13 (holdout) redeems it, spelt in lower case, on
  // day 20; customer 14 (treatment) redeemed it before being shown the offer.
  await createOffer(app.prisma, shopId, {
    id: "coded",
    name: "Coded",
    audience: { kind: "everyone" },
    content: { headline: "10% off", ctaLabel: "Shop", ctaUrl: "/" },
    discount: { kind: "existing_code", code: "THANKS10" },
    status: "active",
  });
  const seen = (customerId: string, arm: "treatment" | "holdout") =>
    recordOfferEvent(database().sql, shopId, {
      type: "exposure",
      offerId: "coded",
      arm,
      surface: "block",
      customerId,
      signature: `c${(n += 1)}`,
      at: t0,
    });
  for (const [customerId, arm] of [
    ["11", "treatment"],
    ["12", "treatment"],
    ["13", "holdout"],
    ["14", "treatment"],
  ] as const)
    await seen(customerId, arm);
  await app.prisma.order.createMany({
    data: [
      { ...orderRow(shopId, "11", new Date(t0.getTime() + 40 * DAY), 4000n), discountCodes: ["THANKS10"] },
      { ...orderRow(shopId, "12", new Date(t0.getTime() + 30 * DAY), 2000n), discountCodes: ["OTHER5"] },
      { ...orderRow(shopId, "13", new Date(t0.getTime() + 20 * DAY), 1500n), discountCodes: ["thanks10"] },
      { ...orderRow(shopId, "14", new Date(t0.getTime() - DAY), 2500n), discountCodes: ["THANKS10"] },
    ],
  });
});

test("per arm: events, shoppers, conversions in the window, revenue per shopper; guests apart", async () => {
  const { offers, windowDays } = await shopOfferReports(app.prisma, SHOP);
  expect(windowDays).toBe(14);
  const row = offers.find((candidate) => candidate.offer.id === "thanks");
  expect(row?.report.arms.treatment).toMatchObject({ exposures: 4, shoppers: 3, conversions: 1, revenueMinor: 3000 });
  expect(row?.report.arms.holdout).toMatchObject({ exposures: 2, shoppers: 2, conversions: 1, revenueMinor: 1000 });
  expect(row?.report.arms.treatment.revenue.mean).toBe(1000);
  expect(row?.clicks).toEqual({ treatment: 1, holdout: 0 });
  expect(row?.guest).toEqual({ exposures: 1, clicks: 1 });
  expect(row?.report.verdict.kind).toBe("too_early");
  const wide = await shopOfferReports(app.prisma, SHOP, { windowDays: 60 });
  expect(wide.offers.find((candidate) => candidate.offer.id === "thanks")?.report.arms.treatment).toMatchObject({
    conversions: 1,
    revenueMinor: 12900,
  });
});

test("an order redeeming the offer's code counts as a conversion even outside the window; other codes and earlier orders do not", async () => {
  const { offers } = await shopOfferReports(app.prisma, SHOP);
  const coded = offers.find((candidate) => candidate.offer.id === "coded");
  expect(coded?.report.arms.treatment).toMatchObject({ shoppers: 3, conversions: 1, revenueMinor: 4000 });
  expect(coded?.report.arms.holdout).toMatchObject({ shoppers: 1, conversions: 1, revenueMinor: 1500 });
  // However short the window, the redemption still counts.
  const short = await shopOfferReports(app.prisma, SHOP, { windowDays: 1 });
  expect(short.offers.find((candidate) => candidate.offer.id === "coded")?.report.arms.treatment.conversions).toBe(1);
});
