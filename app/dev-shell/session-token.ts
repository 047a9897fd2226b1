import { createSecretKey, randomUUID } from "node:crypto";
import { SignJWT } from "jose";

// Mints the session token Shopify's admin would give App Bridge: the same claims, signed with the app secret,
// so the real authenticate.admin check runs unchanged against it.
export async function mintSessionToken(options: {
  shop: string;
  apiKey: string;
  apiSecret: string;
  userId?: string;
  lifetimeSeconds?: number;
  now?: Date;
}): Promise<string> {
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({
    iss: `https://${options.shop}/admin`,
    dest: `https://${options.shop}`,
    aud: options.apiKey,
    sub: options.userId ?? "1",
    exp: issuedAt + (options.lifetimeSeconds ?? 60),
    nbf: issuedAt - 5,
    iat: issuedAt,
    jti: randomUUID(),
    sid: randomUUID(),
  })
    .setProtectedHeader({ alg: "HS256" })
    .sign(createSecretKey(Buffer.from(options.apiSecret)));
}

export function adminHostParam(shop: string): string {
  return Buffer.from(`admin.shopify.com/store/${shop.replace(".myshopify.com", "")}`).toString("base64url");
}

/**
 * Mints the session token a customer account extension gets from shopify.sessionToken.get(): signed with the app
 * secret, `dest` the shop, `sub` the logged-in customer's GID (omitted for a visitor who is not logged in), so the
 * real authenticate.public.customerAccount check runs against it (the storefront preview's customer account block).
 */
export async function mintCustomerAccountToken(options: {
  shop: string;
  apiKey: string;
  apiSecret: string;
  customerId: string | null;
  lifetimeSeconds?: number;
  now?: Date;
}): Promise<string> {
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({
    dest: options.shop,
    aud: options.apiKey,
    ...(options.customerId ? { sub: `gid://shopify/Customer/${options.customerId}` } : {}),
    exp: issuedAt + (options.lifetimeSeconds ?? 300),
    nbf: issuedAt - 5,
    iat: issuedAt,
    jti: randomUUID(),
  })
    .setProtectedHeader({ alg: "HS256" })
    .sign(createSecretKey(Buffer.from(options.apiSecret)));
}
