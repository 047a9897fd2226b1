import { createHash } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { database } from "~/db.server";
import { setPersonalised } from "~/offers/opt-out.server";
import { shopOfferReports } from "~/offers/report.server";
import { createOffer } from "~/offers/store.server";
import { runFullPass } from "~/recompute/full-pass.server";
import { setTierOverride } from "~/recompute/loyalty.server";
import { loadCustomerFacts, loadOneCustomerFacts, shopProgram } from "~/publish/audience.server";
import { proxyParams, signProxyQuery } from "~/storefront-proxy/sign";
import { API_SECRET, APP_URL, appUnderTest, installTestShop } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { AS_OF, seedGeneratedShop } from "./generated-shop";

// The shopper never chooses their own arm. A generated shop's history goes in through signed webhooks and the full
// pass gives every customer a tier; then every customer sends every beacon a forger could (each offer, each arm).
// Exactly one per customer is what the server decides for them — the tier offer if they are in its tier, else the
// everyone offer, in the arm the holdout hash gives (decision 0301, recomputed here from its definition) — and only
// that one is stored and counted; the rest get 422.

const SHOP = "beacon-verification.myshopify.com";
const content = { headline: "Hello", ctaLabel: "Shop", ctaUrl: "/" };
const HOLDOUT = { tier: 50, everyone: 20 };
let app: AppUnderTest;
let shopId: string;
let targetTier: string;
let customers: Array<{ id: string; tierId: string | null }>;

type Arm = "treatment" | "holdout";

/** The documented assignment: SHA-256 of [shop, offer, customer], 48 bits, mod 10 000, below percent × 100 is held out. */
function expectedArm(offerId: string, customerId: string, holdoutPercent: number): Arm {
  const digest = createHash("sha256")
    .update(JSON.stringify([SHOP, offerId, customerId]))
    .digest();
  return digest.readUIntBE(0, 6) % 10_000 < holdoutPercent * 100 ? "holdout" : "treatment";
}

function expectedFor(customer: { id: string; tierId: string | null }): { offer: string; arm: Arm } {
  const offer = customer.tierId === targetTier ? "tier" : "everyone";
  return { offer, arm: expectedArm(offer, customer.id, HOLDOUT[offer]) };
}

function beacon(customerId: string | null, offer: string, arm: Arm, type = "exposure"): Request {
  const pairs: Array<[string, string]> = [
    ...proxyParams(SHOP, customerId),
    ["type", type],
    ["offer", offer],
    ["arm", arm],
    ["surface", "block"],
  ];
  return new Request(`${APP_URL}/proxy/events?${signProxyQuery(pairs, API_SECRET)}`, { method: "POST" });
}

async function send(customerId: string | null, offer: string, arm: Arm): Promise<{ status: number; text: string }> {
  const response = await app.handle(beacon(customerId, offer, arm));
  return { status: response.status, text: await response.text() };
}

const stored = () => app.prisma.offerEvent.findMany({ where: { shopId }, orderBy: { id: "asc" } });

beforeAll(async () => {
  app = await appUnderTest();
  shopId = await installTestShop(app, SHOP);
  await seedGeneratedShop(app, SHOP, 40);
  await runFullPass(app.database, shopId, { asOf: AS_OF });
  customers = (
    await app.prisma.customerProfile.findMany({ where: { shopId }, select: { customerShopifyId: true, tierId: true } })
  ).map((row) => ({ id: row.customerShopifyId, tierId: row.tierId }));
  const byTier = new Map<string, number>();
  for (const customer of customers)
    if (customer.tierId) byTier.set(customer.tierId, (byTier.get(customer.tierId) ?? 0) + 1);
  // The tier with the most members, so both sides of the audience are well represented.
  targetTier = [...byTier].sort((a, b) => b[1] - a[1])[0]![0];
  await createOffer(app.prisma, shopId, {
    id: "tier",
    name: "Tier",
    audience: { kind: "tier", tierKey: targetTier },
    content,
    status: "active",
    priority: 10,
    holdoutPercent: HOLDOUT.tier,
  });
  await createOffer(app.prisma, shopId, {
    id: "everyone",
    name: "Everyone",
    audience: { kind: "everyone" },
    content,
    status: "active",
    holdoutPercent: HOLDOUT.everyone,
  });
  await createOffer(app.prisma, shopId, {
    id: "guests",
    name: "Guests",
    audience: { kind: "guests" },
    content,
    status: "active",
    priority: 20,
  });
}, 180_000);

describe("every beacon is checked against the server's decision", () => {
  test("of each customer's four possible claims, only the server's offer and arm are stored; the rest get 422", async () => {
    expect(customers.length).toBe(40);
    const inTier = customers.filter((customer) => customer.tierId === targetTier).length;
    expect(inTier).toBeGreaterThan(0);
    expect(inTier).toBeLessThan(40);
    for (const customer of customers) {
      const expected = expectedFor(customer);
      for (const offer of ["tier", "everyone"]) {
        for (const arm of ["treatment", "holdout"] as const) {
          const answer = await send(customer.id, offer, arm);
          const matches = offer === expected.offer && arm === expected.arm;
          expect([customer.id, offer, arm, answer.status]).toEqual([customer.id, offer, arm, matches ? 204 : 422]);
          if (!matches)
            expect(answer.text).toMatch(
              /^Invalid beacon: (offer "\w+" is not the offer this shopper is shown|arm "\w+" is not this shopper's arm for offer "\w+")$/,
            );
        }
      }
    }
    const rows = await stored();
    expect(rows).toHaveLength(40);
    expect(rows.every((row) => row.verified)).toBe(true);
    // Both arms of both offers are represented, so every kind of forged claim was tried against a real shopper.
    for (const offer of ["tier", "everyone"])
      for (const arm of ["treatment", "holdout"])
        expect(rows.some((row) => row.offerId === offer && row.arm === arm)).toBe(true);
    expect(new Map(rows.map((row) => [row.customerShopifyId, { offer: row.offerId, arm: row.arm }]))).toEqual(
      new Map(customers.map((customer) => [customer.id, expectedFor(customer)])),
    );
  });

  test("the offer endpoint shows each shopper the offer and arm their beacon is accepted for", async () => {
    for (const customer of customers.slice(0, 10)) {
      const expected = expectedFor(customer);
      const response = await app.handle(
        new Request(`${APP_URL}/proxy/offer?${signProxyQuery(proxyParams(SHOP, customer.id), API_SECRET)}`),
      );
      expect(await response.json()).toMatchObject({
        offer: { offer_id: expected.offer, holdout: expected.arm === "holdout" },
      });
    }
  });

  test("the report counts the stored, verified exposures: forged holdout claims did not move it", async () => {
    const report = await shopOfferReports(app.prisma, SHOP);
    for (const offer of ["tier", "everyone"]) {
      const row = report.offers.find((candidate) => candidate.offer.id === offer)!;
      for (const arm of ["treatment", "holdout"] as const) {
        const expected = customers.filter(
          (customer) => expectedFor(customer).offer === offer && expectedFor(customer).arm === arm,
        ).length;
        expect([offer, arm, row.report.arms[arm].exposures]).toEqual([offer, arm, expected]);
      }
    }
  });

  test("events stored before verification existed (the browser's claim) are not counted", async () => {
    const before = await shopOfferReports(app.prisma, SHOP);
    const customer = customers[0]!;
    const forged = expectedFor(customer).arm === "holdout" ? "treatment" : "holdout";
    await app.prisma.offerEvent.create({
      data: {
        shopId,
        offerId: expectedFor(customer).offer,
        type: "exposure",
        arm: forged,
        surface: "block",
        customerShopifyId: customer.id,
        requestKey: "legacy-1",
        occurredAt: new Date("2020-01-01T00:00:00Z"),
      },
    });
    expect(await shopOfferReports(app.prisma, SHOP)).toEqual(before);
  });

  test("guests get the guest offer, never held out, and nothing else", async () => {
    expect((await send(null, "guests", "treatment")).status).toBe(204);
    expect(await send(null, "guests", "holdout")).toMatchObject({
      status: 422,
      text: expect.stringMatching(/arm "holdout"/),
    });
    expect(await send(null, "everyone", "treatment")).toMatchObject({
      status: 422,
      text: expect.stringMatching(/offer "everyone" is not the offer/),
    });
  });
});

describe("the decision follows the shopper", () => {
  test("a customer moved into the tier is accepted for the tier offer and refused for the one they had", async () => {
    const customer = customers.find((candidate) => candidate.tierId !== targetTier)!;
    const before = expectedFor(customer);
    expect(before.offer).toBe("everyone");
    await setTierOverride(app.database, shopId, customer.id, { tierId: targetTier, reason: "VIP" });
    const after = { offer: "tier", arm: expectedArm("tier", customer.id, HOLDOUT.tier) };
    expect((await send(customer.id, before.offer, before.arm)).status).toBe(422);
    expect((await send(customer.id, after.offer, after.arm)).status).toBe(204);
  });

  test("a customer who opts out is shown no offer, so none of their beacons is stored", async () => {
    const customer = customers.find((candidate) => candidate.tierId === targetTier)!;
    const { offer, arm } = expectedFor(customer);
    expect((await send(customer.id, offer, arm)).status).toBe(204);
    await setPersonalised(app.prisma, shopId, customer.id, false);
    expect(await send(customer.id, offer, arm)).toMatchObject({
      status: 422,
      text: expect.stringMatching(/is not the offer this shopper is shown/),
    });
  });
});

describe("the storefront's one-customer read", () => {
  test("gives the publisher's facts for every customer, one without a profile and an opted-out one", async () => {
    const shop = await app.prisma.shop.findUniqueOrThrow({
      where: { id: shopId },
      select: { id: true, domain: true, currencyCode: true },
    });
    const program = await shopProgram(app.prisma, shopId);
    const ids = [...customers.map((customer) => customer.id), "999999999"];
    const expected = await loadCustomerFacts(app.prisma, shop, ids, { program });
    expect(expected.some((facts) => facts.shopper.optedOut)).toBe(true);
    expect(expected.some((facts) => facts.standing?.next)).toBe(true);
    const sql = database().sql;
    for (const facts of expected)
      expect(await loadOneCustomerFacts(sql, shop, facts.shopper.customerId, program)).toEqual(facts);
  });
});
