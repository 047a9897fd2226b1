// Client-side estimate of Shopify's per app-and-shop leaky bucket. Every response reports the bucket as Shopify
// sees it (extensions.cost.throttleStatus); between responses it refills at restoreRate points per second. The
// client asks how long to wait before spending points so it is throttled rarely rather than often.

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface QueryCost {
  requestedQueryCost?: number | null;
  actualQueryCost?: number | null;
  throttleStatus?: ThrottleStatus | null;
}

interface BucketState extends ThrottleStatus {
  /** ms timestamp at which currentlyAvailable was true. */
  at: number;
}

export interface CostBuckets {
  /** ms to wait until `cost` points are available (capped at the bucket size); 0 when unknown or available. */
  waitFor(shop: string, cost: number, now: number): number;
  /** Spends points on send, so concurrent requests in this process see each other before Shopify answers. */
  reserve(shop: string, cost: number, now: number): void;
  /** Replaces the estimate with what Shopify reported. */
  observe(shop: string, status: ThrottleStatus, now: number): void;
  /** The estimate at `now`, or undefined before the first response from that shop. */
  estimate(shop: string, now: number): ThrottleStatus | undefined;
}

export function createCostBuckets(): CostBuckets {
  const buckets = new Map<string, BucketState>();

  const refill = (shop: string, now: number): BucketState | undefined => {
    const bucket = buckets.get(shop);
    if (!bucket) return undefined;
    const elapsedSeconds = Math.max(0, now - bucket.at) / 1000;
    bucket.currentlyAvailable = Math.min(
      bucket.maximumAvailable,
      bucket.currentlyAvailable + elapsedSeconds * bucket.restoreRate,
    );
    bucket.at = Math.max(bucket.at, now);
    return bucket;
  };

  return {
    waitFor(shop, cost, now) {
      const bucket = refill(shop, now);
      if (!bucket || bucket.restoreRate <= 0) return 0;
      const needed = Math.min(cost, bucket.maximumAvailable);
      const missing = needed - bucket.currentlyAvailable;
      // One point of margin: Shopify reports whole points and refills continuously, so an exact wait can fall a
      // fraction of a point short and be throttled after all.
      return missing <= 0 ? 0 : Math.ceil(((missing + 1) / bucket.restoreRate) * 1000);
    },
    reserve(shop, cost, now) {
      const bucket = refill(shop, now);
      if (bucket) bucket.currentlyAvailable -= cost;
    },
    observe(shop, status, now) {
      buckets.set(shop, { ...status, at: now });
    },
    estimate(shop, now) {
      const bucket = refill(shop, now);
      return bucket
        ? {
            maximumAvailable: bucket.maximumAvailable,
            currentlyAvailable: bucket.currentlyAvailable,
            restoreRate: bucket.restoreRate,
          }
        : undefined;
    },
  };
}

/** Shared by every client in the process: clients are created per request, the bucket belongs to the shop. */
export const sharedCostBuckets: CostBuckets = createCostBuckets();
