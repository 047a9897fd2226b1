import { describe, expect, test } from "vitest";
import { validateDocument } from "../../support/admin-schema";
import {
  FLOW_TRIGGERS_PER_REQUEST,
  flowTriggerResults,
  flowTriggersOperation,
  flowTriggersVariables,
} from "~/shopify-admin/operations/flow-triggers";
import {
  buildPayload,
  changedBy,
  describePayload,
  customerReference,
  FIELD_TEXT_LIMIT,
  PAYLOAD_LIMIT_BYTES,
  TRIGGER_KINDS,
  TRIGGERS,
} from "~/publish/flow/triggers";
import type { PayloadContext, SegmentSource, TierChangeSource } from "~/publish/flow/triggers";

// What each trigger sends: the extension's keys and types exactly, the customer reference, tier directions and who
// moved the tier, bounded texts; and the batched flowTriggerReceive document, valid in both Admin schemas.

const context: PayloadContext = {
  currency: "GBP",
  tiers: [
    { id: "bronze", name: "Bronze" },
    { id: "silver", name: "Silver" },
    { id: "gold", name: "Gold" },
  ],
  segmentNames: new Map([
    ["at_risk", "At risk"],
    ["custom:vip", "VIPs"],
  ]),
};

const tierMove = (overrides: Partial<TierChangeSource>): TierChangeSource => ({
  kind: "tier-changed",
  customerId: "7400000001",
  reason: "up",
  detail: null,
  fromTierId: "silver",
  fromTierName: "Silver",
  toTierId: "gold",
  toTierName: "Gold",
  earnedTierId: "gold",
  ...overrides,
});

const segment = (overrides: Partial<SegmentSource>): SegmentSource => ({
  kind: "segment-entered",
  customerId: "7400000001",
  segmentKey: "at_risk",
  explanation: "At risk: 70 days since the last order, over twice the usual 30",
  valueAtRiskMinor: 12345n,
  daysSinceLastOrder: 70,
  ...overrides,
});

const samples = {
  "tier-changed": tierMove({}),
  "segment-entered": segment({}),
  "segment-left": segment({ kind: "segment-left", segmentKey: "custom:vip" }),
  "became-at-risk": segment({ kind: "became-at-risk" }),
};

describe("payloads", () => {
  test("each trigger sends exactly its extension's keys, typed as declared, and the customer reference", () => {
    for (const kind of TRIGGER_KINDS) {
      const payload = buildPayload(samples[kind], context);
      expect(Object.keys(payload).sort(), kind).toEqual(
        ["customer_id", ...TRIGGERS[kind].fields.map((field) => field.key)].sort(),
      );
      expect(payload.customer_id).toBe(7400000001);
      for (const field of TRIGGERS[kind].fields)
        expect(typeof payload[field.key], `${kind} ${field.key}`).toBe(
          field.type === "number_decimal" ? "number" : "string",
        );
    }
  });

  test("tier moves: direction from the program's order, who moved it from the history's reason", () => {
    expect(buildPayload(tierMove({}), context)).toMatchObject({
      "Previous tier": "Silver",
      "New tier": "Gold",
      Direction: "Up",
      "Changed by": "Earned",
    });
    expect(
      buildPayload(
        tierMove({
          reason: "down",
          fromTierId: "gold",
          fromTierName: "Gold",
          toTierId: "silver",
          toTierName: "Silver",
        }),
        context,
      ),
    ).toMatchObject({ Direction: "Down" });
    expect(
      buildPayload(
        tierMove({
          reason: "program-change",
          fromTierId: "gold",
          fromTierName: "Gold",
          toTierId: "bronze",
          toTierName: "Bronze",
        }),
        context,
      ),
    ).toMatchObject({ Direction: "Down", "Changed by": "Program change" });
    expect(
      buildPayload(
        tierMove({ reason: "up", fromTierId: null, fromTierName: null, toTierId: "bronze", toTierName: "Bronze" }),
        context,
      ),
    ).toMatchObject({ "Previous tier": "None", "Previous tier ID": "", Direction: "Up" });
    expect(
      buildPayload(
        tierMove({
          reason: "override-set",
          detail: "VIP event",
          fromTierId: "bronze",
          fromTierName: "Bronze",
          toTierId: "gold",
        }),
        context,
      ),
    ).toMatchObject({ Direction: "Up", "Changed by": "Staff" });
    expect(
      buildPayload(
        tierMove({
          reason: "override-set",
          detail: "set by Shopify Flow: VIP event",
          fromTierId: "gold",
          fromTierName: "Gold",
          toTierId: "silver",
        }),
        context,
      ),
    ).toMatchObject({ Direction: "Down", "Changed by": "Shopify Flow" });
    // An override's end: the customer is back on the tier they earned.
    expect(
      buildPayload(
        tierMove({
          reason: "override-removed",
          fromTierId: "gold",
          fromTierName: "Gold",
          toTierId: null,
          toTierName: null,
          earnedTierId: "silver",
        }),
        context,
      ),
    ).toMatchObject({
      "New tier": "Silver",
      "New tier ID": "silver",
      Direction: "Down",
      "Changed by": "Override ended",
    });
    expect(changedBy("override-set", "set by Shopify Flowers: x")).toBe("Staff");
  });

  test("segments: key, name and type for built-in and custom segments; at risk in the shop currency's major units", () => {
    expect(buildPayload(samples["segment-entered"], context)).toMatchObject({
      "Segment key": "at_risk",
      "Segment name": "At risk",
      "Segment type": "Built-in",
      Reason: expect.stringMatching(/^At risk: /),
    });
    expect(buildPayload(samples["segment-left"], context)).toMatchObject({
      "Segment key": "custom:vip",
      "Segment name": "VIPs",
      "Segment type": "Custom",
      Reason: "",
    });
    expect(buildPayload(samples["became-at-risk"], context)).toMatchObject({
      "Value at risk": 123.45,
      Currency: "GBP",
      "Days since last order": 70,
    });
    expect(
      buildPayload(segment({ kind: "became-at-risk", valueAtRiskMinor: 12345n }), { ...context, currency: "JPY" }),
    ).toMatchObject({ "Value at risk": 12345, Currency: "JPY" });
  });

  test("the admin's line for each trigger: who moved the tier in words, No tier, family names, the one money format", () => {
    const line = (source: TierChangeSource | SegmentSource, shop = context) =>
      describePayload(source.kind, buildPayload(source, shop));
    expect(line(tierMove({}))).toBe("Silver → Gold (earned)");
    expect(
      line(
        tierMove({
          reason: "override-set",
          detail: "set by Shopify Flow: VIP event",
          fromTierId: "gold",
          fromTierName: "Gold",
          toTierId: "silver",
          toTierName: "Silver",
        }),
      ),
    ).toBe("Gold → Silver (set by Shopify Flow)");
    expect(line(tierMove({ reason: "override-set", detail: "VIP event" }))).toBe("Silver → Gold (set by staff)");
    expect(
      line(tierMove({ reason: "up", fromTierId: null, fromTierName: null, toTierId: "bronze", toTierName: "Bronze" })),
    ).toBe("No tier → Bronze (earned)");
    expect(line(samples["segment-entered"])).toBe("Entered At risk (win-back)");
    expect(line(samples["segment-left"])).toBe("Left VIPs");
    expect(line(segment({ kind: "became-at-risk", valueAtRiskMinor: 123456n }))).toBe(
      "12-month value £1,234.56, 70 days since the last order",
    );
    expect(
      line(segment({ kind: "became-at-risk", valueAtRiskMinor: 1200n, daysSinceLastOrder: 1 }), {
        ...context,
        currency: "JPY",
      }),
    ).toBe("12-month value ¥1,200, 1 day since the last order");
    expect(describePayload("tier-changed", null)).toBe("");
  });

  test("texts are bounded and IDs past 2^53 keep their digits: the largest payload is far under Flow's limit", () => {
    const long = "x".repeat(100_000);
    const payload = buildPayload(segment({ explanation: long, segmentKey: `custom:${long}` }), {
      ...context,
      segmentNames: new Map([[`custom:${long}`, long]]),
    });
    expect(String(payload.Reason).length).toBe(FIELD_TEXT_LIMIT);
    expect(String(payload["Segment name"]).length).toBe(FIELD_TEXT_LIMIT);
    expect(Buffer.byteLength(JSON.stringify(payload))).toBeLessThan(2_000);
    expect(Buffer.byteLength(JSON.stringify(payload))).toBeLessThan(PAYLOAD_LIMIT_BYTES);
    expect(customerReference("119101725928832165")).toBe("119101725928832165");
    expect(customerReference("7400000001")).toBe(7400000001);
  });
});

describe("the flowTriggerReceive document", () => {
  test("is valid against both Admin schemas, one alias per trigger, for every batch size", () => {
    for (const size of [1, 2, FLOW_TRIGGERS_PER_REQUEST]) {
      const operation = flowTriggersOperation(size);
      expect(validateDocument(operation.document), `size ${size}`).toEqual([]);
      expect(operation).toMatchObject({
        name: "CadenceFlowTriggers",
        kind: "mutation",
        idempotent: false,
        estimatedCost: 10 * size,
      });
      expect(operation.document.match(/flowTriggerReceive\(handle:/g)).toHaveLength(size);
      expect(flowTriggersOperation(size)).toBe(operation);
    }
    expect(() => flowTriggersOperation(FLOW_TRIGGERS_PER_REQUEST + 1)).toThrow(RangeError);
    expect(() => flowTriggersOperation(0)).toThrow(RangeError);
  });

  test("variables and results line up with the batch's order", () => {
    const variables = flowTriggersVariables([
      { handle: "a", payload: { x: 1 } },
      { handle: "b", payload: { y: 2 } },
    ]);
    expect(variables).toEqual({ h0: "a", p0: { x: 1 }, h1: "b", p1: { y: 2 } });
    expect(
      flowTriggerResults(
        { t0: { userErrors: [] }, t1: { userErrors: [{ field: ["handle"], message: "Invalid handle" }] } },
        3,
      ),
    ).toEqual([
      [],
      [{ field: ["handle"], message: "Invalid handle" }],
      [{ field: null, message: "Shopify returned no result for this trigger" }],
    ]);
  });
});
