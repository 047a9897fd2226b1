import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { chooseOffer, eligibleOffers, inAudience } from "~/offers/choose";
import { customer, offer } from "./support";

const NOW = new Date("2026-05-04T12:00:00Z");

describe("choosing one offer per shopper", () => {
  const everyone = offer({ id: "everyone", priority: 1 });
  const gold = offer({ id: "gold", audience: { kind: "tier", tierKey: "gold" }, priority: 1 });
  const atRisk = offer({ id: "at-risk", audience: { kind: "segment", segmentKey: "at_risk" }, priority: 1 });
  const vip = offer({ id: "vip", audience: { kind: "custom_segment", segmentId: "seg_42" }, priority: 1 });
  const guests = offer({ id: "guests", audience: { kind: "guests" }, priority: 5 });
  const goldCustomer = customer("101", { tierKey: "gold", segmentKeys: ["at_risk"], customSegmentIds: ["seg_42"] });

  test("audiences: tier, built-in segment, custom segment, guests, everyone", () => {
    expect(inAudience(gold.audience, goldCustomer)).toBe(true);
    expect(inAudience(gold.audience, customer("102", { tierKey: "silver" }))).toBe(false);
    expect(inAudience(atRisk.audience, goldCustomer)).toBe(true);
    expect(inAudience(vip.audience, goldCustomer)).toBe(true);
    expect(inAudience(guests.audience, goldCustomer)).toBe(false);
    expect(inAudience(guests.audience, { kind: "guest" })).toBe(true);
    expect(inAudience(everyone.audience, { kind: "guest" })).toBe(true);
    expect(inAudience(gold.audience, { kind: "guest" })).toBe(false);
  });

  test("the highest priority wins", () => {
    const urgent = offer({ id: "zz-urgent", priority: 9 });
    expect(chooseOffer([gold, urgent, atRisk], goldCustomer, NOW)?.id).toBe("zz-urgent");
  });

  test("at equal priority the more specific audience wins, then the smaller id", () => {
    expect(eligibleOffers([everyone, gold, atRisk, vip], goldCustomer, NOW).map((o) => o.id)).toEqual([
      "vip",
      "at-risk",
      "gold",
      "everyone",
    ]);
    const twin = offer({ id: "gold-b", audience: { kind: "tier", tierKey: "gold" }, priority: 1 });
    expect(chooseOffer([twin, gold], customer("103", { tierKey: "gold" }), NOW)?.id).toBe("gold");
  });

  test("offers outside their schedule, paused or not ready are skipped", () => {
    const later = offer({ id: "a-later", priority: 9, startsAt: new Date("2026-06-01") });
    const over = offer({ id: "b-over", priority: 9, endsAt: new Date("2026-05-01") });
    const paused = offer({ id: "c-paused", priority: 9, status: "paused" });
    const pending = offer({
      id: "d-pending",
      priority: 9,
      discount: { kind: "cadence_code", code: null, value: { type: "percentage", percent: 10 } },
    });
    expect(chooseOffer([later, over, paused, pending, gold], goldCustomer, NOW)?.id).toBe("gold");
  });

  test("opted-out customers get no offer; guests get only guest or everyone offers", () => {
    expect(chooseOffer([everyone, gold], customer("104", { tierKey: "gold", optedOut: true }), NOW)).toBeNull();
    expect(chooseOffer([gold, guests, everyone], { kind: "guest" }, NOW)?.id).toBe("guests");
    expect(chooseOffer([gold], { kind: "guest" }, NOW)).toBeNull();
  });

  test("property: the winner does not depend on the order offers are listed in, and is always eligible", () => {
    const audiences = [everyone, gold, atRisk, vip, guests].map((o) => o.audience);
    const offers = fc.uniqueArray(
      fc.record({
        id: fc.stringMatching(/^[a-z]{1,6}$/),
        priority: fc.integer({ min: -3, max: 3 }),
        audience: fc.constantFrom(...audiences),
      }),
      { selector: (o) => o.id, maxLength: 12 },
    );
    const shopper = fc.oneof(
      fc.constant({ kind: "guest" as const }),
      fc.record({ tierKey: fc.constantFrom("gold", "silver"), at: fc.boolean(), vip: fc.boolean() }).map((s) =>
        customer("105", {
          tierKey: s.tierKey,
          segmentKeys: s.at ? ["at_risk"] : [],
          customSegmentIds: s.vip ? ["seg_42"] : [],
        }),
      ),
    );
    const offersAndShuffle = offers.chain((specs) =>
      fc.tuple(fc.constant(specs), fc.shuffledSubarray(specs, { minLength: specs.length })),
    );
    fc.assert(
      fc.property(offersAndShuffle, shopper, ([specs, shuffledSpecs], who) => {
        const built = specs.map((spec) => offer(spec));
        const winner = chooseOffer(built, who, NOW);
        expect(
          chooseOffer(
            shuffledSpecs.map((spec) => offer(spec)),
            who,
            NOW,
          )?.id,
        ).toBe(winner?.id);
        if (winner) {
          expect(inAudience(winner.audience, who)).toBe(true);
          for (const other of built)
            if (inAudience(other.audience, who)) expect(other.priority).toBeLessThanOrEqual(winner.priority);
        } else {
          expect(built.some((o) => inAudience(o.audience, who))).toBe(false);
        }
      }),
    );
  });
});
