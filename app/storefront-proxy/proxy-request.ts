import { BODY_LIMITS } from "~/request-body/limits";
import { readBodyWithin } from "~/request-body/read";

// What Cadence accepts from Shopify's app proxy beyond the signature (which authenticate.public.appProxy checks):
// every parameter at most once, and no body. Shopify signs the query string only, so a body is unsigned input;
// and the library joins a repeated parameter's values with commas before checking the signature, so
// `offer=a&offer=b` would be a valid signature over "offer=a,b" (shopify-app-js issues 455, 2374, 2692).

export class ProxyRefusal extends Error {
  override name = "ProxyRefusal";
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toResponse(): Response {
    return new Response(this.message, {
      status: this.status,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...this.headers },
    });
  }
}

/** The query's parameters, refusing any that appears more than once. */
export function singleValuedParams(url: URL): Map<string, string> {
  const params = new Map<string, string>();
  for (const [key, value] of url.searchParams) {
    if (params.has(key)) throw new ProxyRefusal(400, `Parameter "${key}" appears more than once.`);
    params.set(key, value);
  }
  return params;
}

/**
 * Refuses a request that carries a body (413): nothing Cadence reads may travel outside the signed query string. A
 * declared length is refused without reading; an undeclared body at its first byte.
 */
export async function assertNoBody(request: Request): Promise<void> {
  try {
    await readBodyWithin(request, BODY_LIMITS.appProxy);
  } catch (error) {
    if (error instanceof Response && error.status === 413) throw new ProxyRefusal(413, BODY_LIMITS.appProxy.message);
    throw error;
  }
}

/** Shopify's numeric customer ID from logged_in_customer_id; empty means a guest. */
export function customerIdFrom(params: Map<string, string>): string | null {
  const value = params.get("logged_in_customer_id") ?? "";
  if (value === "") return null;
  if (!/^[1-9][0-9]{0,19}$/.test(value))
    throw new ProxyRefusal(400, "logged_in_customer_id is not a Shopify customer ID.");
  return value;
}
