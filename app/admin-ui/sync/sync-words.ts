// The sync page's states, outcomes and webhook topics in words. The ledgers store Shopify's topic names
// ("orders/create", "bulk_operations/finish") and Cadence's state keys; the merchant reads what happened.

const TOPICS: Record<string, string> = {
  "orders/create": "Order created",
  "orders/updated": "Order updated",
  "orders/paid": "Order paid",
  "orders/cancelled": "Order cancelled",
  "orders/delete": "Order deleted",
  "refunds/create": "Refund",
  "customers/create": "Customer created",
  "customers/update": "Customer updated",
  "customers/delete": "Customer deleted",
  "app/uninstalled": "App uninstalled",
  "app/scopes_update": "App permissions changed",
  "bulk_operations/finish": "Bulk import finished",
  "customers/data_request": "Customer data request",
  "customers/redact": "Customer data deletion",
  "shop/redact": "Shop data deletion",
};

const OUTCOMES: Record<string, string> = {
  applied: "Applied",
  stale: "Already up to date",
  ignored: "Not needed",
  duplicate: "Duplicate, already applied",
  dropped: "Dropped",
  rejected: "Rejected",
  "unknown-topic": "Not a topic Cadence handles",
};

const STATES: Record<string, string> = {
  pending: "Waiting to start",
  running: "Asking Shopify for your history",
  importing: "Importing",
  "refund-details": "Fetching refund details",
  completed: "Completed",
  failed: "Failed",
  stopped: "Stopped (app uninstalled)",
  done: "Done",
};

const KINDS: Record<string, string> = { orders: "Orders", customers: "Customers" };

/** Anything not in a table still reads as words: "some_new/topic" → "Some new topic". */
function words(key: string): string {
  const text = key.replace(/[_/-]+/g, " ").trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const topicLabel = (topic: string) => TOPICS[topic] ?? words(topic);
export const outcomeLabel = (outcome: string) => OUTCOMES[outcome] ?? words(outcome);
export const stateLabel = (state: string) => STATES[state] ?? words(state);
export const importKindLabel = (kind: string) => KINDS[kind] ?? words(kind);
