import { clientAddress, socketAddressOf } from "~/client-address/trusted-proxies";
import { config } from "~/config.server";
import { database } from "~/db.server";
import { customerGone, shopUsable } from "~/privacy/gone";
import { authenticate } from "~/shopify.server";
import { assertNoBody, customerIdFrom, ProxyRefusal, singleValuedParams } from "./proxy-request";
import { createRateLimiter } from "./rate-limit";

// The trust boundary of every /apps/cadence route (each one calls proxyContext first), in order: the method, no body,
// Shopify's signature (authenticate.public.appProxy: HMAC over the query, timestamp within 90 s,
// shop/timestamp/signature present once), each parameter once, an installed shop, then the rate limit. Routes
// receive the shop's row and the shopper, nothing unchecked. Nothing here logs the query: it carries
// logged_in_customer_id.

export interface ProxyContext {
  shop: { id: string; domain: string; currencyCode: string };
  /** Shopify's numeric customer ID, or null for a guest. */
  customerId: string | null;
  params: Map<string, string>;
}

let limiter: ReturnType<typeof createRateLimiter> | undefined;

/**
 * `context` is the route's load context: the server puts the connection's address there, which (with the trusted
 * proxies, CADENCE_TRUSTED_PROXIES) keys a guest's rate limit.
 */
export async function proxyContext(
  request: Request,
  options: { method: "GET" | "POST"; context: unknown },
): Promise<ProxyContext> {
  if (request.method !== options.method)
    throw new ProxyRefusal(405, `Use ${options.method}.`, { Allow: options.method });
  await assertNoBody(request);
  const { session } = await authenticate.public.appProxy(request).catch((error: unknown) => {
    if (error instanceof Response && error.status === 400)
      throw new ProxyRefusal(
        400,
        "The app proxy signature is missing, invalid or expired (Shopify signs every /apps/cadence request; timestamps older than 90 s are refused).",
      );
    throw error;
  });
  if (!session) throw new ProxyRefusal(404, "Cadence is not installed on this shop.");
  const url = new URL(request.url);
  const params = singleValuedParams(url);
  const shop = await installedShop(session.shop);
  if (!shop) throw new ProxyRefusal(404, "Cadence is not installed on this shop.");
  const loggedIn = customerIdFrom(params);
  // A shopper whose redaction is pending is served as a guest: nothing of theirs is read, and nothing they do is
  // stored under their ID (app/privacy/gone.ts).
  const customerId = loggedIn && (await customerGone(database().prisma, shop.id, loggedIn)) ? null : loggedIn;
  limiter ??= createRateLimiter(() => database().sql, config().apiSecret, config().proxyRateLimits);
  const shopper = customerId
    ? `customer:${customerId}`
    : `guest:${clientAddress(
        socketAddressOf(options.context),
        request.headers.get("x-forwarded-for"),
        config().trustedProxies,
      )}`;
  await limiter(shop.domain, shopper);
  return { shop, customerId, params };
}

// Shop rows change only at install, uninstall and currency change; the storefront's requests read them constantly.
// A few seconds of staleness is harmless: an uninstall also deletes the session, which is checked on every request.
const SHOP_CACHE_MS = 30_000;
const shops = new Map<string, { at: number; shop: ProxyContext["shop"] | null }>();

async function installedShop(domain: string): Promise<ProxyContext["shop"] | null> {
  const cached = shops.get(domain);
  if (cached && Date.now() - cached.at < SHOP_CACHE_MS) return cached.shop;
  const { rows } = await database().sql.query<ProxyContext["shop"]>(
    `SELECT s.id, s.domain, s."currencyCode" FROM "Shop" s WHERE s.domain = $1 AND ${shopUsable("s")}`,
    [domain],
  );
  const shop = rows[0] ?? null;
  shops.set(domain, { at: Date.now(), shop });
  return shop;
}

/** Runs a proxy route body, turning refusals into their plain-text responses. */
export async function handleProxy(work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ProxyRefusal) return error.toResponse();
    throw error;
  }
}
