import { delay, http, HttpResponse } from "msw";
import { API_KEY, API_SECRET } from "./app-under-test";

// Shopify's token endpoint for expiring offline tokens (POST https://{shop}/admin/oauth/access_token with
// grant_type=refresh_token), as its OAuth documentation describes it: the app's credentials are checked, the refresh
// token is single-use and rotates (the previous one is refused once the new one exists), and the answer carries a new
// access token valid for an hour and a new refresh token. `answerAfterMs` holds the answer back, as a real round trip
// does, so concurrent callers overlap.

export interface TokenEndpoint {
  handler: ReturnType<typeof http.post>;
  /** The refresh tokens presented, in order, accepted or not. */
  readonly calls: string[];
  /** The pair Shopify holds now. */
  current: { accessToken: string; refreshToken: string };
}

export function tokenEndpoint(
  shop: string,
  initial: { accessToken: string; refreshToken: string },
  options: { answerAfterMs?: number; onRefresh?: (accessToken: string) => void } = {},
): TokenEndpoint {
  const endpoint: TokenEndpoint = {
    calls: [],
    current: { ...initial },
    handler: http.post(`https://${shop}/admin/oauth/access_token`, async ({ request }) => {
      const body = (await request.json()) as Record<string, string>;
      endpoint.calls.push(body.refresh_token ?? "");
      if (body.client_id !== API_KEY || body.client_secret !== API_SECRET || body.grant_type !== "refresh_token") {
        return HttpResponse.json({ error: "invalid_client" }, { status: 401 });
      }
      await delay(options.answerAfterMs ?? 0);
      if (body.refresh_token !== endpoint.current.refreshToken) {
        return HttpResponse.json(
          { error: "invalid_grant", error_description: "refresh token is invalid or already used" },
          { status: 400 },
        );
      }
      const generation = endpoint.calls.length;
      endpoint.current = {
        accessToken: `shpat_refreshed_${generation}`,
        refreshToken: `shprt_refreshed_${generation}`,
      };
      options.onRefresh?.(endpoint.current.accessToken);
      return HttpResponse.json({
        access_token: endpoint.current.accessToken,
        expires_in: 3600,
        refresh_token: endpoint.current.refreshToken,
        refresh_token_expires_in: 7_776_000,
        scope: "read_orders,read_all_orders,read_customers,write_customers,write_discounts,write_app_proxy",
      });
    }),
  };
  return endpoint;
}
