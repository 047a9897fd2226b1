// Starting and polling bulk query operations.
import { defineOperation } from "../operation";

export type BulkOperationStatus = "CANCELED" | "CANCELING" | "COMPLETED" | "CREATED" | "EXPIRED" | "FAILED" | "RUNNING";

export interface BulkOperation {
  id: string;
  status: BulkOperationStatus;
  errorCode: string | null;
  /** UnsignedInt64 arrives as a string. */
  objectCount: string;
  rootObjectCount: string;
  url: string | null;
  partialDataUrl: string | null;
  createdAt: string;
  completedAt: string | null;
}

const BULK_OPERATION_FIELDS = `
    id
    status
    errorCode
    objectCount
    rootObjectCount
    url
    partialDataUrl
    createdAt
    completedAt`;

export interface BulkOperationUserError {
  field: string[] | null;
  message: string;
  code: string | null;
}

/**
 * No groupObjects argument: it does not exist in 2025-01, and ungrouped output (the default from 2026-01) is what
 * Shopify produces fastest and with the fewest timeouts. The importer does not depend on line order.
 */
export const BULK_OPERATION_RUN_QUERY = defineOperation<
  {
    bulkOperationRunQuery: {
      bulkOperation: Pick<BulkOperation, "id" | "status"> | null;
      userErrors: BulkOperationUserError[];
    } | null;
  },
  { query: string }
>(
  `mutation BulkOperationRunQuery($query: String!) {
  bulkOperationRunQuery(query: $query) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}`,
  // Not idempotent: after a 5xx it is unknown whether an operation started; the backfill records what it started
  // and a repeated start is harmless (a second, identical import), so it is not retried blindly either.
  { idempotent: false, estimatedCost: 10 },
);

/** By id via node(): neither schema has a root bulkOperation(id:) field. */
export const BULK_OPERATION_BY_ID = defineOperation<
  { node: (BulkOperation & { __typename?: string }) | null },
  { id: string }
>(
  `query BulkOperationById($id: ID!) {
  node(id: $id) {
    ... on BulkOperation {${BULK_OPERATION_FIELDS}
    }
  }
}`,
  { estimatedCost: 1 },
);
