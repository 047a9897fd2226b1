import { readFileSync } from "node:fs";
import { buildSchema, getVariableValues, parse, validate } from "graphql";
import type { GraphQLSchema, OperationDefinitionNode } from "graphql";
import { createAdminClient } from "~/shopify-admin/client";
import type { AdminClient } from "~/shopify-admin/client";
import { createCostBuckets } from "~/shopify-admin/cost-bucket";
import type { QueryCost } from "~/shopify-admin/cost-bucket";
import { adminGraphqlFunction } from "~/shopify-admin/graphql-function";
import { createLogger } from "~/logging/logger";
import type { AdminGraphql } from "~/publish/metafields-client";
import { sharedDataPath } from "./shared-data";

// Shopify's side of the metafield writes, faithfully enough to test the publisher against: every document is
// validated against the Admin schema (the 2025-10 SDL in ../shared/data, which has metafieldsDelete) and its
// variables coerced by graphql-js, so an unknown field or a malformed input fails; metafieldsSet refuses more than
// 25 inputs and blank values and is atomic; `$app` resolves to the app's namespace; cost follows the leaky bucket
// (extensions.cost.throttleStatus) and a call the bucket cannot pay is THROTTLED.

let schema: GraphQLSchema | undefined;

function adminSchema(): GraphQLSchema {
  schema ??= buildSchema(
    readFileSync(sharedDataPath("shopify-admin-graphql", "admin-unstable-2025-10-09.schema.graphql"), "utf8"),
    { assumeValidSDL: true },
  );
  return schema;
}

export interface FakeShopifyOptions {
  appNamespace?: string;
  bucket?: { maximumAvailable: number; restoreRate: number };
  /** From this call number on (1-based), the connection is lost before Shopify applies anything. */
  failFromCall?: number;
}

export interface FakeShopify {
  /** Cadence's real Admin client (pacing, retries, errors) talking to this fake over its fetch. */
  admin: AdminClient;
  /** adminGraphqlFunction(admin): what metafieldsClient takes. */
  graphql: AdminGraphql;
  /** Stops losing the connection (failFromCall). */
  reconnect(): void;
  /** ownerId → key → { type, value }, with `$app` resolved. */
  metafields: Map<string, Map<string, { type: string; value: string }>>;
  calls: Array<{ operation: string; variables: Record<string, unknown> }>;
  /** How many times each ownerId/key was set or deleted. */
  writes: Map<string, number>;
  /** Advances the fake clock (the Admin client's sleep). */
  sleep(ms: number): Promise<void>;
  /** Answers that were THROTTLED (nothing applied). */
  throttled: number;
  slept: number[];
}

const CALL_COST = 10;
export const SHOP_GID = "gid://shopify/Shop/1";

export function fakeShopify(options: FakeShopifyOptions = {}): FakeShopify {
  const namespace = options.appNamespace ?? "app--1234";
  const bucket = options.bucket ?? { maximumAvailable: 2000, restoreRate: 100 };
  let available = bucket.maximumAvailable;
  let clockMs = 0;
  let lastRefill = 0;
  let failing = true;
  const answer = async (document: string, variables: Record<string, unknown>) => {
    const ast = parse(document);
    const errors = validate(adminSchema(), ast);
    if (errors.length)
      throw new Error(
        `document does not validate against the Admin schema: ${errors.map((error) => error.message).join("; ")}`,
      );
    const operation = ast.definitions.find(
      (definition): definition is OperationDefinitionNode => definition.kind === "OperationDefinition",
    );
    if (!operation) throw new Error("no operation in the document");
    const coerced = getVariableValues(adminSchema(), operation.variableDefinitions ?? [], variables);
    if (coerced.errors)
      throw new Error(
        `variables do not match the Admin schema: ${coerced.errors.map((error) => error.message).join("; ")}`,
      );
    fake.calls.push({ operation: operation.name?.value ?? "", variables });
    if (options.failFromCall !== undefined && fake.calls.length >= options.failFromCall && failing) {
      throw new TypeError("fetch failed", { cause: new Error("socket hang up") });
    }

    available = Math.min(bucket.maximumAvailable, available + ((clockMs - lastRefill) / 1000) * bucket.restoreRate);
    lastRefill = clockMs;
    const cost = (actual: number): QueryCost => ({
      requestedQueryCost: CALL_COST,
      actualQueryCost: actual,
      throttleStatus: { ...bucket, currentlyAvailable: available },
    });
    if (available < CALL_COST) {
      fake.throttled += 1;
      return { errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }], extensions: { cost: cost(0) } };
    }
    available -= CALL_COST;
    const field = (operation.selectionSet.selections[0] as { name: { value: string } }).name.value;
    const data = apply(field, coerced.coerced as Record<string, unknown>);
    return { data, extensions: { cost: cost(CALL_COST) } };
  };
  const fake: FakeShopify = {
    metafields: new Map(),
    calls: [],
    writes: new Map(),
    slept: [],
    throttled: 0,
    async sleep(ms) {
      fake.slept.push(ms);
      clockMs += ms;
    },
    reconnect() {
      failing = false;
    },
    admin: undefined as unknown as AdminClient,
    graphql: undefined as unknown as AdminGraphql,
  };
  // Shopify's side of the HTTP exchange: POST /admin/api/<version>/graphql.json with { query, variables }.
  const fetch = async (_url: string, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as { query: string; variables?: Record<string, unknown> };
    const json = await answer(body.query, body.variables ?? {});
    return new Response(JSON.stringify(json), { status: 200, headers: { "Content-Type": "application/json" } });
  };
  fake.admin = createAdminClient({
    shop: "cadence-test.myshopify.com",
    accessToken: "shpat_test",
    fetch,
    sleep: fake.sleep,
    now: () => clockMs,
    random: () => 0,
    buckets: createCostBuckets(),
    logger: createLogger("silent"),
  });
  fake.graphql = adminGraphqlFunction(fake.admin);

  const resolve = (value: string) => (value === "$app" ? namespace : value.replace(/^\$app:/, `${namespace}--`));
  const count = (ownerId: string, key: string) =>
    fake.writes.set(`${ownerId}/${key}`, (fake.writes.get(`${ownerId}/${key}`) ?? 0) + 1);

  function apply(field: string, variables: Record<string, unknown>): Record<string, unknown> {
    switch (field) {
      case "shop":
        return { shop: { id: SHOP_GID } };
      case "metafieldsSet": {
        const inputs = variables.metafields as Array<{
          ownerId: string;
          namespace: string;
          key: string;
          type: string;
          value: string;
        }>;
        const userErrors = [];
        if (inputs.length > 25)
          userErrors.push({
            field: ["metafields"],
            message: "Exceeded the maximum metafields input limit of 25.",
            code: "LESS_THAN_OR_EQUAL_TO",
            elementIndex: null,
          });
        inputs.forEach((input, index) => {
          if (input.value === "")
            userErrors.push({
              field: ["metafields", String(index), "value"],
              message: "Value can't be blank.",
              code: "BLANK",
              elementIndex: index,
            });
        });
        if (userErrors.length) return { metafieldsSet: { metafields: [], userErrors } };
        for (const input of inputs) {
          const owner = fake.metafields.get(input.ownerId) ?? new Map();
          owner.set(input.key, { type: input.type, value: input.value });
          fake.metafields.set(input.ownerId, owner);
          count(input.ownerId, input.key);
        }
        return {
          metafieldsSet: {
            metafields: inputs.map((input) => ({
              key: input.key,
              namespace: resolve(input.namespace),
              ownerType: input.ownerId.includes("/Shop/") ? "SHOP" : "CUSTOMER",
            })),
            userErrors: [],
          },
        };
      }
      case "metafieldsDelete": {
        const inputs = variables.metafields as Array<{ ownerId: string; namespace: string; key: string }>;
        const deleted = inputs.map((input) => {
          const existed = fake.metafields.get(input.ownerId)?.delete(input.key) ?? false;
          count(input.ownerId, input.key);
          return existed ? { key: input.key, namespace: resolve(input.namespace), ownerId: input.ownerId } : null;
        });
        return { metafieldsDelete: { deletedMetafields: deleted, userErrors: [] } };
      }
      case "metafieldDefinitionCreate": {
        const definition = variables.definition as { key: string; namespace: string; ownerType: string };
        return {
          metafieldDefinitionCreate: {
            createdDefinition: {
              id: `gid://shopify/MetafieldDefinition/${definition.key}`,
              key: definition.key,
              namespace: resolve(definition.namespace),
              ownerType: definition.ownerType,
            },
            userErrors: [],
          },
        };
      }
      default:
        throw new Error(`the fake Shopify does not implement ${field}`);
    }
  }
  return fake;
}
