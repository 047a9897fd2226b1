// The one Admin GraphQL client. Shopify's @shopify/admin-api-client does the transport (URL, headers, JSON);
// this layer adds what it lacks: cost-based pacing, retries that understand THROTTLED (an HTTP 200), and typed
// errors. The library's own `retries` stays 0: it would retry 429/503 only, with a fixed 1 s wait, blind to the
// cost bucket, and stacked under our retries it would multiply the attempts.
import { createAdminApiClient } from "@shopify/admin-api-client";
import type { ClientResponse, GraphQLError } from "@shopify/admin-api-client";
import { logger as sharedLogger } from "~/logging/logger";
import type { Logger } from "~/logging/logger";
import { ADMIN_API_VERSION } from "./api-version";
import { backoffDelay, DEFAULT_BACKOFF, parseRetryAfter } from "./backoff";
import type { BackoffPolicy } from "./backoff";
import { sharedCostBuckets } from "./cost-bucket";
import type { CostBuckets, QueryCost, ThrottleStatus } from "./cost-bucket";
import { AdminApiError } from "./errors";
import type { AdminApiErrorKind, AdminGraphQLErrorDetail } from "./errors";
import type { AdminOperation } from "./operation";

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export interface AdminClientOptions {
  /** The shop's myshopify domain, e.g. "cadence-demo.myshopify.com". */
  shop: string;
  /**
   * The token, or where to get the current one. A function is asked before every request (each page, each batch of
   * a job), so a job that outlives an expiring offline token (an hour) goes on with the refreshed one.
   */
  accessToken: string | (() => Promise<string>);
  apiVersion?: string;
  /** Defaults to the global fetch, looked up per request so a test's network mock installed later still applies. */
  fetch?: FetchLike;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Source of jitter, in [0, 1). */
  random?: () => number;
  logger?: Logger;
  /** Total attempts per request, the first included. */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  /** Per-shop bucket estimates; shared by all clients of the process unless a test passes its own. */
  buckets?: CostBuckets;
  /** Abort an attempt that has not answered after this long; it then counts as a network error. */
  timeoutMs?: number;
}

type VariablesArg<TVariables> = [TVariables] extends [Record<string, never>]
  ? [variables?: TVariables]
  : [variables: TVariables];

export interface AdminClient {
  readonly shop: string;
  readonly apiVersion: string;
  /** Runs an operation and returns its data; throws AdminApiError. Mutation userErrors are the caller's to check. */
  request<TData, TVariables extends Record<string, unknown>>(
    operation: AdminOperation<TData, TVariables>,
    ...variables: VariablesArg<TVariables>
  ): Promise<TData>;
  /** The current estimate of the shop's cost bucket, if a response has reported it. */
  throttleStatus(): ThrottleStatus | undefined;
}

const DEFAULT_MAX_ATTEMPTS = 5;
const DEFAULT_TIMEOUT_MS = 60_000;
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The last requestedQueryCost Shopify reported per operation; the best guess for the next call's cost. */
const knownCosts = new WeakMap<object, number>();

interface Failure {
  kind: AdminApiErrorKind;
  detail: string;
  status?: number;
  retryable: boolean;
  /** Minimum wait before retrying, from Retry-After or the cost bucket. */
  waitMs?: number;
  graphQLErrors?: AdminGraphQLErrorDetail[];
}

export function createAdminClient(options: AdminClientOptions): AdminClient {
  const shop = options.shop;
  const tokenSource = options.accessToken;
  const currentToken = typeof tokenSource === "string" ? async () => tokenSource : tokenSource;
  const apiVersion = options.apiVersion ?? ADMIN_API_VERSION;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const log = options.logger ?? sharedLogger();
  const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const buckets = options.buckets ?? sharedCostBuckets;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fetchImpl: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));

  // Shopify's client fixes its token when made (a per-request header cannot override it), so a new token gets a new
  // transport: the one client object a job holds goes on across a token refresh.
  const transportFor = (accessToken: string) =>
    createAdminApiClient({
      storeDomain: shop,
      apiVersion,
      accessToken,
      userAgentPrefix: "Cadence",
      retries: 0,
      customFetchApi: (url, init) => fetchImpl(url, init),
      // The library logs whole request params, headers (and so the access token) included: pass on only notices.
      logger: (entry) => {
        if (entry.type === "HTTP-Response-GraphQL-Deprecation-Notice") {
          log.warn("shopify-admin: deprecated API use", { shop, notice: String(entry.content.deprecationNotice) });
        } else if ((entry.type as string) === "Unsupported_Api_Version") {
          log.warn("shopify-admin: API version not currently supported", { shop, apiVersion });
        }
      },
    });
  let transport: { token: string; client: ReturnType<typeof createAdminApiClient> } | undefined;
  const currentTransport = async () => {
    const token = await currentToken();
    if (transport?.token !== token) transport = { token, client: transportFor(token) };
    return transport.client;
  };

  const expectedCost = (operation: object & { estimatedCost?: number }) =>
    knownCosts.get(operation) ?? operation.estimatedCost ?? 0;

  const classify = (
    response: ClientResponse,
    operation: AdminOperation<unknown, Record<string, unknown>>,
  ): Failure | undefined => {
    const errors = response.errors;
    if (!errors) return undefined;
    const status = errors.networkStatusCode;
    const retryableIfIdempotent = operation.idempotent;
    if (status === undefined) {
      return { kind: "network", detail: errors.message ?? "no response", retryable: retryableIfIdempotent };
    }
    if (status === 401 || status === 403) {
      return { kind: "unauthorized", status, detail: "the access token was rejected", retryable: false };
    }
    if (status === 429) {
      const waitMs = parseRetryAfter(errors.response?.headers.get("Retry-After"), now());
      return {
        kind: "throttled",
        status,
        detail: "HTTP 429",
        retryable: true,
        ...(waitMs === undefined ? {} : { waitMs }),
      };
    }
    if (status >= 500) return { kind: "server", status, detail: `HTTP ${status}`, retryable: retryableIfIdempotent };
    if (status >= 400) return { kind: "http", status, detail: `HTTP ${status}`, retryable: false };
    const graphQLErrors = (errors.graphQLErrors ?? []).map(toDetail);
    if (graphQLErrors.length === 0) {
      // A 200 without data or errors, or a body that is not JSON: Shopify's edge misbehaving, not our request.
      return {
        kind: "server",
        status,
        detail: errors.message ?? "unreadable response",
        retryable: retryableIfIdempotent,
      };
    }
    const detail = graphQLErrors.map((error) => error.message).join("; ");
    if (graphQLErrors.some((error) => error.code === "THROTTLED")) {
      const requested = response.extensions?.cost?.requestedQueryCost ?? expectedCost(operation);
      return {
        kind: "throttled",
        status,
        detail,
        graphQLErrors,
        retryable: true,
        waitMs: buckets.waitFor(shop, requested, now()),
      };
    }
    if (graphQLErrors.some((error) => error.code === "INTERNAL_SERVER_ERROR")) {
      return { kind: "server", status, detail, graphQLErrors, retryable: retryableIfIdempotent };
    }
    return { kind: "graphql", status, detail, graphQLErrors, retryable: false };
  };

  const observeCost = (operation: object, cost: QueryCost | undefined) => {
    if (!cost) return;
    if (typeof cost.requestedQueryCost === "number") knownCosts.set(operation, cost.requestedQueryCost);
    const status = cost.throttleStatus;
    if (status && [status.maximumAvailable, status.currentlyAvailable, status.restoreRate].every(Number.isFinite)) {
      buckets.observe(shop, status, now());
    }
  };

  async function request<TData, TVariables extends Record<string, unknown>>(
    operation: AdminOperation<TData, TVariables>,
    ...args: VariablesArg<TVariables>
  ): Promise<TData> {
    const variables = args[0];
    const op = operation as AdminOperation<unknown, Record<string, unknown>>;
    for (let attempt = 1; ; attempt++) {
      const cost = expectedCost(op);
      const wait = buckets.waitFor(shop, cost, now());
      if (wait > 0) {
        log.debug("shopify-admin: waiting for cost bucket", { shop, operation: op.name, waitMs: wait, cost });
        await sleep(wait);
      }
      buckets.reserve(shop, cost, now());

      const response = (await (
        await currentTransport()
      ).request(op.document, {
        ...(variables ? { variables } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      })) as ClientResponse<TData>;
      observeCost(op, response.extensions?.cost as QueryCost | undefined);

      const failure = classify(response, op);
      // An error answer's body is never read: release the connection instead of leaving it to the collector (not
      // awaited: a cancelled stream's source may never acknowledge).
      if (failure) void response.errors?.response?.body?.cancel().catch(() => undefined);
      if (!failure) {
        if (response.data === undefined) {
          throw new AdminApiError("server", op.name, "the response had no data", { status: 200, attempts: attempt });
        }
        return response.data;
      }
      if (!failure.retryable || attempt >= maxAttempts) {
        throw new AdminApiError(failure.kind, op.name, failure.detail, {
          ...(failure.status === undefined ? {} : { status: failure.status }),
          attempts: attempt,
          ...(failure.graphQLErrors ? { graphQLErrors: failure.graphQLErrors } : {}),
        });
      }
      const delay = Math.max(backoffDelay(attempt, backoff, random), failure.waitMs ?? 0);
      log.warn("shopify-admin: retrying", {
        shop,
        operation: op.name,
        kind: failure.kind,
        status: failure.status,
        attempt,
        delayMs: delay,
      });
      await sleep(delay);
    }
  }

  return {
    shop,
    apiVersion,
    request,
    throttleStatus: () => buckets.estimate(shop, now()),
  };
}

function toDetail(error: GraphQLError): AdminGraphQLErrorDetail {
  const code = error.extensions?.code;
  return {
    message: error.message,
    ...(typeof code === "string" ? { code } : {}),
    ...(error.path ? { path: error.path } : {}),
  };
}
