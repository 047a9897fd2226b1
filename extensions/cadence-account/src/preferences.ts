import type { Api } from "@shopify/ui-extensions/customer-account.profile.block.render";
import { appUrl } from "./app-url";

// The opt-out control's request: POST {app}/customer-account/preferences?personalised=0|1 with the shopper's session
// token, which Shopify signs with the app's secret and which names the customer (app/routes/customer-account.preferences.tsx).

type Fetch = (url: string, init: { method: string; headers: Record<string, string> }) => Promise<{ ok: boolean }>;

export function canChangePreferences(): boolean {
  return appUrl() !== null;
}

/** Resolves to whether Cadence stored the choice. */
export async function changePreferences(
  api: Pick<Api, "sessionToken">,
  fetcher: Fetch,
  personalised: boolean,
): Promise<boolean> {
  const base = appUrl();
  if (!base) return false;
  try {
    const token = await api.sessionToken.get();
    const response = await fetcher(`${base}/customer-account/preferences?personalised=${personalised ? "1" : "0"}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
    });
    return response.ok;
  } catch {
    return false;
  }
}
