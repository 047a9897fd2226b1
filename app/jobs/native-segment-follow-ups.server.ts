import type { PrismaClient } from "@prisma/client";
import { requestNativeSegment } from "~/publish/native-segments/records.server";
import { nativeSegmentJobKey } from "./native-segment-jobs";
import { enqueue, JOBS } from "~/queue/queue.server";

/** The merchant turned "Use in Shopify" on or off (or asked to retry): the request is stored and its sync queued. */
export async function requestNativeSegmentSync(
  prisma: PrismaClient,
  shopId: string,
  segmentKey: string,
  enabled: boolean,
): Promise<void> {
  if (await requestNativeSegment(prisma, shopId, segmentKey, enabled))
    await enqueue(
      JOBS.nativeSegmentSync,
      { shopId, segmentKey },
      { singletonKey: nativeSegmentJobKey({ shopId, segmentKey }) },
    );
}
