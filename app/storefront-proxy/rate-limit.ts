import { createHmac } from "node:crypto";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import type { SqlExecutor } from "~/database/sql-executor";
import { ProxyRefusal } from "./proxy-request";

// Storefront requests are limited per shopper (a logged-in customer, or a guest's address) and per shop. The counters
// live in the app's database (rate-limiter-flexible's PostgreSQL store, table "ProxyRateLimit"), so every server
// process draws on one budget: N servers allow the configured rate, not N times it. Each check is one upsert per
// counter; a shopper over the limit is then refused from memory until their window ends, so a flood costs no queries.
//
// Keys are an HMAC of shop and shopper under the app's secret: the table never holds a customer ID or an address
// (nothing of them can be read back, even by brute force over all IPv4 addresses, without the secret). Rows expire
// with their window; the library deletes those an hour past it.

export interface RateLimits {
  /** Requests one shopper may make per minute (a page view sends one exposure per block, plus clicks). */
  perShopperPerMinute: number;
  /** Requests per second for the whole shop, across all its shoppers. */
  perShopPerSecond: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perShopperPerMinute: 120, perShopPerSecond: 1000 };

export const RATE_LIMIT_TABLE = "ProxyRateLimit";

/**
 * The library's PostgreSQL store sends `{ text, values }` to a pg client; this hands those to the one SQL executor
 * (app/database), so the limiter shares the app's pool. It reads `rows` and, for its own reads, `rowCount`.
 */
function storeClient(sql: () => SqlExecutor) {
  return {
    async query(statement: { text: string; values?: unknown[] }) {
      const { rows } = await sql().query(statement.text, statement.values);
      return { rows, rowCount: rows.length };
    },
  };
}

/** `sql` is asked for the executor on each check, so the limiter follows the app's current database connection. */
export function createRateLimiter(sql: () => SqlExecutor, secret: string, limits: RateLimits = DEFAULT_RATE_LIMITS) {
  const store = { storeClient: storeClient(sql), storeType: "executor", tableName: RATE_LIMIT_TABLE, tableCreated: true };
  const shopper = new RateLimiterPostgres({
    ...store,
    keyPrefix: "shopper",
    points: limits.perShopperPerMinute,
    duration: 60,
    inMemoryBlockOnConsumed: limits.perShopperPerMinute + 1,
  });
  const shop = new RateLimiterPostgres({
    ...store,
    keyPrefix: "shop",
    points: limits.perShopPerSecond,
    duration: 1,
    inMemoryBlockOnConsumed: limits.perShopPerSecond + 1,
  });
  const key = (value: string) => createHmac("sha256", secret).update(value).digest("base64url");
  return async function check(shopDomain: string, shopperKey: string): Promise<void> {
    try {
      await shopper.consume(key(`${shopDomain}|${shopperKey}`));
      await shop.consume(key(shopDomain));
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      throw new ProxyRefusal(429, "Too many requests; try again shortly.", { "Retry-After": String(seconds) });
    }
  };
}
