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

/** The store's in-memory block (inMemoryBlockOnConsumed), which the library's types do not declare. */
interface InMemoryBlocks {
  getInMemoryBlockMsBeforeExpire(rlKey: string): number;
}

/** `sql` is asked for the executor on each check, so the limiter follows the app's current database connection. */
export function createRateLimiter(sql: () => SqlExecutor, secret: string, limits: RateLimits = DEFAULT_RATE_LIMITS) {
  const store = {
    storeClient: storeClient(sql),
    storeType: "executor",
    tableName: RATE_LIMIT_TABLE,
    tableCreated: true,
  };
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
  const refuse = (msBeforeNext: number) => {
    const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
    return new ProxyRefusal(429, "Too many requests; try again shortly.", { "Retry-After": String(seconds) });
  };
  return async function check(shopDomain: string, shopperKey: string): Promise<void> {
    const shopperId = key(`${shopDomain}|${shopperKey}`);
    // A shopper already over their limit is refused from memory, without a query and without spending the shop's.
    const blockedMs = (shopper as unknown as InMemoryBlocks).getInMemoryBlockMsBeforeExpire(shopper.getKey(shopperId));
    if (blockedMs > 0) throw refuse(blockedMs);
    // Both counters at once: one round trip's wait, not two.
    const results = await Promise.allSettled([shopper.consume(shopperId), shop.consume(key(shopDomain))]);
    const refusals: RateLimiterRes[] = [];
    for (const result of results) {
      if (result.status === "fulfilled") continue;
      if (!(result.reason instanceof RateLimiterRes)) throw result.reason;
      refusals.push(result.reason);
    }
    if (refusals.length > 0) throw refuse(Math.max(...refusals.map((refusal) => refusal.msBeforeNext)));
  };
}
