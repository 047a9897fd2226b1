import { describe, expect, test } from "vitest";
import { dayFromIsoDate } from "~/profiles/days";
import { flowErrorBody, parseSetTierRequest } from "~/publish/flow/set-tier-request";

// The Set loyalty tier action's request as Flow sends it: every field checked, every problem reported at once in
// words a merchant can act on.

const envelope = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  shop_id: "1",
  shopify_domain: "shop.myshopify.com",
  action_run_id: "run-1",
  action_definition_id: "Set loyalty tier",
  handle: "set-loyalty-tier",
  properties,
  ...extra,
});

describe("parseSetTierRequest", () => {
  test("a full request: customer as text or number, a date or a Liquid timestamp as the last day, empty fields as none", () => {
    expect(
      parseSetTierRequest(
        envelope({ customer_id: "7400000001", tier: " Gold ", end_date: "2026-12-31", reason: "VIP event" }),
      ),
    ).toEqual({
      ok: true,
      request: {
        shopDomain: "shop.myshopify.com",
        actionRunId: "run-1",
        customerId: "7400000001",
        tier: "Gold",
        until: dayFromIsoDate("2026-12-31"),
        reason: "VIP event",
      },
    });
    const parsed = parseSetTierRequest(
      envelope({ customer_id: 7400000001, tier: "gold", end_date: "2026-12-31T23:00:00+01:00", reason: "" }),
    );
    expect(parsed).toMatchObject({
      ok: true,
      request: { customerId: "7400000001", until: dayFromIsoDate("2026-12-31"), reason: null },
    });
    expect(
      parseSetTierRequest(envelope({ customer_id: "1", tier: "gold", end_date: "", step_reference: "abc" })),
    ).toMatchObject({ ok: true, request: { until: null, reason: null } });
  });

  test("malformed requests: every problem named", () => {
    const cases: Array<[unknown, RegExp[]]> = [
      [null, [/expected object|Invalid input/i]],
      [envelope({ tier: "Gold" }), [/A customer is required/]],
      [envelope({ customer_id: "12x", tier: "" }), [/"12x" is not a Shopify customer ID/, /Tier is empty/]],
      [
        envelope({ customer_id: "1", tier: "Gold", end_date: "next week" }),
        [/End date "next week" is not a date: use YYYY-MM-DD/],
      ],
      [envelope({ customer_id: "1", tier: "Gold", end_date: "2026-02-30" }), [/is not a date/]],
      [envelope({ customer_id: "1", tier: "Gold", reason: "r".repeat(501) }), [/Reason is longer than 500/]],
      [
        envelope({ customer_id: "1", tier: "Gold" }, { handle: "other-action" }),
        [/runs the "set-loyalty-tier" action, not "other-action"/],
      ],
      [
        envelope({ customer_id: "1", tier: "Gold" }, { shopify_domain: "evil.example.com" }),
        [/not a myshopify.com domain/],
      ],
      [envelope({ customer_id: "1", tier: "Gold" }, { action_run_id: "" }), [/action_run_id is missing/]],
      [{ ...envelope({}), properties: "x" }, [/properties/]],
    ];
    for (const [body, messages] of cases) {
      const parsed = parseSetTierRequest(body);
      expect(parsed.ok, JSON.stringify(body)).toBe(false);
      if (parsed.ok) continue;
      for (const message of messages)
        expect(
          parsed.errors.some((error) => message.test(error)),
          `${JSON.stringify(parsed.errors)} ~ ${message}`,
        ).toBe(true);
    }
  });

  test("Flow's error shape: numbered messages", () => {
    expect(flowErrorBody(["a", "b"])).toEqual({ error1: "a", error2: "b" });
  });
});
