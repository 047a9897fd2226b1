import { z } from "zod";
import { queuePrivacyRequest } from "~/queue/queue.server";
import { logger } from "~/logging/logger";
import { recordCustomerRedaction, recordDataRequest, recordShopRedaction } from "~/privacy/requests";
import type { CustomerRequest } from "~/privacy/requests";
import { PayloadError } from "../normalized";
import { numericIdValue } from "../payload-fields";
import { numericId } from "../shopify-ids";
import { staleLifecycleDelivery } from "./lifecycle";
import { topicHandler } from "./types";
import type { ShopContext } from "./types";

// Shopify's mandatory privacy webhooks, honoured after uninstall too. Each is answered as soon as the request is
// recorded, in the delivery's transaction, with the customer or shop already gone from every reader; the work itself
// (which grows with the shop or the customer) is the privacy-request job's (app/privacy/, docs/sync.md "Uninstall and
// privacy"). The payload's shop_domain must be the header's shop (handle-webhook.ts).

const shopDomain = z.string().min(1).max(255);

const customerRequestSchema = z.object({
  shop_domain: shopDomain,
  customer: z.object({ id: numericIdValue }),
  orders_to_redact: z.array(numericIdValue).optional(),
  orders_requested: z.array(numericIdValue).optional(),
  data_request: z.object({ id: numericIdValue }).optional(),
});

type ParsedCustomerRequest = CustomerRequest & { shopDomain: string; requestId: string | undefined };

function parseCustomerRequest(topic: string, payload: unknown): ParsedCustomerRequest {
  const parsed = customerRequestSchema.safeParse(payload);
  if (!parsed.success && parsed.error.issues.some((issue) => issue.path[0] === "shop_domain"))
    throw new PayloadError(`${topic} payload: shop_domain is required`);
  const customerShopifyId = parsed.success ? numericId(parsed.data.customer.id) : null;
  if (!parsed.success || !customerShopifyId) throw new PayloadError(`${topic} payload: customer.id is required`);
  const orderShopifyIds = (parsed.data.orders_to_redact ?? parsed.data.orders_requested ?? []).map(numericId);
  if (orderShopifyIds.some((id) => id === null)) throw new PayloadError(`${topic} payload: order IDs must be numeric`);
  const requestId = parsed.data.data_request ? String(parsed.data.data_request.id) : undefined;
  return {
    shopDomain: parsed.data.shop_domain,
    customerShopifyId,
    orderShopifyIds: orderShopifyIds as string[],
    requestId,
  };
}

/**
 * After the commit, not awaited: the request is already durable, so the answer does not wait for the job queue. The
 * minute's sweep (privacy-requests-all) queues any request this nudge did not reach (a crash, the queue unreachable).
 */
function nudge(shop: ShopContext, requestId: string): () => Promise<void> {
  return async () => {
    queuePrivacyRequest(requestId).catch((error: Error) =>
      logger().warn("privacy request not queued yet; the sweep will queue it", {
        shop: shop.domain,
        requestId,
        reason: error.message,
      }),
    );
  };
}

/** customers/redact: the customer is gone from every reader now; their orders and histories go in the job. */
export const customerRedact = topicHandler({
  parse: (payload) => parseCustomerRequest("customers/redact", payload),
  shopDomainOf: (request) => request.shopDomain,
  afterUninstall: true,
  async apply(tx, shop, request, delivery) {
    const id = await recordCustomerRedaction(tx, shop.id, request, delivery.triggeredAt);
    return { outcome: "applied", detail: `customer redaction queued (request ${id})`, afterCommit: nudge(shop, id) };
  },
});

/**
 * customers/data_request: the job assembles the JSON of everything stored about the customer into DataRequestExport,
 * which the merchant downloads in Settings › Privacy (or `npm run cadence -- sync data-request`) and hands over.
 */
export const customerDataRequest = topicHandler({
  parse: (payload) => parseCustomerRequest("customers/data_request", payload),
  shopDomainOf: (request) => request.shopDomain,
  afterUninstall: true,
  async apply(tx, shop, request, delivery) {
    const dataRequestId = request.requestId ?? `customer-${request.customerShopifyId}`;
    const id = await recordDataRequest(tx, shop.id, { ...request, dataRequestId }, delivery.triggeredAt);
    return { outcome: "applied", detail: `data request queued (request ${id})`, afterCommit: nudge(shop, id) };
  },
});

const shopRedactSchema = z.object({ shop_domain: shopDomain });

/** shop/redact (48 hours after uninstall): the shop is gone from every reader now; its rows go in the job. */
export const shopRedact = topicHandler({
  parse(payload) {
    const parsed = shopRedactSchema.safeParse(payload);
    if (!parsed.success) throw new PayloadError("shop/redact payload: shop_domain is required");
    return parsed.data.shop_domain;
  },
  shopDomainOf: (domain) => domain,
  afterUninstall: true,
  async apply(tx, shop, _domain, delivery) {
    const stale = await staleLifecycleDelivery(tx, shop.id, delivery, true);
    if (stale) return stale;
    const id = await recordShopRedaction(tx, shop, delivery.triggeredAt);
    return { outcome: "applied", detail: `shop redaction queued (request ${id})`, afterCommit: nudge(shop, id) };
  },
});
