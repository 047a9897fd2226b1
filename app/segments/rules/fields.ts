import { RFM_GROUPS } from "../rfm/groups";
import { LIFECYCLE_STAGES } from "../lifecycle/stage";
import { BUILTIN_SEGMENTS } from "../winback/occasions";
import type { RuleSubject } from "./subject";

// The fields a custom segment rule may use. Each reads one value from the subject; null means "not known"
// (a prospect has no days since last order), and a comparison with an unknown value is false.

export type FieldType = "number" | "money" | "share" | "enum" | "list";

export interface FieldDefinition {
  type: FieldType;
  label: string;
  read(subject: RuleSubject): number | string | readonly string[] | null;
  /** For enum and list fields with a fixed vocabulary; tiers are checked against the shop's program instead. */
  values?: readonly string[];
}

const months = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"];

export const RULE_FIELDS = {
  orders: { type: "number", label: "orders", read: (s) => s.profile.orders },
  orders365: { type: "number", label: "orders in the last 365 days", read: (s) => s.profile.orders365 },
  ordersPlaced: { type: "number", label: "orders placed", read: (s) => s.profile.ordersPlaced },
  purchaseDays: { type: "number", label: "purchase days", read: (s) => s.profile.purchaseDays },
  purchaseYears: { type: "number", label: "years with a purchase", read: (s) => s.profile.purchaseYears },
  netSpend: { type: "money", label: "net spend", read: (s) => s.profile.netSpendMinor },
  netSpend365: { type: "money", label: "net spend in the last 365 days", read: (s) => s.profile.netSpend365Minor },
  averageOrderValue: { type: "money", label: "average order value", read: (s) => s.profile.averageOrderValueMinor },
  discount: { type: "money", label: "discounts", read: (s) => s.profile.discountMinor },
  refunded: { type: "money", label: "refunded", read: (s) => s.profile.refundedMinor },
  daysSinceLastOrder: { type: "number", label: "days since last order", read: (s) => s.profile.daysSinceLastOrder },
  daysSinceFirstOrder: { type: "number", label: "days since first order", read: (s) => s.profile.daysSinceFirstOrder },
  meanIntervalDays: { type: "number", label: "mean days between orders", read: (s) => s.profile.meanIntervalDays },
  medianIntervalDays: {
    type: "number",
    label: "median days between orders",
    read: (s) => s.profile.medianIntervalDays,
  },
  refundCancelShare: {
    type: "share",
    label: "share of orders refunded or cancelled",
    read: (s) => s.profile.refundCancelShare,
  },
  discountedOrderShare: {
    type: "share",
    label: "share of orders with a discount",
    read: (s) => s.profile.discountedOrderShare,
  },
  topProductTypes: { type: "list", label: "top product types", read: (s) => s.profile.topProductTypes },
  purchaseMonths: {
    type: "list",
    label: "purchase months",
    values: months,
    read: (s) => s.profile.purchaseMonths.flatMap((count, index) => (count > 0 ? [String(index + 1)] : [])),
  },
  tier: { type: "enum", label: "tier", read: (s) => s.tierId },
  rfmR: { type: "number", label: "RFM recency score", read: (s) => s.rfm?.r ?? null },
  rfmF: { type: "number", label: "RFM frequency score", read: (s) => s.rfm?.f ?? null },
  rfmM: { type: "number", label: "RFM monetary score", read: (s) => s.rfm?.m ?? null },
  rfmGroup: { type: "enum", label: "RFM group", values: RFM_GROUPS, read: (s) => s.rfmGroup },
  lifecycle: { type: "enum", label: "lifecycle stage", values: LIFECYCLE_STAGES, read: (s) => s.lifecycle },
  pAlive: { type: "share", label: "probability still active", read: (s) => s.predictions?.pAlive ?? null },
  expectedOrders365: {
    type: "number",
    label: "expected orders in the next 12 months",
    read: (s) => s.predictions?.expectedOrders365 ?? null,
  },
  expectedOrderValue: {
    type: "money",
    label: "expected order value",
    read: (s) => s.predictions?.expectedOrderValueMinor ?? null,
  },
  clv12m: { type: "money", label: "12-month customer value", read: (s) => s.predictions?.clv12mMinor ?? null },
  segments: {
    type: "list",
    label: "win-back and occasion segments",
    values: BUILTIN_SEGMENTS,
    read: (s) => s.segments,
  },
} satisfies Record<string, FieldDefinition>;

export type RuleField = keyof typeof RULE_FIELDS;

export function fieldDefinition(name: string): FieldDefinition | undefined {
  return Object.hasOwn(RULE_FIELDS, name) ? (RULE_FIELDS as Record<string, FieldDefinition>)[name] : undefined;
}
