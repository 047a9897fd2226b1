// Cursor pagination over any connection query whose variables take `after`.
import type { AdminClient } from "./client";
import type { AdminOperation } from "./operation";

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Page<TNode> {
  nodes: TNode[];
  pageInfo: PageInfo;
}

/**
 * Yields every node, one page request at a time (each paced by the client's cost bucket). `selectPage` picks the
 * connection out of the response. Stops when Shopify says there is no next page. `startAfter`
 * resumes from a cursor already in hand.
 */
export async function* paginate<TData, TVariables extends { after?: string | null }, TNode>(
  client: AdminClient,
  operation: AdminOperation<TData, TVariables>,
  variables: Omit<TVariables, "after">,
  selectPage: (data: TData) => Page<TNode>,
  startAfter: string | null = null,
): AsyncGenerator<TNode, void, undefined> {
  let after = startAfter;
  for (;;) {
    const pageVariables = { ...variables, after } as unknown as TVariables;
    const data: TData = await (
      client.request as (op: AdminOperation<TData, TVariables>, vars: TVariables) => Promise<TData>
    )(operation, pageVariables);
    const page = selectPage(data);
    yield* page.nodes;
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return;
    after = page.pageInfo.endCursor;
  }
}
