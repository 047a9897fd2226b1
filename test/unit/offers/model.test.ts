import { describe, expect, test } from "vitest";
import { DEFAULT_HOLDOUT_PERCENT, discountCode, isLive, isReady, parseOffer } from "~/offers/model";
import { offer } from "./support";

describe("offer model", () => {
  test("defaults: 10% holdout, priority 0, no discount, draft, unscheduled", () => {
    const parsed = parseOffer({
      id: "a",
      name: "A",
      audience: { kind: "tier", tierKey: "gold" },
      content: { headline: "H", ctaLabel: "Go", ctaUrl: "/" },
    });
    expect(parsed).toMatchObject({
      holdoutPercent: DEFAULT_HOLDOUT_PERCENT,
      priority: 0,
      discount: { kind: "none" },
      status: "draft",
      startsAt: null,
      endsAt: null,
    });
    expect(DEFAULT_HOLDOUT_PERCENT).toBe(10);
  });

  test("guest offers default to no holdout and refuse one", () => {
    expect(offer({ id: "g", audience: { kind: "guests" } }).holdoutPercent).toBe(0);
    expect(() => offer({ id: "g", audience: { kind: "guests" }, holdoutPercent: 10 })).toThrow(
      /guests are never held out/,
    );
  });

  test("a segment-restricted code cannot target guests", () => {
    expect(() =>
      offer({
        id: "g",
        audience: { kind: "guests" },
        discount: { kind: "cadence_code", code: "X", value: { type: "percentage", percent: 10 } },
      }),
    ).toThrow(/cannot be redeemed by guests/);
  });

  test("an offer must end after it starts", () => {
    expect(() => offer({ id: "a", startsAt: new Date("2026-05-02"), endsAt: new Date("2026-05-01") })).toThrow(
      /end after it starts/,
    );
  });

  test.each([
    "javascript:alert(1)",
    "//evil.example/x",
    "http://shop.example/",
    "data:text/html,x",
    "/path with space",
    "collections/all",
  ])("refuses the call-to-action link %s", (ctaUrl) => {
    expect(() => offer({ id: "a", content: { headline: "H", ctaLabel: "Go", ctaUrl } })).toThrow(
      /path on the shop|https/,
    );
  });

  test.each(["/collections/sale?sort=price", "https://shop.example/pages/gift"])(
    "accepts the call-to-action link %s",
    (ctaUrl) => {
      expect(offer({ id: "a", content: { headline: "H", ctaLabel: "Go", ctaUrl } }).content.ctaUrl).toBe(ctaUrl);
    },
  );

  test("holdout is limited to 0–50%", () => {
    expect(() => offer({ id: "a", holdoutPercent: 60 })).toThrow();
    expect(() => offer({ id: "a", holdoutPercent: -1 })).toThrow();
    expect(offer({ id: "a", holdoutPercent: 0 }).holdoutPercent).toBe(0);
  });

  test("schedule: starts inclusive, ends exclusive; only active, ready offers are live", () => {
    const scheduled = offer({
      id: "a",
      startsAt: new Date("2026-05-01T00:00:00Z"),
      endsAt: new Date("2026-05-08T00:00:00Z"),
    });
    expect(isLive(scheduled, new Date("2026-04-30T23:59:59Z"))).toBe(false);
    expect(isLive(scheduled, new Date("2026-05-01T00:00:00Z"))).toBe(true);
    expect(isLive(scheduled, new Date("2026-05-07T23:59:59Z"))).toBe(true);
    expect(isLive(scheduled, new Date("2026-05-08T00:00:00Z"))).toBe(false);
    expect(isLive(offer({ id: "b", status: "paused" }), new Date())).toBe(false);
    const pending = offer({
      id: "c",
      discount: { kind: "cadence_code", code: null, value: { type: "percentage", percent: 10 } },
    });
    expect(isReady(pending)).toBe(false);
    expect(isLive(pending, new Date())).toBe(false);
    expect(discountCode(offer({ id: "d", discount: { kind: "existing_code", code: "SAVE5" } }))).toBe("SAVE5");
    expect(discountCode(offer({ id: "e" }))).toBeUndefined();
  });
});
