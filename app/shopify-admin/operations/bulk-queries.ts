// The queries run inside bulkOperationRunQuery. They are strings inside a mutation, so nothing checks them at send
// time; the tests validate them as queries against the newest Admin schema (no deprecated fields) and the bulk rules (connections through
// edges/node, at most five connections, nesting at most two levels, no connection inside a list).
import { CUSTOMER_FIELDS } from "./customer-fields";
import type { CustomerRecord } from "./customer-fields";
import { LINE_ITEM_FIELDS, ORDER_SCALAR_FIELDS } from "./order-fields";
import type { OrderCore, OrderLineItem } from "./order-fields";

export interface BulkFilter {
  /** Only records updated after this instant (ISO 8601); omit for everything. */
  updatedAfter?: string;
}

function queryArgument(filter: BulkFilter): string {
  if (!filter.updatedAfter) return "";
  // JSON.stringify gives a valid GraphQL string literal for the search syntax, quotes and all.
  return `(query: ${JSON.stringify(`updated_at:>'${filter.updatedAfter}'`)})`;
}

/** All orders with their line items (each its own JSONL line with __parentId) and their refunds' IDs. */
export function bulkOrdersQuery(filter: BulkFilter = {}): string {
  return `{
  orders${queryArgument(filter)} {
    edges {
      node {${ORDER_SCALAR_FIELDS}
        refunds { id }
        lineItems {
          edges {
            node {${LINE_ITEM_FIELDS}
            }
          }
        }
      }
    }
  }
}`;
}

export function bulkCustomersQuery(filter: BulkFilter = {}): string {
  return `{
  customers${queryArgument(filter)} {
    edges {
      node {${CUSTOMER_FIELDS}
      }
    }
  }
}`;
}

/** JSONL lines of bulkOrdersQuery: an order line, and its line items' lines (in no promised order). */
export type BulkOrderLine = OrderCore & { refunds: Array<{ id: string }> };
export type BulkLineItemLine = OrderLineItem & { __parentId: string };
export type BulkCustomerLine = CustomerRecord;
