import { decimalToMinor, minorToDecimal } from "~/money/decimal";
import { formatMoney } from "~/money/format";
import { builtinSegmentLabel, isBuiltinSegment } from "~/segments/names";

// Cadence's Shopify Flow triggers: what each is called in Flow (extensions/<handle>/shopify.extension.toml declares
// the same handle, name and field keys; test/unit/flow/extensions.test.ts holds the two together) and the payload
// each sends. Pure: the outbox (outbox.server.ts) reads a trigger's transition and hands it here.
//
// Payload rules (shopify.dev/docs/apps/build/flow/triggers/reference): the customer reference is `customer_id`, the
// customer's numeric ID; every other key is a field key of the extension (letters and spaces only), typed as the
// extension declares it (single-line text, or a decimal number). Flow takes a payload of less than 1 MB; Cadence's
// are a few hundred bytes, every text bounded (FIELD_TEXT_LIMIT), and each is checked (PAYLOAD_LIMIT_BYTES).

export const TRIGGER_KINDS = ["tier-changed", "segment-entered", "segment-left", "became-at-risk"] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

export interface TriggerDefinition {
  handle: string;
  /** Flow's naming rule: object + past-tense verb, sentence case, no punctuation. */
  name: string;
  description: string;
  /** Field keys in the extension's order, with their Flow field type. */
  fields: ReadonlyArray<{ key: string; type: "single_line_text_field" | "number_decimal"; description: string }>;
}

export const TIER_FIELDS = {
  previous: "Previous tier",
  previousId: "Previous tier ID",
  next: "New tier",
  nextId: "New tier ID",
  direction: "Direction",
  changedBy: "Changed by",
} as const;

export const SEGMENT_FIELDS = {
  key: "Segment key",
  name: "Segment name",
  type: "Segment type",
  reason: "Reason",
} as const;

export const AT_RISK_FIELDS = {
  value: "Value at risk",
  currency: "Currency",
  days: "Days since last order",
  reason: "Reason",
} as const;

const segmentFields = (verb: string) =>
  [
    {
      key: SEGMENT_FIELDS.key,
      type: "single_line_text_field",
      description: "Cadence's key for the segment: at_risk, lapsed, custom:big-spenders, …",
    },
    {
      key: SEGMENT_FIELDS.name,
      type: "single_line_text_field",
      description: "The segment's name as the Cadence admin shows it",
    },
    { key: SEGMENT_FIELDS.type, type: "single_line_text_field", description: "Built-in or Custom" },
    {
      key: SEGMENT_FIELDS.reason,
      type: "single_line_text_field",
      description: `Why the customer ${verb} the segment, in Cadence's words (empty when they left)`,
    },
  ] as const;

export const TRIGGERS: Record<TriggerKind, TriggerDefinition> = {
  "tier-changed": {
    handle: "customer-tier-changed",
    name: "Customer tier changed",
    description:
      "A customer's Cadence loyalty tier went up or down: earned, by a program change, or set by staff or Flow.",
    fields: [
      { key: TIER_FIELDS.previous, type: "single_line_text_field", description: "The tier before, or None" },
      { key: TIER_FIELDS.next, type: "single_line_text_field", description: "The tier now, or None" },
      { key: TIER_FIELDS.direction, type: "single_line_text_field", description: "Up or Down" },
      {
        key: TIER_FIELDS.changedBy,
        type: "single_line_text_field",
        description: "Earned, Program change, Staff, Shopify Flow or Override ended",
      },
      {
        key: TIER_FIELDS.previousId,
        type: "single_line_text_field",
        description: "Cadence's ID of the tier before (empty for none); stays the same when a tier is renamed",
      },
      {
        key: TIER_FIELDS.nextId,
        type: "single_line_text_field",
        description: "Cadence's ID of the tier now (empty for none)",
      },
    ],
  },
  "segment-entered": {
    handle: "customer-entered-segment",
    name: "Customer entered a Cadence segment",
    description: "A customer joined one of Cadence's segments: a built-in one (At risk, Lapsed, …) or one of yours.",
    fields: segmentFields("entered"),
  },
  "segment-left": {
    handle: "customer-left-segment",
    name: "Customer left a Cadence segment",
    description: "A customer left one of Cadence's segments: a built-in one (At risk, Lapsed, …) or one of yours.",
    fields: segmentFields("left"),
  },
  "became-at-risk": {
    handle: "customer-became-at-risk",
    name: "Customer became at risk",
    description:
      "A customer went longer without ordering than their own rhythm predicts, with the 12-month value at stake.",
    fields: [
      {
        key: AT_RISK_FIELDS.value,
        type: "number_decimal",
        description: "The customer's predicted 12-month value, in the shop currency",
      },
      {
        key: AT_RISK_FIELDS.currency,
        type: "single_line_text_field",
        description: "The shop currency (ISO 4217 code)",
      },
      { key: AT_RISK_FIELDS.days, type: "number_decimal", description: "Days since the customer's last order" },
      {
        key: AT_RISK_FIELDS.reason,
        type: "single_line_text_field",
        description: "Why Cadence counts the customer at risk",
      },
    ],
  },
};

/** Flow's documented limit on one trigger payload (shopify.dev/docs/apps/flow/triggers: "less than 1 MB"). */
export const PAYLOAD_LIMIT_BYTES = 1_000_000;
/** Cadence's own bound on a text field: names and reasons are short; a longer one is cut, never sent whole. */
export const FIELD_TEXT_LIMIT = 255;

export const NO_TIER = "None";
/** Who sets a tier through the Flow action (app/publish/flow/set-tier.server.ts); shown in the tier history. */
export const FLOW_ACTOR = "Shopify Flow";

export interface TierChangeSource {
  kind: "tier-changed";
  customerId: string;
  /** up | down | program-change | override-set | override-removed (TierChange.reason). */
  reason: string;
  detail: string | null;
  fromTierId: string | null;
  fromTierName: string | null;
  toTierId: string | null;
  toTierName: string | null;
  /** The tier the customer has earned, for an override's end (TierChange leaves the tier after it unset). */
  earnedTierId: string | null;
}

export interface SegmentSource {
  kind: "segment-entered" | "segment-left" | "became-at-risk";
  customerId: string;
  segmentKey: string;
  explanation: string | null;
  valueAtRiskMinor: bigint | null;
  daysSinceLastOrder: number | null;
}

export type TriggerSource = TierChangeSource | SegmentSource;

export interface PayloadContext {
  currency: string;
  /** The current program's tiers, lowest first. */
  tiers: ReadonlyArray<{ id: string; name: string }>;
  /** Names of built-in and custom segments by key. */
  segmentNames: ReadonlyMap<string, string>;
}

export type FlowPayload = Record<string, string | number>;

export class PayloadTooLargeError extends Error {
  override name = "PayloadTooLargeError";
}

const text = (value: string | null | undefined) => {
  const plain = (value ?? "").replace(/\s+/g, " ").trim();
  return plain.length > FIELD_TEXT_LIMIT ? `${plain.slice(0, FIELD_TEXT_LIMIT - 1)}…` : plain;
};

/** Flow's customer reference: the numeric ID, as a number when JSON can hold it exactly. */
export function customerReference(customerId: string): number | string {
  const id = Number(customerId);
  return Number.isSafeInteger(id) ? id : customerId;
}

/** Who moved the tier, in the words the Flow field documents. */
export function changedBy(reason: string, detail: string | null): string {
  if (reason === "override-set") return detail?.startsWith(`set by ${FLOW_ACTOR}:`) ? FLOW_ACTOR : "Staff";
  if (reason === "override-removed") return "Override ended";
  if (reason === "program-change") return "Program change";
  return "Earned";
}

function tierMove(source: TierChangeSource, context: PayloadContext): FlowPayload {
  const order = new Map(context.tiers.map((tier, index) => [tier.id, index]));
  const names = new Map(context.tiers.map((tier) => [tier.id, tier.name]));
  // An override's end leaves the customer on the tier they earned.
  const toId = source.reason === "override-removed" ? source.earnedTierId : source.toTierId;
  const toName =
    source.reason === "override-removed"
      ? toId
        ? (names.get(toId) ?? toId)
        : null
      : (source.toTierName ?? (toId ? (names.get(toId) ?? toId) : null));
  const fromName =
    source.fromTierName ?? (source.fromTierId ? (names.get(source.fromTierId) ?? source.fromTierId) : null);
  const rank = (id: string | null) => (id === null ? -1 : (order.get(id) ?? -1));
  const up = source.reason === "up" || (source.reason !== "down" && rank(toId) > rank(source.fromTierId));
  return {
    customer_id: customerReference(source.customerId),
    [TIER_FIELDS.previous]: text(fromName ?? NO_TIER),
    [TIER_FIELDS.next]: text(toName ?? NO_TIER),
    [TIER_FIELDS.direction]: up ? "Up" : "Down",
    [TIER_FIELDS.changedBy]: changedBy(source.reason, source.detail),
    [TIER_FIELDS.previousId]: text(source.fromTierId),
    [TIER_FIELDS.nextId]: text(toId),
  };
}

function segmentMove(source: SegmentSource, context: PayloadContext): FlowPayload {
  if (source.kind === "became-at-risk") {
    return {
      customer_id: customerReference(source.customerId),
      [AT_RISK_FIELDS.value]: Number(minorToDecimal(source.valueAtRiskMinor ?? 0n, context.currency)),
      [AT_RISK_FIELDS.currency]: context.currency,
      [AT_RISK_FIELDS.days]: source.daysSinceLastOrder ?? 0,
      [AT_RISK_FIELDS.reason]: text(source.explanation),
    };
  }
  return {
    customer_id: customerReference(source.customerId),
    [SEGMENT_FIELDS.key]: text(source.segmentKey),
    [SEGMENT_FIELDS.name]: text(context.segmentNames.get(source.segmentKey) ?? source.segmentKey),
    [SEGMENT_FIELDS.type]: source.segmentKey.startsWith("custom:") ? "Custom" : "Built-in",
    [SEGMENT_FIELDS.reason]: source.kind === "segment-entered" ? text(source.explanation) : "",
  };
}

/** The payload Flow receives for one trigger; throws PayloadTooLargeError past Flow's limit (never, by the bounds). */
export function buildPayload(source: TriggerSource, context: PayloadContext): FlowPayload {
  const payload = source.kind === "tier-changed" ? tierMove(source, context) : segmentMove(source, context);
  const bytes = Buffer.byteLength(JSON.stringify(payload));
  if (bytes >= PAYLOAD_LIMIT_BYTES)
    throw new PayloadTooLargeError(`a ${source.kind} payload of ${bytes} bytes is over Flow's limit`);
  return payload;
}

/** Who moved the tier (the changedBy field's values), inside a sentence the merchant reads. */
const CHANGED_BY_WORDS: Record<string, string> = {
  Earned: "earned",
  "Program change": "program change",
  Staff: "set by staff",
  [FLOW_ACTOR]: `set by ${FLOW_ACTOR}`,
  "Override ended": "the tier set by staff ended",
};

/** One line for the merchant: what the trigger said, e.g. "Silver → Gold (earned)" or "Entered At risk (win-back)". */
export function describePayload(kind: TriggerKind, payload: FlowPayload | null): string {
  if (!payload) return "";
  if (kind === "tier-changed") {
    const by = String(payload[TIER_FIELDS.changedBy]);
    // No tier is an empty ID (Flow's text field reads NO_TIER); the admin says "No tier", as the customer page does.
    const previous = payload[TIER_FIELDS.previousId] ? payload[TIER_FIELDS.previous] : "No tier";
    const next = payload[TIER_FIELDS.nextId] ? payload[TIER_FIELDS.next] : "No tier";
    return `${previous} → ${next} (${CHANGED_BY_WORDS[by] ?? by})`;
  }
  if (kind === "became-at-risk") {
    // The admin's one money format, not Flow's decimal number and currency code.
    const currency = String(payload[AT_RISK_FIELDS.currency]);
    const days = Number(payload[AT_RISK_FIELDS.days]);
    return `12-month value ${formatMoney(
      decimalToMinor(payload[AT_RISK_FIELDS.value] ?? 0, currency),
      currency,
    )}, ${days} ${days === 1 ? "day" : "days"} since the last order`;
  }
  // Flow receives the segment's own name; the admin names a built-in one with its family, as its other pages do.
  const key = String(payload[SEGMENT_FIELDS.key]);
  return `${kind === "segment-entered" ? "Entered" : "Left"} ${
    isBuiltinSegment(key) ? builtinSegmentLabel(key) : payload[SEGMENT_FIELDS.name]
  }`;
}
