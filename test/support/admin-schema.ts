// The two Admin GraphQL schemas available offline (see /work/shared/data/README.md §3 and docs/shopify-admin.md):
// the stable 2025-01 introspection and the unstable 2025-10-09 SDL. A document Cadence sends must be valid in
// both, so it relies only on fields that existed before the app's version (2026-04) and still exist after.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import {
  buildClientSchema,
  buildSchema,
  parse,
  validate,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type IntrospectionQuery,
} from "graphql";
import { sharedDataPath } from "./shared-data";

const DATA_DIR = `${sharedDataPath("shopify-admin-graphql")}/`;

export type AdminSchemaName = "admin-2025-01" | "admin-unstable-2025-10-09";

export interface AdminSchemas {
  readonly "admin-2025-01": GraphQLSchema;
  readonly "admin-unstable-2025-10-09": GraphQLSchema;
}

export interface SchemaValidationError {
  schema: AdminSchemaName;
  message: string;
  locations?: ReadonlyArray<{ line: number; column: number }>;
}

let cached: AdminSchemas | undefined;

/** Both schemas, parsed once per test worker (each costs about a second). */
export function loadAdminSchemas(): AdminSchemas {
  if (cached) return cached;
  const introspection = JSON.parse(
    gunzipSync(readFileSync(DATA_DIR + "admin-2025-01.schema.json.gz")).toString("utf8"),
  ) as { data: IntrospectionQuery };
  // assumeValid: the schemas are Shopify's own; re-validating 2,700 types on every worker would only cost time.
  const stable = buildClientSchema(introspection.data, { assumeValid: true });
  const unstable = buildSchema(readFileSync(DATA_DIR + "admin-unstable-2025-10-09.schema.graphql", "utf8"), {
    assumeValid: true,
    assumeValidSDL: true,
  });
  cached = { "admin-2025-01": stable, "admin-unstable-2025-10-09": unstable };
  return cached;
}

function toErrors(schema: AdminSchemaName, errors: readonly GraphQLError[]): SchemaValidationError[] {
  return errors.map((error) => ({
    schema,
    message: error.message,
    ...(error.locations ? { locations: error.locations } : {}),
  }));
}

/** Validates a document against one schema; a syntax error is reported as a validation error. */
export function validateAgainst(schemaName: AdminSchemaName, document: string | DocumentNode): SchemaValidationError[] {
  let ast: DocumentNode;
  try {
    ast = typeof document === "string" ? parse(document) : document;
  } catch (error) {
    return toErrors(schemaName, [error as GraphQLError]);
  }
  return toErrors(schemaName, validate(loadAdminSchemas()[schemaName], ast));
}

/** Errors of the document against both schemas; an empty array means it is valid in both. */
export function validateDocument(document: string | DocumentNode): SchemaValidationError[] {
  return [...validateAgainst("admin-2025-01", document), ...validateAgainst("admin-unstable-2025-10-09", document)];
}
