import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { execute, getVariableValues, Kind, parse } from "graphql";
import type { DocumentNode, FieldNode, OperationDefinitionNode, SelectionSetNode, ValueNode } from "graphql";
import { ADMIN_API_VERSION } from "~/shopify-admin/api-version";
import { loadAdminSchema, NEWEST_ADMIN_SCHEMA, validateDocument } from "./admin-schema";

// A stand-in for Shopify's Admin GraphQL API, faithful where Cadence depends on it: the endpoint and access-token
// header of the declared API version, every document validated against the newest offline schema with deprecated
// fields refused (admin-schema.ts), a cost-based leaky bucket per shop answering THROTTLED (HTTP 200) with
// extensions.cost.throttleStatus, Shopify's single-query cost ceiling, HTTP failures on demand, bulk operations whose
// JSONL result is downloaded from a signed-looking URL, and a record of which operation ran with which variables.
// Variables are coerced against the schema's input types, and every answer a resolver gives is executed against the
// schema (non-null fields present, enums valid, union members named), so a test's
// Shopify cannot answer in a shape Shopify would not. Any request it does not know fails the test
// (onUnhandledRequest: "error").

export interface AdminCall {
  operationName: string;
  variables: Record<string, unknown>;
  /** What the mock answered: data, throttled, an HTTP status, or a dropped connection. */
  answer: "data" | "throttled" | "graphql-error" | `http-${number}` | "network-error";
}

export type Failure =
  | { status: number; retryAfter?: string }
  | { networkError: true }
  | { graphQLError: { message: string; code: string } };

export type Resolver = (variables: Record<string, unknown>, mock: AdminApiMock) => unknown;

export interface BulkOperationState {
  id: string;
  query: string;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELED" | "EXPIRED";
  errorCode: string | null;
  objectCount: number;
  rootObjectCount: number;
  /** The JSONL result, produced when downloaded (so a test can stream a large generated file). */
  jsonl: (() => AsyncIterable<string> | Iterable<string>) | null;
  createdAt: string;
  completedAt: string | null;
}

export interface AdminMockOptions {
  shop: string;
  accessToken: string;
  apiVersion?: string;
  /** Shopify Standard: 1,000 points, refilled at 100 per second. */
  bucket?: { maximumAvailable: number; restoreRate: number };
  /** The clock the bucket refills by; share it with the client under test to make throttling deterministic. */
  now?: () => number;
  resolvers?: Record<string, Resolver>;
}

const MAX_QUERY_COST = 1000;
const STORAGE_ORIGIN = "https://storage.googleapis.test";

function argumentValue(node: ValueNode | undefined, variables: Record<string, unknown>): unknown {
  if (!node) return undefined;
  if (node.kind === Kind.VARIABLE) return variables[node.name.value];
  if (node.kind === Kind.INT) return Number(node.value);
  return undefined;
}

/**
 * Shopify's requested cost, as documented: a scalar costs 0, an object 1, a connection 2 plus `first` times its
 * node's cost, a list with `first` that many times its element's cost; a mutation field costs 10, so a document of
 * several aliased mutations costs 10 for each.
 */
export function requestedCost(document: DocumentNode, variables: Record<string, unknown>): number {
  const definition = document.definitions[0];
  if (!definition || definition.kind !== Kind.OPERATION_DEFINITION) return 0;
  if (definition.operation === "mutation") return 10 * definition.selectionSet.selections.length;
  const costOf = (selectionSet: SelectionSetNode | undefined): number => {
    if (!selectionSet) return 0;
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) total += costOf(selection.selectionSet);
      if (selection.kind !== Kind.FIELD) continue;
      total += fieldCost(selection);
    }
    return total;
  };
  const fieldCost = (field: FieldNode): number => {
    if (!field.selectionSet) return 0;
    if (field.name.value === "pageInfo") return 0;
    const first = argumentValue(field.arguments?.find((argument) => argument.name.value === "first")?.value, variables);
    const children = field.selectionSet.selections.filter(
      (selection): selection is FieldNode => selection.kind === Kind.FIELD,
    );
    const connectionNode = children.find((child) => child.name.value === "nodes" || child.name.value === "edges");
    if (typeof first === "number" && connectionNode) {
      const nodeSelection =
        connectionNode.name.value === "edges"
          ? connectionNode.selectionSet?.selections.find(
              (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === "node",
            )?.selectionSet
          : connectionNode.selectionSet;
      return 2 + first * (1 + costOf(nodeSelection));
    }
    if (typeof first === "number") return first * (1 + costOf(field.selectionSet));
    if (field.name.value === "nodes") {
      const ids = argumentValue(field.arguments?.find((argument) => argument.name.value === "ids")?.value, variables);
      return (Array.isArray(ids) ? ids.length : 1) * (1 + costOf(field.selectionSet));
    }
    return 1 + costOf(field.selectionSet);
  };
  return costOf(definition.selectionSet);
}

/**
 * Thrown by a resolver that has applied its change: the mock then drops the connection, as a timeout after Shopify's
 * write would, so the caller cannot know the mutation ran.
 */
export class ConnectionDropped extends Error {
  override name = "ConnectionDropped";
}

const name = NEWEST_ADMIN_SCHEMA;

/** The variables as Shopify would coerce them for the operation's declared types (one-of inputs included). */
function invalidVariables(document: DocumentNode, variables: Record<string, unknown>): string[] {
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (!operation) return [];
  return (getVariableValues(loadAdminSchema(), operation.variableDefinitions ?? [], variables).errors ?? []).map(
    (error) => `${name}: ${error.message}`,
  );
}

/** A resolver's data run through the document against the schema: what Shopify could not have answered. */
function invalidAnswer(document: DocumentNode, variables: Record<string, unknown>, data: unknown): string[] {
  const result = execute({ schema: loadAdminSchema(), document, rootValue: data, variableValues: variables });
  if (result instanceof Promise) return [`${name}: the answer could not be checked synchronously`];
  return (result.errors ?? []).map((error) => `${name}: ${error.path?.join(".") ?? ""}: ${error.message}`);
}

export class AdminApiMock {
  readonly calls: AdminCall[] = [];
  /** Documents that failed schema validation; a test must leave this empty. */
  readonly invalidDocuments: Array<{ operationName: string; errors: string[] }> = [];
  readonly bulkOperations = new Map<string, BulkOperationState>();
  readonly downloads: string[] = [];
  private readonly failures: Array<{ operationName: string; failure: Failure }> = [];
  private readonly resolvers: Record<string, Resolver>;
  private readonly bucket: { maximumAvailable: number; restoreRate: number; available: number; at: number };
  private readonly now: () => number;
  private nextBulkId = 1000;
  readonly server: ReturnType<typeof setupServer>;

  constructor(readonly options: AdminMockOptions) {
    this.now = options.now ?? Date.now;
    const bucket = options.bucket ?? { maximumAvailable: 1000, restoreRate: 100 };
    this.bucket = { ...bucket, available: bucket.maximumAvailable, at: this.now() };
    this.resolvers = { ...this.bulkResolvers(), ...(options.resolvers ?? {}) };
    // Only the declared version's endpoint answers: a request to another version is unhandled and fails the test.
    const endpoint = `https://${options.shop}/admin/api/${options.apiVersion ?? ADMIN_API_VERSION}/graphql.json`;
    this.server = setupServer(
      http.post(endpoint, async ({ request }) => this.answer(request)),
      http.get(`${STORAGE_ORIGIN}/bulk/:id`, ({ params }) => this.download(String(params.id))),
    );
  }

  start(): this {
    this.server.listen({ onUnhandledRequest: "error" });
    return this;
  }

  stop(): void {
    this.server.close();
  }

  resolve(operationName: string, resolver: Resolver): this {
    this.resolvers[operationName] = resolver;
    return this;
  }

  /** The next call of `operationName` ("*" for any) fails this way. Queue several for several failures. */
  failNext(operationName: string, failure: Failure): this {
    this.failures.push({ operationName, failure });
    return this;
  }

  /** Empties the bucket, as if other work of the app had just spent it. */
  drainBucket(): void {
    this.refill();
    this.bucket.available = 0;
  }

  callsOf(operationName: string): AdminCall[] {
    return this.calls.filter((call) => call.operationName === operationName);
  }

  /** Finishes a bulk operation with the given JSONL lines (or a generator of them). */
  completeBulk(
    id: string,
    jsonl: () => AsyncIterable<string> | Iterable<string>,
    counts: { objects: number; roots: number },
  ): BulkOperationState {
    const operation = this.bulkOperations.get(id);
    if (!operation) throw new Error(`no bulk operation ${id}`);
    Object.assign(operation, {
      status: "COMPLETED",
      jsonl,
      objectCount: counts.objects,
      rootObjectCount: counts.roots,
      completedAt: new Date(this.now()).toISOString(),
    });
    return operation;
  }

  failBulk(id: string, errorCode: string): void {
    const operation = this.bulkOperations.get(id);
    if (!operation) throw new Error(`no bulk operation ${id}`);
    Object.assign(operation, { status: "FAILED", errorCode, completedAt: new Date(this.now()).toISOString() });
  }

  bulkUrl(id: string): string {
    return `${STORAGE_ORIGIN}/bulk/${encodeURIComponent(id)}?X-Goog-Signature=mock`;
  }

  private refill(): void {
    const now = this.now();
    const elapsed = Math.max(0, now - this.bucket.at) / 1000;
    this.bucket.available = Math.min(
      this.bucket.maximumAvailable,
      this.bucket.available + elapsed * this.bucket.restoreRate,
    );
    this.bucket.at = now;
  }

  private throttleStatus() {
    return {
      maximumAvailable: this.bucket.maximumAvailable,
      currentlyAvailable: Math.floor(this.bucket.available),
      restoreRate: this.bucket.restoreRate,
    };
  }

  private async answer(request: Request): Promise<Response> {
    if (request.headers.get("x-shopify-access-token") !== this.options.accessToken) {
      return HttpResponse.json(
        { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" },
        { status: 401 },
      );
    }
    const body = (await request.json()) as { query: string; variables?: Record<string, unknown> };
    const variables = body.variables ?? {};
    const document = parse(body.query);
    const definition = document.definitions[0];
    const operationName = definition && "name" in definition && definition.name ? definition.name.value : "(anonymous)";
    const record = (answer: AdminCall["answer"]) => this.calls.push({ operationName, variables, answer });

    const errors = validateDocument(document);
    if (errors.length > 0) {
      this.invalidDocuments.push({ operationName, errors: errors.map((error) => `${error.schema}: ${error.message}`) });
      record("graphql-error");
      return HttpResponse.json({
        errors: errors.map((error) => ({ message: error.message, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } })),
      });
    }
    const variableErrors = invalidVariables(document, variables);
    if (variableErrors.length > 0) {
      this.invalidDocuments.push({ operationName, errors: variableErrors });
      record("graphql-error");
      return HttpResponse.json({
        errors: variableErrors.map((message) => ({ message, extensions: { code: "INVALID_VARIABLE" } })),
      });
    }

    const failureIndex = this.failures.findIndex(
      (entry) => entry.operationName === operationName || entry.operationName === "*",
    );
    if (failureIndex !== -1) {
      const { failure } = this.failures.splice(failureIndex, 1)[0]!;
      if ("networkError" in failure) {
        record("network-error");
        return HttpResponse.error();
      }
      if ("status" in failure) {
        record(`http-${failure.status}`);
        return new HttpResponse(failure.status >= 500 ? "<html>Internal error</html>" : "{}", {
          status: failure.status,
          headers: failure.retryAfter ? { "Retry-After": failure.retryAfter } : {},
        });
      }
      record("graphql-error");
      return HttpResponse.json({
        errors: [{ message: failure.graphQLError.message, extensions: { code: failure.graphQLError.code } }],
      });
    }

    const cost = requestedCost(document, variables);
    this.refill();
    if (cost > MAX_QUERY_COST) {
      record("graphql-error");
      return HttpResponse.json({
        errors: [
          {
            message: `Query cost is ${cost}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).`,
            extensions: { code: "MAX_COST_EXCEEDED", cost, maxCost: MAX_QUERY_COST },
          },
        ],
      });
    }
    if (cost > this.bucket.available) {
      record("throttled");
      return HttpResponse.json({
        errors: [
          {
            message: "Throttled",
            extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
          },
        ],
        extensions: {
          cost: { requestedQueryCost: cost, actualQueryCost: null, throttleStatus: this.throttleStatus() },
        },
      });
    }
    const resolver = this.resolvers[operationName];
    if (!resolver) throw new Error(`The Admin API mock has no resolver for ${operationName}`);
    let data: unknown;
    try {
      data = resolver(variables, this);
    } catch (error) {
      if (!(error instanceof ConnectionDropped)) throw error;
      this.bucket.available -= cost;
      record("network-error");
      return HttpResponse.error();
    }
    const shapeErrors = invalidAnswer(document, variables, data);
    if (shapeErrors.length > 0)
      this.invalidDocuments.push({ operationName: `${operationName} (the mock's answer)`, errors: shapeErrors });
    this.bucket.available -= cost;
    record("data");
    return HttpResponse.json({
      data,
      extensions: { cost: { requestedQueryCost: cost, actualQueryCost: cost, throttleStatus: this.throttleStatus() } },
    });
  }

  private bulkResolvers(): Record<string, Resolver> {
    const view = (operation: BulkOperationState) => ({
      __typename: "BulkOperation",
      id: operation.id,
      status: operation.status,
      errorCode: operation.errorCode,
      objectCount: String(operation.objectCount),
      rootObjectCount: String(operation.rootObjectCount),
      url: operation.status === "COMPLETED" ? this.bulkUrl(operation.id) : null,
      partialDataUrl: null,
      createdAt: operation.createdAt,
      completedAt: operation.completedAt,
    });
    return {
      BulkOperationRunQuery: (variables) => {
        const query = String(variables.query);
        const queryErrors = validateDocument(query);
        if (queryErrors.length > 0) {
          this.invalidDocuments.push({
            operationName: "bulk query",
            errors: queryErrors.map((error) => `${error.schema}: ${error.message}`),
          });
          return {
            bulkOperationRunQuery: {
              bulkOperation: null,
              userErrors: [{ field: ["query"], message: "Invalid bulk query", code: "INVALID" }],
            },
          };
        }
        const id = `gid://shopify/BulkOperation/${(this.nextBulkId += 1)}`;
        this.bulkOperations.set(id, {
          id,
          query,
          status: "RUNNING",
          errorCode: null,
          objectCount: 0,
          rootObjectCount: 0,
          jsonl: null,
          createdAt: new Date(this.now()).toISOString(),
          completedAt: null,
        });
        return { bulkOperationRunQuery: { bulkOperation: { id, status: "CREATED" }, userErrors: [] } };
      },
      BulkOperationById: (variables) => {
        const operation = this.bulkOperations.get(String(variables.id));
        return { node: operation ? view(operation) : null };
      },
    };
  }

  private download(encodedId: string): Response {
    const id = decodeURIComponent(encodedId);
    const operation = this.bulkOperations.get(id);
    if (!operation?.jsonl) return new HttpResponse("AccessDenied", { status: 403 });
    this.downloads.push(id);
    const lines = operation.jsonl();
    const encoder = new TextEncoder();
    const iterator =
      Symbol.asyncIterator in lines ? lines[Symbol.asyncIterator]() : (lines as Iterable<string>)[Symbol.iterator]();
    // Streamed in chunks of many lines, the way a large file arrives: never held whole in memory.
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        let chunk = "";
        while (chunk.length < 64_000) {
          const next = await iterator.next();
          if (next.done) {
            if (chunk) controller.enqueue(encoder.encode(chunk));
            controller.close();
            return;
          }
          chunk += `${next.value}\n`;
        }
        controller.enqueue(encoder.encode(chunk));
      },
    });
    return new HttpResponse(stream, { headers: { "Content-Type": "application/jsonl" } });
  }
}
