// How many bytes of request body each kind of route accepts (docs/security.md "Limits"). A body is refused with 413
// before it is read when its Content-Length says it is too large, and while it is read (bytes counted) when it
// declares no length, so no request can make the server hold more than its route's limit.

export interface BodyLimit {
  /** The most bytes accepted. */
  bytes: number;
  /** The 413 answer's text. */
  message: string;
}

const MIB = 1024 * 1024;

export const BODY_LIMITS = {
  // Shopify's orders hold at most 500 line items; the largest webhook Cadence subscribes to is an order with all of
  // them refunded (a refund line repeats its line item): about 1.5 MB. Twice that, 1,000 refunded lines, is 3.1 MB
  // and passes (test/integration/body-limits.test.ts); the limit leaves five times that again.
  webhook: { bytes: 16 * MIB, message: "Request body too large: a Shopify webhook may be at most 16 MB." },
  // Shopify signs an app-proxy request's query string only, so Cadence reads nothing from a body.
  appProxy: {
    bytes: 0,
    message: "Request bodies are not accepted: Shopify signs only the query string. Send parameters in the query.",
  },
  // The customer account block's opt-out control sends its one choice in the query string.
  customerAccount: {
    bytes: 0,
    message: "Request bodies are not accepted: send the choice in the query (personalised=0 or 1).",
  },
  // The admin's forms (offers, tiers, segment rules, settings) are a few kilobytes at most.
  admin: { bytes: 64 * 1024, message: "Request body too large: an admin form may be at most 64 KB." },
} satisfies Record<string, BodyLimit>;

/**
 * The limit for a request path: the webhook route, the app-proxy routes (and the preview's stand-in), the customer
 * account block's control, or the admin (everything else).
 */
export function bodyLimitFor(pathname: string): BodyLimit {
  if (pathname === "/webhooks" || pathname === "/webhooks.data") return BODY_LIMITS.webhook;
  if (pathname.startsWith("/proxy/") || pathname.startsWith("/apps/cadence/")) return BODY_LIMITS.appProxy;
  if (pathname === "/customer-account/preferences" || pathname === "/customer-account/preferences.data")
    return BODY_LIMITS.customerAccount;
  return BODY_LIMITS.admin;
}

/**
 * Whether a declared Content-Length is over the limit. A malformed one counts as over: Node's parser refuses it
 * before a request reaches the app, and a Fetch Request never carries one, so only a hostile client sends it.
 */
export function declaredTooLarge(contentLength: string | null | undefined, limit: BodyLimit): boolean {
  if (contentLength === null || contentLength === undefined) return false;
  const trimmed = contentLength.trim();
  return !/^\d{1,15}$/.test(trimmed) || Number(trimmed) > limit.bytes;
}
