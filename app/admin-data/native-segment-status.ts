import type { NativeSegmentRecord } from "~/publish/native-segments/records.server";

// What a segment's page says about using it in Shopify ("Use in Shopify", app/publish/native-segments/): not used,
// being created, in Shopify (with a link to it in Shopify's admin), waiting for Shopify, refused (with Shopify's
// reason and Retry), or being removed. Pure; the page renders it as a card with its actions.

export type NativeSegmentState = "off" | "creating" | "in_shopify" | "waiting" | "failed" | "removing";

export interface NativeSegmentStatus {
  state: NativeSegmentState;
  tone: "success" | "info" | "warning" | "critical";
  title: string;
  message: string;
  /** The native segment's name in Shopify's admin, once Cadence has chosen it. */
  shopifyName: string | null;
  /** The segment in Shopify's admin, once Shopify has it. */
  adminUrl: string | null;
  /** What the merchant can do now. */
  action: "turn_on" | "turn_off" | null;
  canRetry: boolean;
}

const WHAT_IT_IS =
  "Shopify keeps a customer segment of its own that follows this one: there you see the customers' names and can email them with Shopify Email or Shopify Marketing. Cadence keeps only the segment's ID.";
const WHO_IS_IN =
  "Shopify counts a customer in once Cadence has published their segments, usually within minutes of a change. Customers who turned personalised offers off are not in it.";

/** A segment's page in Shopify's admin: admin.shopify.com/store/{store}/customers/segments/{id}. */
export function segmentAdminUrl(shopDomain: string, segmentGid: string): string | null {
  const store = /^([a-z0-9][a-z0-9-]*)\.myshopify\.com$/.exec(shopDomain)?.[1];
  const id = /^gid:\/\/shopify\/Segment\/(\d+)$/.exec(segmentGid)?.[1];
  return store && id ? `https://admin.shopify.com/store/${store}/customers/segments/${id}` : null;
}

export function nativeSegmentStatus(record: NativeSegmentRecord | null, shopDomain: string): NativeSegmentStatus {
  const base = {
    shopifyName: record?.shopifyName ?? null,
    adminUrl: record?.segmentGid ? segmentAdminUrl(shopDomain, record.segmentGid) : null,
  };
  if (!record)
    return {
      ...base,
      state: "off",
      tone: "info",
      title: "Not used in Shopify",
      message: WHAT_IT_IS,
      action: "turn_on",
      canRetry: false,
    };
  if (!record.enabled) {
    if (record.lastError)
      return {
        ...base,
        state: "failed",
        tone: "critical",
        title: "Shopify still has this segment",
        message: `${record.lastError} Cadence removes it once Shopify accepts.`,
        action: "turn_on",
        canRetry: true,
      };
    return {
      ...base,
      state: "removing",
      tone: "info",
      title: "Removing the segment from Shopify",
      message: "Cadence is deleting its customer segment in Shopify.",
      action: "turn_on",
      canRetry: false,
    };
  }
  if (record.lastError && record.lastErrorTemporary)
    return {
      ...base,
      state: "waiting",
      tone: "warning",
      title: "Waiting for Shopify",
      message: `${record.lastError} ${WHO_IS_IN}`,
      action: "turn_off",
      canRetry: true,
    };
  if (record.lastError)
    return {
      ...base,
      state: "failed",
      tone: "critical",
      title: "Shopify refused the segment",
      message: `${record.lastError} Retry once the cause is fixed.`,
      action: "turn_off",
      canRetry: true,
    };
  if (!record.segmentGid)
    return {
      ...base,
      state: "creating",
      tone: "info",
      title: "Creating the segment in Shopify",
      message: `${WHAT_IT_IS} ${WHO_IS_IN}`,
      action: "turn_off",
      canRetry: false,
    };
  return {
    ...base,
    state: "in_shopify",
    tone: "success",
    title: record.pendingSince ? "In Shopify (updating)" : "In Shopify",
    message: `${WHAT_IT_IS} ${WHO_IS_IN}`,
    action: "turn_off",
    canRetry: false,
  };
}
