import type { PrismaClient } from "@prisma/client";
import type { AdminClient } from "~/shopify-admin/client";
import { isTemporary, shopifySyncErrorMessage } from "../discounts/sync-errors";
import { metafieldQuery, NotPublishedError } from "../segment-query";
import { appNamespace, deleteSegment, ensureSegment } from "../shopify-segments.server";
import type { SegmentTarget } from "../shopify-segments.server";
import { nativeSegmentFilter, nativeSegmentName } from "./query";
import type { NativeSegmentRef } from "./query";
import {
  finishNativeSegmentSync,
  forgetNativeSegment,
  nativeSegmentRecord,
  recordNativeSegment,
  recordNativeSegmentError,
} from "./records.server";
import type { NativeSegmentRecord } from "./records.server";

// Brings Shopify in line with one Cadence segment the merchant uses there ("Use in Shopify", docs/segments.md "In
// Shopify"): while it is on, a native customer segment named after it whose ShopifyQL selects the customers whose
// published metafield puts them in it (query.ts); when it is turned off, or the Cadence segment no longer exists
// (an archived custom segment, a removed tier), the native segment is deleted and the row forgotten. Shopify holds
// the members; Cadence keeps the GID and nothing about any customer. Failures are stored on the row (the segment's
// page shows them) and rethrown for the job to decide about retrying.

export type NativeSegmentOutcome =
  /** Shopify has the segment as Cadence needs it. */
  | "in_shopify"
  /** The native segment is deleted (turned off, or its Cadence segment is gone). */
  | "removed"
  /** Nothing to do: the segment was never used in Shopify. */
  | "idle";

/** The Cadence segment as it is now (its name in the admin), or null when it no longer exists. */
export type CurrentSegment = { name: string; ref: NativeSegmentRef } | null;

/** `connect` opens the Admin client, only when Shopify is needed. */
export async function syncNativeSegment(
  prisma: PrismaClient,
  shopId: string,
  connect: () => Promise<AdminClient>,
  segmentKey: string,
  current: CurrentSegment,
): Promise<NativeSegmentOutcome> {
  const record = await nativeSegmentRecord(prisma, shopId, segmentKey);
  if (!record) return "idle";
  try {
    if (!record.enabled || !current) {
      if (record.segmentGid || record.shopifyName)
        await deleteSegment(await connect(), target(prisma, record, record.shopifyName ?? ""));
      await recordNativeSegment(prisma, shopId, segmentKey, { segmentGid: null });
      await forgetNativeSegment(prisma, shopId, segmentKey, record.pendingSince);
      return "removed";
    }
    const client = await connect();
    const filter = nativeSegmentFilter(current.ref);
    const query = metafieldQuery(filter, await appNamespace(client, filter.key));
    const name = nativeSegmentName(current.name, segmentKey);
    // Chosen and stored before Shopify is asked, so an answer lost after Shopify created it is found again by it.
    if (record.shopifyName !== name) await recordNativeSegment(prisma, shopId, segmentKey, { shopifyName: name });
    await ensureSegment(client, target(prisma, record, name), query);
    await finishNativeSegmentSync(prisma, shopId, segmentKey, record.pendingSince, query);
    return "in_shopify";
  } catch (error) {
    await recordNativeSegmentError(prisma, shopId, segmentKey, {
      message: nativeSegmentErrorMessage(error),
      temporary: isTemporary(error),
    });
    throw error;
  }
}

function target(prisma: PrismaClient, record: NativeSegmentRecord, name: string): SegmentTarget {
  return {
    gid: record.segmentGid,
    name,
    remember: async (segmentGid) => {
      record.segmentGid = segmentGid;
      await recordNativeSegment(prisma, record.shopId, record.segmentKey, { segmentGid });
    },
  };
}

/** What the segment's page says about a failed sync: Shopify's own words for a refusal, never a token or a request. */
export function nativeSegmentErrorMessage(error: unknown): string {
  if (error instanceof NotPublishedError) return `Shopify cannot select this segment: ${error.message}.`;
  const words = {
    syncing: "the segment with Shopify",
    creating: "the segment",
    permissions: "customer",
    rejected: "the customer segment",
  };
  return shopifySyncErrorMessage(error, words);
}
