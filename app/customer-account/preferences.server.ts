import type { PrismaClient } from "@prisma/client";
import type { SqlExecutor } from "~/database/sql-executor";
import { setPersonalised } from "~/offers/opt-out.server";
import { readBodyWithin } from "~/request-body/read";
import { BODY_LIMITS } from "~/request-body/limits";
import { customerGone, shopUsable } from "~/privacy/gone";
import { ProxyRefusal } from "~/storefront-proxy/proxy-request";
import { createRateLimiter } from "~/storefront-proxy/rate-limit";
import type { RateLimits } from "~/storefront-proxy/rate-limit";

// The customer account block's opt-out control (extensions/cadence-account/src/preferences.ts) reaches Cadence
// directly, not through the app proxy: the trust boundary is the session token Shopify gives the extension, signed
// with the app's secret (authenticate.public.customerAccount verifies the signature and expiry). Here: the token is
// for this app (aud), names an installed shop (dest) and a logged-in customer (sub, a Customer GID); the one query
// parameter is "0" or "1"; no body (413, not read); the shopper's rate limit, the storefront's own budget (shared by
// every server process through the database). The same stored choice as the storefront's control.

export interface CustomerAccountClaims {
  aud?: unknown;
  dest?: unknown;
  sub?: unknown;
}

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/([1-9][0-9]{0,19})$/;

let limiter: ReturnType<typeof createRateLimiter> | undefined;

export async function changePreferenceFromAccount(
  prisma: PrismaClient,
  claims: CustomerAccountClaims,
  request: Request,
  app: { apiKey: string; apiSecret: string; rateLimits: RateLimits; sql: () => SqlExecutor },
): Promise<{ personalised: boolean }> {
  const { apiKey } = app;
  if (request.method !== "POST") throw new ProxyRefusal(405, "Use POST.", { Allow: "POST" });
  if (claims.aud !== apiKey) throw new ProxyRefusal(401, "The session token is not for this app.");
  const domain = typeof claims.dest === "string" ? claims.dest.replace(/^https:\/\//, "") : "";
  if (!SHOP_DOMAIN.test(domain)) throw new ProxyRefusal(401, "The session token names no shop.");
  const customerId = typeof claims.sub === "string" ? CUSTOMER_GID.exec(claims.sub)?.[1] : undefined;
  if (!customerId) throw new ProxyRefusal(403, "Log in to change your offer preferences.");
  const url = new URL(request.url);
  const values = url.searchParams.getAll("personalised");
  if (
    [...url.searchParams.keys()].some((key) => key !== "personalised") ||
    values.length !== 1 ||
    (values[0] !== "0" && values[0] !== "1")
  )
    throw new ProxyRefusal(
      422,
      'Send exactly one parameter, personalised: "0" (stop personalised offers) or "1" (turn them back on).',
    );
  await readBodyWithin(request, BODY_LIMITS.customerAccount).catch((error: unknown) => {
    if (error instanceof Response && error.status === 413)
      throw new ProxyRefusal(413, BODY_LIMITS.customerAccount.message);
    throw error;
  });
  const {
    rows: [shop],
  } = await app
    .sql()
    .query<{ id: string }>(`SELECT s.id FROM "Shop" s WHERE s.domain = $1 AND ${shopUsable("s")}`, [domain]);
  if (!shop) throw new ProxyRefusal(404, "Cadence is not installed on this shop.");
  // A customer whose redaction is pending is gone (app/privacy/gone.ts): refused as the storefront refuses a guest.
  if (await customerGone(prisma, shop.id, customerId))
    throw new ProxyRefusal(403, "Log in to change your offer preferences.");
  limiter ??= createRateLimiter(app.sql, app.apiSecret, app.rateLimits);
  await limiter(domain, `customer:${customerId}`);
  const personalised = values[0] === "1";
  await setPersonalised(prisma, shop.id, customerId, personalised);
  return { personalised };
}
