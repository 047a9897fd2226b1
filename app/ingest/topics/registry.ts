import { bulkOperationFinished } from "./bulk-operations";
import { customerDataRequest, customerRedact, shopRedact } from "./compliance";
import { customerDeleted, customerState } from "./customers";
import { appUninstalled, scopesUpdated } from "./lifecycle";
import { orderDeleted, orderState, refundCreated } from "./orders";
import type { TopicHandler } from "./types";

// Every topic shopify.app.toml subscribes to, and its handler.
export const TOPIC_HANDLERS: Record<string, TopicHandler<unknown>> = {
  "orders/create": orderState,
  "orders/updated": orderState,
  "orders/paid": orderState,
  "orders/cancelled": orderState,
  "orders/delete": orderDeleted,
  "refunds/create": refundCreated,
  "customers/create": customerState,
  "customers/update": customerState,
  "customers/delete": customerDeleted,
  "app/uninstalled": appUninstalled,
  "app/scopes_update": scopesUpdated,
  "bulk_operations/finish": bulkOperationFinished,
  "customers/data_request": customerDataRequest,
  "customers/redact": customerRedact,
  "shop/redact": shopRedact,
};

// Shopify's library reports topics as "ORDERS_CREATE"; the header and the toml say "orders/create".
export function topicKey(topic: string): string {
  return topic.toUpperCase().replace(/[/.]/g, "_");
}

const BY_KEY = new Map(Object.entries(TOPIC_HANDLERS).map(([topic, handler]) => [topicKey(topic), handler]));

export function handlerFor(topic: string): TopicHandler<unknown> | undefined {
  return BY_KEY.get(topicKey(topic));
}
