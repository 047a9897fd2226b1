import { z } from "zod";
import { logger } from "~/logging/logger";
import { assembleCustomerData, redactCustomer, redactShop, storeDataRequest, type CustomerRequest } from "../facts/compliance";
import { PayloadError } from "../normalized";
import { numericIdValue } from "../payload-fields";
import { numericId } from "../shopify-ids";
import { topicHandler } from "./types";

// Shopify's mandatory privacy webhooks, honoured after uninstall too. See docs/sync.md, "Privacy".

const customerRequestSchema = z.object({
  customer: z.object({ id: numericIdValue }),
  orders_to_redact: z.array(numericIdValue).optional(),
  orders_requested: z.array(numericIdValue).optional(),
  data_request: z.object({ id: numericIdValue }).optional(),
});

function parseCustomerRequest(topic: string, payload: unknown): CustomerRequest & { requestId: string | undefined } {
  const parsed = customerRequestSchema.safeParse(payload);
  const customerShopifyId = parsed.success ? numericId(parsed.data.customer.id) : null;
  if (!parsed.success || !customerShopifyId) throw new PayloadError(`${topic} payload: customer.id is required`);
  const orderShopifyIds = (parsed.data.orders_to_redact ?? parsed.data.orders_requested ?? []).map(numericId);
  if (orderShopifyIds.some((id) => id === null)) throw new PayloadError(`${topic} payload: order IDs must be numeric`);
  const requestId = parsed.data.data_request ? String(parsed.data.data_request.id) : undefined;
  return { customerShopifyId, orderShopifyIds: orderShopifyIds as string[], requestId };
}

/** customers/redact: every row that identifies the customer is deleted. */
export const customerRedact = topicHandler({
  parse: (payload) => parseCustomerRequest("customers/redact", payload),
  afterUninstall: true,
  async apply(tx, shop, request) {
    const { orders } = await redactCustomer(tx, shop.id, request);
    return { outcome: "applied", detail: `customer redacted with ${orders} order(s)` };
  },
});

/**
 * customers/data_request: the JSON of everything stored about the customer is kept in DataRequestExport for the
 * merchant, who hands it to the customer: `npm run cadence -- sync data-request --shop DOMAIN --id REQUEST_ID`.
 */
export const customerDataRequest = topicHandler({
  parse: (payload) => parseCustomerRequest("customers/data_request", payload),
  afterUninstall: true,
  async apply(tx, shop, request) {
    const data = await assembleCustomerData(tx, shop.id, shop.domain, request);
    const requestId = request.requestId ?? `customer-${request.customerShopifyId}`;
    await storeDataRequest(tx, shop.id, requestId, request.customerShopifyId, data);
    const orders = (data.orders as unknown[]).length;
    return {
      outcome: "applied",
      detail: `data request assembled: ${orders} order(s)`,
      afterCommit: async () => logger().info("customer data request ready", { shop: shop.domain, requestId, orders }),
    };
  },
});

/** shop/redact (48 hours after uninstall): every row of the shop is deleted. */
export const shopRedact = topicHandler({
  parse: () => null,
  afterUninstall: true,
  removesShop: true,
  async apply(tx, shop) {
    await redactShop(tx, shop.id, shop.domain);
    return { outcome: "applied" };
  },
});
