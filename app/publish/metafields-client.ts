import {
  METAFIELDS_DELETE,
  METAFIELDS_SET,
  METAFIELD_DEFINITION_CREATE,
  METAFIELD_DEFINITION_UPDATE,
  SHOP_ID,
} from "./admin-documents";

// How the publisher reaches Shopify. Only app/shopify-admin/ talks to the Admin API: it provides an
// `AdminGraphql` function (document + variables → the response's data; adminGraphqlFunction), and
// `metafieldsClient(graphql)` turns it into the calls the publisher makes. Tests run the same Admin client against a
// faithful double of Shopify's side (test/support/shopify-metafields.ts).

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

export interface CallResult {
  userErrors: UserError[];
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

/** A GraphQL call through the Admin client (adminGraphqlFunction): errors, throttling and retries are handled there. */
export type AdminGraphql = (
  document: string,
  variables?: Record<string, unknown>,
) => Promise<{ data?: Record<string, unknown> | null }>;

export class AdminCallError extends Error {
  override name = "AdminCallError";
}

export function metafieldsClient(graphql: AdminGraphql): MetafieldsSetClient {
  const call = async (document: string, field: string, variables?: Record<string, unknown>) => {
    const response = await graphql(document, variables);
    const payload = response.data?.[field] as { userErrors?: UserError[] } | null | undefined;
    return { userErrors: payload?.userErrors ?? [] };
  };
  return {
    async shopGid() {
      const response = await graphql(SHOP_ID);
      const id = (response.data?.shop as { id?: string } | undefined)?.id;
      if (!id) throw new AdminCallError(`shop id: ${JSON.stringify(response.data)}`);
      return id;
    },
    metafieldsSet: (metafields) => call(METAFIELDS_SET, "metafieldsSet", { metafields }),
    metafieldsDelete: (metafields) => call(METAFIELDS_DELETE, "metafieldsDelete", { metafields }),
    metafieldDefinitionCreate: (definition) =>
      call(METAFIELD_DEFINITION_CREATE, "metafieldDefinitionCreate", { definition }),
    metafieldDefinitionUpdate: (definition) =>
      call(METAFIELD_DEFINITION_UPDATE, "metafieldDefinitionUpdate", { definition }),
  };
}
