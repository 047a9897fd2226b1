import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { ProxyRefusal } from "./proxy-request";

// Storefront requests are limited per shopper (a logged-in customer, or a guest's address as Shopify forwards it)
// and per shop, in this process's memory: the storefront's own traffic is spread over instances by the load
// balancer, so each instance limiting its share keeps a runaway script or a scraper from flooding the database.
// A PostgreSQL-backed limiter (the same library's RateLimiterPostgres) is the upgrade if exact global limits are
// ever needed; it would add a round trip to every beacon.

export interface RateLimits {
  /** Requests one shopper may make per minute (a page view sends one exposure per block, plus clicks). */
  perShopperPerMinute: number;
  /** Requests per second for the whole shop, across all its shoppers. */
  perShopPerSecond: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perShopperPerMinute: 120, perShopPerSecond: 1000 };

export function createRateLimiter(limits: RateLimits = DEFAULT_RATE_LIMITS) {
  const shopper = new RateLimiterMemory({ points: limits.perShopperPerMinute, duration: 60 });
  const shop = new RateLimiterMemory({ points: limits.perShopPerSecond, duration: 1 });
  return async function check(shopDomain: string, shopperKey: string): Promise<void> {
    try {
      await shopper.consume(`${shopDomain}|${shopperKey}`);
      await shop.consume(shopDomain);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      throw new ProxyRefusal(429, "Too many requests; try again shortly.", { "Retry-After": String(seconds) });
    }
  };
}
