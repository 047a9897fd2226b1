// Regular (non-bulk) order queries: reconciliation's "orders updated since", and the refund details a bulk file
// cannot carry. Page sizes keep each request's requested cost under Shopify's 1,000-point ceiling (cost ≈ 2 +
// first × node cost, a money bag being 2 objects); pages beyond the first of a nested connection are fetched by ID.
import type { AdminClient } from "../client";
import { defineOperation } from "../operation";
import { paginate } from "../paginate";
import type { Page, PageInfo } from "../paginate";
import { LINE_ITEM_FIELDS, ORDER_SCALAR_FIELDS, refundsWithLinesField } from "./order-fields";
import type { OrderCore, OrderLineItem, OrderRefund, ShopMoneyBag } from "./order-fields";

export const ORDERS_PAGE_SIZE = 5;
export const LINE_ITEMS_PAGE_SIZE = 20;
/** Refunds listed per order; Order.refunds is a list, not a connection, so an order with more is refetched alone. */
export const REFUNDS_LIMIT = 10;
export const REFUNDS_LIMIT_ALONE = 100;
export const REFUND_LINES_PAGE_SIZE = 10;
export const REFUND_ORDERS_PAGE_SIZE = 8;

export type OrderWithRefundIds = OrderCore & { lineItems: OrderLineItem[]; refunds: Array<{ id: string }> };

interface OrderNode extends OrderCore {
  refunds: Array<{ id: string }>;
  lineItems: Page<OrderLineItem>;
}

export const ORDERS_UPDATED_SINCE = defineOperation<
  { orders: Page<OrderNode> },
  { first: number; after?: string | null; query: string; lineItemsFirst: number; refundsFirst: number }
>(
  `query OrdersUpdatedSince($first: Int!, $after: String, $query: String!, $lineItemsFirst: Int!, $refundsFirst: Int!) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    nodes {${ORDER_SCALAR_FIELDS}
      refunds(first: $refundsFirst) { id }
      lineItems(first: $lineItemsFirst) {
        nodes {${LINE_ITEM_FIELDS}
        }
        pageInfo { hasNextPage endCursor }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`,
);

export const ORDER_LINE_ITEMS = defineOperation<
  { node: { lineItems?: Page<OrderLineItem> } | null },
  { id: string; first: number; after?: string | null }
>(
  `query OrderLineItems($id: ID!, $first: Int!, $after: String) {
  node(id: $id) {
    ... on Order {
      lineItems(first: $first, after: $after) {
        nodes {${LINE_ITEM_FIELDS}
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}`,
);

interface RefundNode extends Omit<OrderRefund, "refundLineItems"> {
  refundLineItems: Page<{ subtotalSet: ShopMoneyBag }>;
}

export interface OrderRefunds {
  id: string;
  updatedAt: string;
  refunds: OrderRefund[];
}

export const ORDER_REFUNDS = defineOperation<
  { nodes: Array<({ id: string; updatedAt: string; refunds: RefundNode[] } & { __typename?: string }) | null> },
  { ids: string[]; refundsFirst: number; linesFirst: number }
>(
  `query OrderRefunds($ids: [ID!]!, $refundsFirst: Int!, $linesFirst: Int!) {
  nodes(ids: $ids) {
    ... on Order {
      id
      updatedAt${refundsWithLinesField("$refundsFirst", "$linesFirst")}
    }
  }
}`,
);

export const REFUND_LINE_ITEMS = defineOperation<
  { node: { refundLineItems?: Page<{ subtotalSet: ShopMoneyBag }> } | null },
  { id: string; first: number; after?: string | null }
>(
  `query RefundLineItems($id: ID!, $first: Int!, $after: String) {
  node(id: $id) {
    ... on Refund {
      refundLineItems(first: $first, after: $after) {
        nodes { subtotalSet { shopMoney { amount currencyCode } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}`,
);

const EMPTY_PAGE: PageInfo = { hasNextPage: false, endCursor: null };

async function restOfPages<T>(first: Page<T>, next: (after: string) => AsyncGenerator<T>): Promise<T[]> {
  const items = [...first.nodes];
  if (first.pageInfo.hasNextPage && first.pageInfo.endCursor)
    for await (const item of next(first.pageInfo.endCursor)) items.push(item);
  return items;
}

/** Shopify search syntax for "updated after"; the instant is quoted so its colons are not read as syntax. */
export function updatedAfterQuery(updatedAfter: string): string {
  return `updated_at:>'${updatedAfter}'`;
}

/** Every order updated after `updatedAfter`, oldest change first, each with all its line items and its refund IDs. */
export async function* ordersUpdatedSince(
  client: AdminClient,
  updatedAfter: string,
): AsyncGenerator<OrderWithRefundIds> {
  const orders = paginate(
    client,
    ORDERS_UPDATED_SINCE,
    {
      first: ORDERS_PAGE_SIZE,
      query: updatedAfterQuery(updatedAfter),
      lineItemsFirst: LINE_ITEMS_PAGE_SIZE,
      refundsFirst: REFUNDS_LIMIT,
    },
    (data) => data.orders,
  );
  for await (const order of orders) {
    const lineItems = await restOfPages(order.lineItems, (after) =>
      paginate(
        client,
        ORDER_LINE_ITEMS,
        { id: order.id, first: LINE_ITEMS_PAGE_SIZE },
        (data) => data.node?.lineItems ?? { nodes: [], pageInfo: EMPTY_PAGE },
        after,
      ),
    );
    yield { ...order, lineItems };
  }
}

async function completeRefund(client: AdminClient, refund: RefundNode): Promise<OrderRefund> {
  const refundLineItems = await restOfPages(refund.refundLineItems, (after) =>
    paginate(
      client,
      REFUND_LINE_ITEMS,
      { id: refund.id, first: REFUND_LINES_PAGE_SIZE },
      (data) => data.node?.refundLineItems ?? { nodes: [], pageInfo: EMPTY_PAGE },
      after,
    ),
  );
  return { ...refund, refundLineItems };
}

/** Every refund of the given orders with its refunded lines' subtotals. Orders Shopify no longer has are left out. */
export async function refundsOfOrders(client: AdminClient, orderIds: string[]): Promise<OrderRefunds[]> {
  const result: OrderRefunds[] = [];
  for (let start = 0; start < orderIds.length; start += REFUND_ORDERS_PAGE_SIZE) {
    const ids = orderIds.slice(start, start + REFUND_ORDERS_PAGE_SIZE);
    const data = await client.request(ORDER_REFUNDS, {
      ids,
      refundsFirst: REFUNDS_LIMIT,
      linesFirst: REFUND_LINES_PAGE_SIZE,
    });
    for (const node of data.nodes) {
      if (!node?.refunds) continue;
      let refunds = node.refunds;
      if (refunds.length >= REFUNDS_LIMIT) {
        const alone = await client.request(ORDER_REFUNDS, {
          ids: [node.id],
          refundsFirst: REFUNDS_LIMIT_ALONE,
          linesFirst: REFUND_LINES_PAGE_SIZE,
        });
        refunds = alone.nodes[0]?.refunds ?? refunds;
      }
      const complete: OrderRefund[] = [];
      for (const refund of refunds) complete.push(await completeRefund(client, refund));
      result.push({ id: node.id, updatedAt: node.updatedAt, refunds: complete });
    }
  }
  return result;
}
