// A typed Admin GraphQL operation. TData/TVariables are phantom: they exist only so request() can infer the result
// and variable types from the operation object, the way Shopify's codegen does, without a codegen step.
export interface AdminOperation<TData, TVariables extends Record<string, unknown> = Record<string, never>> {
  /** The operation name in `document`; used in logs, errors and the test mock's call records. */
  readonly name: string;
  readonly kind: "query" | "mutation";
  readonly document: string;
  /**
   * Whether sending it twice is harmless. A 5xx or a dropped connection leaves it unknown whether Shopify ran
   * the operation, so only idempotent operations are retried after those; THROTTLED and 429 are always retried
   * because Shopify did not run the request.
   */
  readonly idempotent: boolean;
  /** Points to reserve before the first call, until a response tells the real requested cost. */
  readonly estimatedCost?: number;
  readonly __types?: { data: TData; variables: TVariables };
}

export type OperationData<T> = T extends AdminOperation<infer D, infer _V> ? D : never;
export type OperationVariables<T> = T extends AdminOperation<infer _D, infer V> ? V : never;

const NAME = /^\s*(query|mutation)\s+([A-Za-z_][A-Za-z0-9_]*)/;

/** Builds an operation, taking its name and kind from the document so the two cannot drift apart. */
export function defineOperation<TData, TVariables extends Record<string, unknown> = Record<string, never>>(
  document: string,
  options: { idempotent?: boolean; estimatedCost?: number } = {},
): AdminOperation<TData, TVariables> {
  const match = NAME.exec(document);
  if (!match?.[1] || !match[2])
    throw new Error("An Admin operation document must start with a named query or mutation");
  const kind = match[1] as "query" | "mutation";
  return {
    name: match[2],
    kind,
    document,
    idempotent: options.idempotent ?? kind === "query",
    ...(options.estimatedCost === undefined ? {} : { estimatedCost: options.estimatedCost }),
  };
}
