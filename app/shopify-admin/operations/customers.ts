// Reconciliation of customers (new ones, changed creation data) updated since the last pass, oldest change first.
import type { AdminClient } from "../client";
import { defineOperation } from "../operation";
import { paginate } from "../paginate";
import type { Page } from "../paginate";
import { CUSTOMER_FIELDS } from "./customer-fields";
import type { CustomerRecord } from "./customer-fields";
import { updatedAfterQuery } from "./orders";

/** 2 + 250 × 1 (a customer of scalars) = 252 requested points: a full page fits well under the 1,000 ceiling. */
export const CUSTOMERS_PAGE_SIZE = 250;

export const CUSTOMERS_UPDATED_SINCE = defineOperation<
  { customers: Page<CustomerRecord> },
  { first: number; after?: string | null; query: string }
>(
  `query CustomersUpdatedSince($first: Int!, $after: String, $query: String!) {
  customers(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    nodes {${CUSTOMER_FIELDS}
    }
    pageInfo { hasNextPage endCursor }
  }
}`,
);

export function customersUpdatedSince(client: AdminClient, updatedAfter: string): AsyncGenerator<CustomerRecord> {
  return paginate(
    client,
    CUSTOMERS_UPDATED_SINCE,
    { first: CUSTOMERS_PAGE_SIZE, query: updatedAfterQuery(updatedAfter) },
    (data) => data.customers,
  );
}
