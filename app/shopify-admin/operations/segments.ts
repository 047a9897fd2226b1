// Native customer segments (ShopifyQL), for the segment a Cadence-created code is restricted to
// (app/publish/discounts/). Mutations return userErrors; callers check them with assertNoUserErrors.
import { defineOperation } from "../operation";
import type { AdminUserError } from "../errors";

export interface Segment {
  id: string;
  name: string;
  query: string;
}

const SEGMENT_FIELDS = "id name query";

interface SegmentPayload {
  segment: Segment | null;
  userErrors: AdminUserError[];
}

export const SEGMENT_BY_ID = defineOperation<{ segment: Segment | null }, { id: string }>(
  `query SegmentById($id: ID!) {
  segment(id: $id) { ${SEGMENT_FIELDS} }
}`,
  { estimatedCost: 1 },
);

/** Search by name (Shopify's search is not exact: the caller compares names itself). */
export const SEGMENTS_BY_NAME = defineOperation<{ segments: { nodes: Segment[] } }, { query: string }>(
  `query SegmentsByName($query: String!) {
  segments(first: 10, query: $query) {
    nodes { ${SEGMENT_FIELDS} }
  }
}`,
  { estimatedCost: 3 },
);

// Not idempotent: after a lost answer it is unknown whether the segment exists; the caller looks it up by name.
export const SEGMENT_CREATE = defineOperation<
  { segmentCreate: SegmentPayload | null },
  { name: string; query: string }
>(
  `mutation SegmentCreate($name: String!, $query: String!) {
  segmentCreate(name: $name, query: $query) {
    segment { ${SEGMENT_FIELDS} }
    userErrors { field message }
  }
}`,
  { idempotent: false, estimatedCost: 10 },
);

export const SEGMENT_UPDATE = defineOperation<
  { segmentUpdate: SegmentPayload | null },
  { id: string; name: string; query: string }
>(
  `mutation SegmentUpdate($id: ID!, $name: String, $query: String) {
  segmentUpdate(id: $id, name: $name, query: $query) {
    segment { ${SEGMENT_FIELDS} }
    userErrors { field message }
  }
}`,
  { idempotent: true, estimatedCost: 10 },
);

export const SEGMENT_DELETE = defineOperation<
  { segmentDelete: { deletedSegmentId: string | null; userErrors: AdminUserError[] } | null },
  { id: string }
>(
  `mutation SegmentDelete($id: ID!) {
  segmentDelete(id: $id) {
    deletedSegmentId
    userErrors { field message }
  }
}`,
  { idempotent: true, estimatedCost: 10 },
);
