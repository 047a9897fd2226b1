import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { BUCKETS, assignArm, holdoutBucket } from "~/offers/holdout";
import { customer } from "./support";

// Holdout assignment: stable per (shop, offer, customer), balanced at the holdout share, independent across offers.

const SHOP = "holdout-test.myshopify.com";
const N = 100_000;
const ids = Array.from({ length: N }, (_, i) => String(6_000_000_000_000 + i * 7919));
const buckets = ids.map((id) => holdoutBucket(SHOP, "offer-a", id));

const share = (percent: number, list = buckets) => list.filter((bucket) => bucket < percent * 100).length / list.length;
/** Five binomial standard deviations: deterministic inputs, so this cannot flake, yet a biased hash would fail it. */
const band = (p: number, n = N) => 5 * Math.sqrt((p * (1 - p)) / n);

describe("holdout assignment", () => {
  test("the bucket of a known input never changes (changing it would reassign every live shopper)", () => {
    expect(holdoutBucket("cadence-demo.myshopify.com", "gold-members", "7340105220198")).toBe(6801);
    expect(holdoutBucket("a.myshopify.com", "o1", "1")).toBe(8413);
    expect(holdoutBucket("a.myshopify.com", "o1", "2")).toBe(9198);
  });

  test.each([10, 25, 50, 5, 1])(
    "over %d%% holdout, the held-out share of 100 000 customers is within five standard errors",
    (percent) => {
      const p = percent / 100;
      expect(Math.abs(share(percent) - p)).toBeLessThan(band(p));
      const arms = ids
        .slice(0, 20_000)
        .map((id) => assignArm({ shop: SHOP, offerId: "offer-a", shopper: customer(id), holdoutPercent: percent }));
      expect(Math.abs(arms.filter((arm) => arm === "holdout").length / arms.length - p)).toBeLessThan(band(p, 20_000));
    },
  );

  test("buckets are uniform over 0–9 999 (chi-square over 100 bins below the 99.9th percentile, 148.2 for 99 df)", () => {
    const bins = new Array<number>(100).fill(0);
    expect(Math.min(...buckets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...buckets)).toBeLessThan(BUCKETS);
    for (const bucket of buckets) bins[Math.floor(bucket / 100)] = (bins[Math.floor(bucket / 100)] as number) + 1;
    const expected = N / 100;
    const chiSquare = bins.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(148.2);
  });

  test("arms of different offers are independent: held out of both ≈ p²", () => {
    const other = ids.map((id) => holdoutBucket(SHOP, "offer-b", id));
    const both = buckets.filter((bucket, i) => bucket < 1000 && (other[i] as number) < 1000).length / N;
    expect(Math.abs(both - 0.01)).toBeLessThan(band(0.01));
    const otherShop = ids.map((id) => holdoutBucket("another-shop.myshopify.com", "offer-a", id));
    const sameInBoth = buckets.filter((bucket, i) => bucket < 1000 && (otherShop[i] as number) < 1000).length / N;
    expect(Math.abs(sameInBoth - 0.01)).toBeLessThan(band(0.01));
  });

  test("property: the same customer always lands in the same arm", () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.string({ minLength: 1 }),
        fc.integer({ min: 0, max: 50 }),
        (shop, offerId, id, percent) => {
          const first = assignArm({ shop, offerId, shopper: customer(id), holdoutPercent: percent });
          expect(
            assignArm({ shop, offerId, shopper: customer(id, { tierKey: "gold" }), holdoutPercent: percent }),
          ).toBe(first);
          expect(holdoutBucket(shop, offerId, id)).toBe(holdoutBucket(shop, offerId, id));
        },
      ),
    );
  });

  test("property: raising the holdout share only moves treatment customers into the holdout, never back", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 50 }),
        (id, a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          const before = assignArm({ shop: SHOP, offerId: "offer-a", shopper: customer(id), holdoutPercent: low });
          const after = assignArm({ shop: SHOP, offerId: "offer-a", shopper: customer(id), holdoutPercent: high });
          if (before === "holdout") expect(after).toBe("holdout");
        },
      ),
    );
  });

  test("the tuple is encoded unambiguously: ('ab','c') and ('a','bc') are different customers", () => {
    const pairs = Array.from({ length: 200 }, (_, i) => [
      holdoutBucket(SHOP, `o${i}`, "1"),
      holdoutBucket(SHOP, `o`, `${i}1`),
    ]);
    expect(pairs.filter(([a, b]) => a === b).length).toBeLessThan(5);
  });

  test("guests are never held out, and 0% holds out nobody", () => {
    expect(assignArm({ shop: SHOP, offerId: "offer-a", shopper: { kind: "guest" }, holdoutPercent: 50 })).toBe(
      "treatment",
    );
    expect(
      ids
        .slice(0, 2000)
        .every(
          (id) =>
            assignArm({ shop: SHOP, offerId: "offer-a", shopper: customer(id), holdoutPercent: 0 }) === "treatment",
        ),
    ).toBe(true);
  });
});
