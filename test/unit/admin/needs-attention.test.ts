import { describe, expect, test } from "vitest";
import { MAX_ITEMS, MIN_RATE_FALL, MIN_TIER_MEMBERS, needsAttention } from "~/admin-data/needs-attention";
import type { AttentionInput } from "~/admin-data/needs-attention";

// The dashboard's Needs attention card, decided from the shop's figures: change one figure, see the card change.

const quiet: AttentionInput = {
  currency: "GBP",
  importProblem: null,
  highValueAtRisk: { customers: 0, valueMinor: 0 },
  atRisk: { customers: 0, valueMinor: 0 },
  unhappy: 0,
  anniversaries: { customers: 0, leadDays: 14 },
  tiers: [{ tierId: "gold", tierName: "Gold", members: 50, recentRate: 0.4, earlierRate: 0.42 }],
  offers: [],
};

const ids = (input: AttentionInput) => needsAttention(input).map((item) => item.id);

describe("Needs attention", () => {
  test("a healthy shop: nothing to do", () => {
    expect(needsAttention(quiet)).toEqual([]);
  });

  test("high-value customers at risk: their count and 12-month value, and a win-back offer to create", () => {
    const [item] = needsAttention({
      ...quiet,
      highValueAtRisk: { customers: 9, valueMinor: 412_350 },
      atRisk: { customers: 9, valueMinor: 412_350 },
    });
    expect(item).toEqual({
      id: "high-value-at-risk",
      tone: "warning",
      text: "9 high-value customers at risk, £4,123.50 of 12-month value",
      action: { label: "Create a win-back offer", url: "/app/offers/new?audience=segment%3Ahigh_value_at_risk" },
    });
    expect(
      needsAttention({
        ...quiet,
        highValueAtRisk: { customers: 1, valueMinor: 100 },
        atRisk: { customers: 1, valueMinor: 100 },
      })[0]?.text,
    ).toBe("1 high-value customer at risk, £1.00 of 12-month value");
  });

  test("once an active win-back offer covers them, the action is to see how it does; a paused one does not count", () => {
    const atRisk = {
      ...quiet,
      highValueAtRisk: { customers: 9, valueMinor: 412_350 },
      atRisk: { customers: 30, valueMinor: 900_000 },
    };
    const offer = {
      id: "win-back",
      name: "Win back",
      status: "active",
      audience: "segment:at_risk",
      verdict: "too_early" as const,
    };
    expect(needsAttention({ ...atRisk, offers: [offer] }).map((item) => item.action)).toEqual([
      { label: 'See how "Win back" is doing', url: "/app/offers/win-back" },
    ]);
    const paused = needsAttention({ ...atRisk, offers: [{ ...offer, status: "paused" }] });
    expect(paused.map((item) => item.action.label)).toEqual(["Create a win-back offer", "Create a win-back offer"]);
    expect(paused[1]?.text).toBe(
      "30 customers at risk of not coming back, £9,000.00 of 12-month value, and no offer for them",
    );
  });

  test("a tier whose repeat rate fell enough, with enough members, is named with both rates and a link to the tier", () => {
    const fell = { tierId: "gold", tierName: "Gold", members: 60, recentRate: 0.25, earlierRate: 0.45 };
    expect(needsAttention({ ...quiet, tiers: [fell] })).toEqual([
      {
        id: "tier-gold",
        tone: "warning",
        text: "Gold members' repeat rate fell from 45% to 25%: the share who ordered in the last 90 days, against the 90 before",
        action: { label: "See Gold", url: "/app/segments/tier%3Agold" },
      },
    ]);
    // Just under the fall that counts, or too few members to tell: nothing.
    expect(ids({ ...quiet, tiers: [{ ...fell, recentRate: fell.earlierRate - MIN_RATE_FALL + 0.01 }] })).toEqual([]);
    expect(ids({ ...quiet, tiers: [{ ...fell, members: MIN_TIER_MEMBERS - 1 }] })).toEqual([]);
    // A rise is not a problem.
    expect(ids({ ...quiet, tiers: [{ ...fell, recentRate: 0.6 }] })).toEqual([]);
  });

  test("an active offer doing worse than none comes first, before anything else", () => {
    const worse = {
      id: "loud",
      name: "Loud banner",
      status: "active",
      audience: "everyone",
      verdict: "negative" as const,
    };
    const items = needsAttention({
      ...quiet,
      highValueAtRisk: { customers: 2, valueMinor: 5000 },
      atRisk: { customers: 2, valueMinor: 5000 },
      offers: [worse],
    });
    expect(items[0]).toMatchObject({
      id: "offer-loud",
      tone: "critical",
      text: '"Loud banner" converts worse than showing no offer at all',
      action: { url: "/app/offers/loud" },
    });
    expect(ids({ ...quiet, offers: [{ ...worse, verdict: "positive" }] })).toEqual([]);
  });

  test("a stopped import is the most urgent", () => {
    const items = needsAttention({ ...quiet, importProblem: "Shopify refused access", unhappy: 3 });
    expect(items[0]).toEqual({
      id: "import",
      tone: "critical",
      text: "The order history import stopped: Shopify refused access",
      action: { label: "See sync status", url: "/app/sync" },
    });
  });

  test("anniversaries without an offer for them, and recent refunds", () => {
    expect(needsAttention({ ...quiet, anniversaries: { customers: 1, leadDays: 14 } })[0]?.text).toBe(
      "1 first-order anniversary in the next 14 days, and no offer for them",
    );
    const covered = {
      id: "a",
      name: "Happy anniversary",
      status: "active",
      audience: "segment:first_order_anniversary",
      verdict: null,
    };
    expect(ids({ ...quiet, anniversaries: { customers: 19, leadDays: 14 }, offers: [covered] })).toEqual([]);
    expect(needsAttention({ ...quiet, unhappy: 15 })[0]).toMatchObject({
      text: "15 customers had a refund or cancellation recently",
      action: { url: "/app/segments/unhappy" },
    });
  });

  test("at most a few things, the most urgent first", () => {
    const busy: AttentionInput = {
      ...quiet,
      importProblem: "stopped",
      highValueAtRisk: { customers: 3, valueMinor: 1000 },
      atRisk: { customers: 10, valueMinor: 5000 },
      unhappy: 4,
      anniversaries: { customers: 2, leadDays: 14 },
      tiers: [{ tierId: "gold", tierName: "Gold", members: 50, recentRate: 0.1, earlierRate: 0.5 }],
    };
    const items = ids(busy);
    expect(items).toHaveLength(MAX_ITEMS);
    expect(items).toEqual(["import", "high-value-at-risk", "at-risk", "tier-gold"]);
  });
});
