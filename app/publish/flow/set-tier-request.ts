import { z } from "zod";
import { dayFromIsoDate } from "~/profiles/days";
import type { Day } from "~/profiles/days";

// The "Set loyalty tier" Flow action's request (extensions/set-loyalty-tier/shopify.extension.toml), as Flow POSTs it
// to the runtime URL: shop_id, shopify_domain, action_run_id, action_definition_id, handle, and `properties` holding
// the customer reference (customer_id) and the action's fields by key (shopify.dev/docs/apps/build/flow/actions/
// endpoints). Pure: parsing and the merchant-facing messages; set-tier.server.ts applies it.
//
// Every problem is reported at once, in words a merchant reads in Flow's run log: Flow shows the raw body of a 4XX
// answer, and Cadence answers in Flow's documented shape, a JSON object of numbered messages
// ({"error1": "…", "error2": "…"}).

export const SET_TIER_HANDLE = "set-loyalty-tier";
export const SET_TIER_FIELDS = { tier: "tier", endDate: "end_date", reason: "reason" } as const;
/** A Flow action body is a few hundred bytes; anything past this is refused before it is parsed. */
export const SET_TIER_BODY_LIMIT_BYTES = 16_384;
export const REASON_LIMIT = 500;

export interface SetTierRequest {
  shopDomain: string;
  actionRunId: string;
  customerId: string;
  /** A tier's ID or name, as the merchant typed it in Flow. */
  tier: string;
  /** The last day the tier applies (the shop's calendar day), or null for no end. */
  until: Day | null;
  reason: string | null;
}

const optionalText = z
  .union([z.string(), z.null()])
  .optional()
  .transform((value) => (value ?? "").trim());

const requestSchema = z.object({
  shopify_domain: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i, "shopify_domain is not a myshopify.com domain"),
  action_run_id: z.string().trim().min(1, "action_run_id is missing").max(200, "action_run_id is too long"),
  handle: z.string().optional(),
  properties: z.record(z.string(), z.unknown(), { error: "properties is missing" }),
});

const propertiesSchema = z.object({
  customer_id: z
    .union([z.string(), z.number()], { error: "A customer is required (the customer ID Flow passes as customer_id)." })
    .transform(String),
  [SET_TIER_FIELDS.tier]: z
    .union([z.string(), z.null()], { error: "Tier is required: a tier's name or ID." })
    .transform((value) => (value ?? "").trim()),
  [SET_TIER_FIELDS.endDate]: optionalText,
  [SET_TIER_FIELDS.reason]: optionalText,
});

export type ParsedSetTier = { ok: true; request: SetTierRequest } | { ok: false; errors: string[] };

/** Flow Liquid's dates come as a date or a full timestamp: the date part is the day. */
const DATE_PREFIX = /^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export function parseSetTierRequest(body: unknown): ParsedSetTier {
  const envelope = requestSchema.safeParse(body);
  if (!envelope.success) return { ok: false, errors: envelope.error.issues.map((issue) => issue.message) };
  const errors: string[] = [];
  if (envelope.data.handle !== undefined && envelope.data.handle !== SET_TIER_HANDLE)
    errors.push(`This address runs the "${SET_TIER_HANDLE}" action, not "${envelope.data.handle}".`);
  const properties = propertiesSchema.safeParse(envelope.data.properties);
  if (!properties.success)
    return { ok: false, errors: [...errors, ...properties.error.issues.map((issue) => issue.message)] };
  const {
    customer_id: customerId,
    [SET_TIER_FIELDS.tier]: tier,
    [SET_TIER_FIELDS.endDate]: endDate,
    [SET_TIER_FIELDS.reason]: reason,
  } = properties.data;
  if (!/^\d{1,20}$/.test(customerId)) errors.push(`"${customerId.slice(0, 40)}" is not a Shopify customer ID.`);
  if (!tier) errors.push("Tier is empty: enter a tier's name (for example Gold) or its ID.");
  if (tier.length > 100) errors.push("Tier is longer than any tier name (100 characters at most).");
  let until: Day | null = null;
  if (endDate) {
    const date = DATE_PREFIX.exec(endDate)?.[1];
    try {
      if (!date) throw new RangeError("not a date");
      until = dayFromIsoDate(date);
    } catch {
      errors.push(
        `End date "${endDate.slice(
          0,
          40,
        )}" is not a date: use YYYY-MM-DD, for example {{ "now" | date_plus: "30 days" | date: "%Y-%m-%d" }}.`,
      );
    }
  }
  if (reason.length > REASON_LIMIT) errors.push(`Reason is longer than ${REASON_LIMIT} characters.`);
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    request: {
      shopDomain: envelope.data.shopify_domain.toLowerCase(),
      actionRunId: envelope.data.action_run_id,
      customerId,
      tier,
      until,
      reason: reason || null,
    },
  };
}

/** Flow's error body: one numbered key per message. */
export function flowErrorBody(errors: readonly string[]): Record<string, string> {
  return Object.fromEntries(errors.map((message, index) => [`error${index + 1}`, message]));
}
