import { z } from "zod";
import { installState, uninstallShop, updateSessionScopes } from "../facts/lifecycle";
import type { SqlExecutor } from "~/database/sql-conventions";
import { PayloadError } from "../normalized";
import { topicHandler } from "./types";
import type { DeliveryMeta, TopicOutcome } from "./types";

/**
 * Why an uninstall or a shop's redaction must not be carried out: it belongs to an earlier install (Shopify retries a
 * delivery for hours and sends shop/redact 48 hours after an uninstall, so either can arrive after a reinstall), or,
 * for shop/redact, the app is installed (Shopify sends none then: such a delivery is a mistake, not a request). A
 * delivery without X-Shopify-Triggered-At cannot be dated and is honoured. Logged as a warning by handle-webhook.ts.
 */
export async function staleLifecycleDelivery(
  tx: SqlExecutor,
  shopId: string,
  delivery: DeliveryMeta,
  requireUninstalled: boolean,
): Promise<TopicOutcome | null> {
  const state = await installState(tx, shopId);
  if (delivery.triggeredAt && delivery.triggeredAt < state.installedAt) {
    return {
      outcome: "ignored",
      detail: `triggered ${delivery.triggeredAt.toISOString()}, before the latest install (${state.installedAt.toISOString()})`,
      warn: true,
    };
  }
  if (requireUninstalled && !state.uninstalledAt)
    return {
      outcome: "ignored",
      detail: "the app is installed on this shop: shop/redact only follows an uninstall",
      warn: true,
    };
  return null;
}

// Shopify's app/uninstalled payload is the Shop resource; its myshopify_domain, when given, names the shop.
const uninstalledSchema = z.object({ myshopify_domain: z.string().max(255).nullish() }).passthrough();

/** app/uninstalled: sessions go (awaited, in the delivery's transaction) and the shop's sync stops. */
export const appUninstalled = topicHandler({
  parse(payload) {
    const parsed = uninstalledSchema.safeParse(payload);
    if (!parsed.success) throw new PayloadError("app/uninstalled payload: myshopify_domain must be a shop domain");
    return parsed.data.myshopify_domain ?? null;
  },
  shopDomainOf: (domain) => domain,
  afterUninstall: true,
  async apply(tx, shop, _domain, delivery) {
    const stale = await staleLifecycleDelivery(tx, shop.id, delivery, false);
    if (stale) return stale;
    await uninstallShop(tx, shop.id, shop.domain);
    return { outcome: "applied" };
  },
});

const scopesSchema = z.object({ current: z.array(z.string()) });

/** app/scopes_update: keeps the stored sessions' scopes true, so the library re-authorises when they shrink. */
export const scopesUpdated = topicHandler({
  parse(payload) {
    const parsed = scopesSchema.safeParse(payload);
    if (!parsed.success) throw new PayloadError("app/scopes_update payload: current must be a list of scopes");
    return parsed.data.current;
  },
  async apply(tx, shop, scopes) {
    await updateSessionScopes(tx, shop.domain, scopes);
    return { outcome: "applied" };
  },
});
