// The one error type this module throws. It names the operation and what went wrong, never the shop's access
// token or request headers, so it can be logged and stored in a job's failure record as is.

export type AdminApiErrorKind =
  /** Still THROTTLED or 429 after every attempt: try again later. */
  | "throttled"
  /** 5xx (or an unreadable 200) after every attempt: try again later. */
  | "server"
  /** No HTTP response at all (DNS, reset, timeout) after every attempt: try again later. */
  | "network"
  /** The request was refused as written (invalid field, bad variables, cost too high): a bug, do not retry. */
  | "graphql"
  /** A mutation ran and reported userErrors: the input was rejected. */
  | "user-errors"
  /** 401/403: the token is revoked (the shop uninstalled) or lacks a scope. Retrying cannot help. */
  | "unauthorized"
  /** Any other 4xx, e.g. 402 (shop frozen for non-payment), 404 (shop gone), 423 (shop locked). */
  | "http";

export interface AdminGraphQLErrorDetail {
  message: string;
  code?: string;
  path?: ReadonlyArray<string | number>;
}

export interface AdminUserError {
  field?: ReadonlyArray<string> | null;
  message: string;
  code?: string | null;
}

export interface AdminApiErrorDetails {
  status?: number;
  attempts?: number;
  graphQLErrors?: AdminGraphQLErrorDetail[];
  userErrors?: AdminUserError[];
  cause?: unknown;
}

const RETRY_LATER: ReadonlySet<AdminApiErrorKind> = new Set(["throttled", "server", "network"]);

export class AdminApiError extends Error {
  override readonly name = "AdminApiError";
  readonly kind: AdminApiErrorKind;
  readonly operationName: string;
  readonly status: number | undefined;
  readonly attempts: number;
  readonly graphQLErrors: AdminGraphQLErrorDetail[];
  readonly userErrors: AdminUserError[];

  constructor(kind: AdminApiErrorKind, operationName: string, detail: string, details: AdminApiErrorDetails = {}) {
    super(`Admin API ${operationName} failed (${kind}${details.status ? ` ${details.status}` : ""}): ${detail}`, {
      cause: details.cause,
    });
    this.kind = kind;
    this.operationName = operationName;
    this.status = details.status;
    this.attempts = details.attempts ?? 1;
    this.graphQLErrors = details.graphQLErrors ?? [];
    this.userErrors = details.userErrors ?? [];
  }

  /** True when the same request may succeed later (a job should re-queue rather than fail for good). */
  get retryLater(): boolean {
    return RETRY_LATER.has(this.kind);
  }
}

/** The shop has no Shopify store behind it (the local demo's shop): nothing was sent. */
export class NoShopifyStoreError extends Error {
  override readonly name = "NoShopifyStoreError";
  constructor(readonly shop: string) {
    super(`${shop} is not connected to a Shopify store (it is the local demo's shop), so nothing was sent to Shopify`);
  }
}

export function isAdminApiError(error: unknown, kind?: AdminApiErrorKind): error is AdminApiError {
  return error instanceof AdminApiError && (kind === undefined || error.kind === kind);
}

/**
 * Throws a "user-errors" AdminApiError when a mutation payload reports userErrors. Shopify answers HTTP 200 with
 * the errors inside the payload, so the transport cannot see them: every mutation caller must check.
 */
export function assertNoUserErrors<T extends { userErrors: ReadonlyArray<AdminUserError> }>(
  payload: T | null | undefined,
  operationName: string,
): asserts payload is T {
  if (!payload) throw new AdminApiError("graphql", operationName, "the mutation returned no payload");
  if (payload.userErrors.length === 0) return;
  const rendered = payload.userErrors
    .map(
      (error) =>
        `${error.field?.length ? `${error.field.join(".")}: ` : ""}${error.message}${
          error.code ? ` [${error.code}]` : ""
        }`,
    )
    .join("; ");
  throw new AdminApiError("user-errors", operationName, rendered, {
    userErrors: payload.userErrors.map((error) => ({
      field: error.field ?? null,
      message: error.message,
      code: error.code ?? null,
    })),
  });
}
