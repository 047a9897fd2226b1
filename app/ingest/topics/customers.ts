import { deletedCustomerId, normalizeCustomerPayload } from "../customer-payload";
import { markCustomerDeleted, writeCustomers } from "../facts/customers";
import { topicHandler } from "./types";

/** customers/create, customers/update. */
export const customerState = topicHandler({
  parse: normalizeCustomerPayload,
  async apply(tx, shop, customer) {
    const written = await writeCustomers(tx, shop.id, [customer]);
    return written > 0
      ? { outcome: "applied" }
      : { outcome: "stale", detail: "a newer state is stored, or the customer was deleted" };
  },
});

/** customers/delete: the shopper is gone from Shopify; their orders stay in the shop's totals. */
export const customerDeleted = topicHandler({
  parse: deletedCustomerId,
  async apply(tx, shop, customerShopifyId) {
    await markCustomerDeleted(tx, shop.id, customerShopifyId);
    return { outcome: "applied", customers: [customerShopifyId] };
  },
});
