import { METAFIELDS_DELETE, METAFIELDS_SET, METAFIELD_DEFINITION_CREATE, METAFIELD_DEFINITION_UPDATE, SHOP_ID } from "./admin-documents";

// How the publisher reaches Shopify. Only app/shopify-admin/ talks to the Admin API: it provides an
// `AdminGraphql` function (document + variables → the response's data and cost extension), and
// `metafieldsClient(graphql)` turns it into the calls the publisher makes. Tests pass a faithful double of
// Shopify's side instead (test/support/shopify-metafields.ts).

export interface MetafieldsSetInput {
  ownerId: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
}

export interface MetafieldIdentifierInput {
  ownerId: string;
  namespace: string;
  key: string;
}

export interface UserError {
  field?: string[] | null;
  message: string;
  code?: string | null;
}

/** The Admin API's `extensions.cost` (calculated query cost and the shop's leaky bucket). */
export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

export interface CallResult {
  userErrors: UserError[];
  cost: QueryCost | null;
}

export interface MetafieldsSetClient {
  /** GID of the shop (owner of shop metafields). */
  shopGid(): Promise<string>;
  /** At most 25 metafields; atomic on Shopify's side. */
  metafieldsSet(metafields: MetafieldsSetInput[]): Promise<CallResult>;
  metafieldsDelete(metafields: MetafieldIdentifierInput[]): Promise<CallResult>;
  metafieldDefinitionCreate(definition: Record<string, unknown>): Promise<CallResult>;
  metafieldDefinitionUpdate(definition: Record<string, unknown>): Promise<CallResult>;
}

export type AdminGraphql = (
  document: string,
  variables?: Record<string, unknown>,
) => Promise<{ data?: Record<string, unknown> | null; errors?: unknown; extensions?: { cost?: QueryCost } }>;

export class AdminCallError extends Error {
  override name = "AdminCallError";
}

/** Shopify refused the call for lack of query cost; nothing was applied. `cost` says when the bucket refills. */
export class ThrottledError extends AdminCallError {
  override name = "ThrottledError";
  constructor(readonly cost: QueryCost | null) {
    super("Throttled by Shopify's Admin API");
  }
}

function isThrottled(errors: unknown): boolean {
  return Array.isArray(errors) && errors.some((error) => (error as { extensions?: { code?: string } })?.extensions?.code === "THROTTLED");
}

export function metafieldsClient(graphql: AdminGraphql): MetafieldsSetClient {
  const call = async (document: string, field: string, variables?: Record<string, unknown>) => {
    const response = await graphql(document, variables);
    if (isThrottled(response.errors)) throw new ThrottledError(response.extensions?.cost ?? null);
    if (response.errors) throw new AdminCallError(`${field}: ${JSON.stringify(response.errors)}`);
    const payload = response.data?.[field] as { userErrors?: UserError[] } | null | undefined;
    return { userErrors: payload?.userErrors ?? [], cost: response.extensions?.cost ?? null };
  };
  return {
    async shopGid() {
      const response = await graphql(SHOP_ID);
      if (isThrottled(response.errors)) throw new ThrottledError(response.extensions?.cost ?? null);
      const id = (response.data?.shop as { id?: string } | undefined)?.id;
      if (!id) throw new AdminCallError(`shop id: ${JSON.stringify(response.errors ?? response.data)}`);
      return id;
    },
    metafieldsSet: (metafields) => call(METAFIELDS_SET, "metafieldsSet", { metafields }),
    metafieldsDelete: (metafields) => call(METAFIELDS_DELETE, "metafieldsDelete", { metafields }),
    metafieldDefinitionCreate: (definition) => call(METAFIELD_DEFINITION_CREATE, "metafieldDefinitionCreate", { definition }),
    metafieldDefinitionUpdate: (definition) => call(METAFIELD_DEFINITION_UPDATE, "metafieldDefinitionUpdate", { definition }),
  };
}
