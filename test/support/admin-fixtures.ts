// Admin GraphQL shapes of orders and customers, as the documents in app/shopify-admin/operations select them, for
// the Admin API mock's answers and its bulk JSONL files.

const money = (amount: string, currencyCode = "GBP") => ({ shopMoney: { amount, currencyCode } });

export interface GraphqlOrderSpec {
  id: string;
  customerId?: string | null;
  updatedAt?: string;
  createdAt?: string;
  subtotal?: string;
  total?: string;
  cancelledAt?: string | null;
  test?: boolean;
  discountCodes?: string[];
  lines?: Array<{ id: string; amount: string; quantity?: number; productId?: string; productType?: string }>;
  refunds?: Array<{ id: string; lines: string[]; amount: string; createdAt?: string }>;
}

export function graphqlOrderCore(spec: GraphqlOrderSpec) {
  const createdAt = spec.createdAt ?? "2025-06-01T10:00:00Z";
  const subtotal = spec.subtotal ?? "50.00";
  return {
    id: `gid://shopify/Order/${spec.id}`,
    name: `#${spec.id.slice(-4)}`,
    createdAt,
    processedAt: createdAt,
    updatedAt: spec.updatedAt ?? createdAt,
    cancelledAt: spec.cancelledAt ?? null,
    test: spec.test ?? false,
    currencyCode: "GBP",
    displayFinancialStatus: spec.refunds?.length ? "PARTIALLY_REFUNDED" : "PAID",
    subtotalPriceSet: money(subtotal),
    totalPriceSet: money(spec.total ?? subtotal),
    totalDiscountsSet: money("0.00"),
    totalShippingPriceSet: money("0.00"),
    totalTaxSet: money("0.00"),
    discountCodes: spec.discountCodes ?? [],
    customer: spec.customerId === null ? null : { id: `gid://shopify/Customer/${spec.customerId ?? "9000000001"}` },
  };
}

export function graphqlLineItem(line: NonNullable<GraphqlOrderSpec["lines"]>[number]) {
  return {
    id: `gid://shopify/LineItem/${line.id}`,
    quantity: line.quantity ?? 1,
    product: { id: `gid://shopify/Product/${line.productId ?? "111"}`, productType: line.productType ?? "Tea" },
    variant: { id: `gid://shopify/ProductVariant/${line.productId ?? "111"}1` },
    originalTotalSet: money(line.amount),
    totalDiscountSet: money("0.00"),
  };
}

function linesOf(spec: GraphqlOrderSpec) {
  return spec.lines ?? [{ id: `${spec.id}1`, amount: spec.subtotal ?? "50.00" }];
}

/** An order as OrdersUpdatedSince returns it: line items (one page) and refund IDs. */
export function reconcileOrderNode(spec: GraphqlOrderSpec) {
  return {
    ...graphqlOrderCore(spec),
    refunds: (spec.refunds ?? []).map((refund) => ({ id: `gid://shopify/Refund/${refund.id}` })),
    lineItems: { nodes: linesOf(spec).map(graphqlLineItem), pageInfo: { hasNextPage: false, endCursor: null } },
  };
}

/** An order's refunds as OrderRefunds returns them. */
export function refundsNode(spec: GraphqlOrderSpec) {
  return {
    __typename: "Order",
    id: `gid://shopify/Order/${spec.id}`,
    updatedAt: spec.updatedAt ?? spec.createdAt ?? "2025-06-01T10:00:00Z",
    refunds: (spec.refunds ?? []).map((refund) => ({
      id: `gid://shopify/Refund/${refund.id}`,
      createdAt: refund.createdAt ?? "2025-06-10T10:00:00Z",
      totalRefundedSet: money(refund.amount),
      refundLineItems: {
        nodes: refund.lines.map((subtotal) => ({ subtotalSet: money(subtotal) })),
        pageInfo: { hasNextPage: false, endCursor: null },
      },
    })),
  };
}

/** The JSONL lines of one order in a bulk file: its own line, then its line items' (children name it as parent). */
export function bulkOrderLines(spec: GraphqlOrderSpec): { order: string; lineItems: string[] } {
  const order = {
    ...graphqlOrderCore(spec),
    refunds: (spec.refunds ?? []).map((refund) => ({ id: `gid://shopify/Refund/${refund.id}` })),
  };
  return {
    order: JSON.stringify(order),
    lineItems: linesOf(spec).map((line) => JSON.stringify({ ...graphqlLineItem(line), __parentId: order.id })),
  };
}

export function graphqlCustomer(id: string, updatedAt = "2025-06-01T10:00:00Z") {
  return {
    id: `gid://shopify/Customer/${id}`,
    createdAt: "2025-01-01T10:00:00Z",
    updatedAt,
  };
}
