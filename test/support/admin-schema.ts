// The Admin GraphQL schema every document Cadence sends is checked against: the newest one available offline
// (/work/shared/data/README.md §3), Shopify's public unstable schema of 2025-10-09. A document must be valid there and
// must use nothing that schema marks deprecated (graphql-js's NoDeprecatedCustomRule), so Cadence is off fields that
// Shopify is removing, such as discount `customerSelection` (use `context`) and `Customer.emailMarketingConsent`,
// deprecated in 2025-10.
//
// The declared version, 2026-04 (app/shopify-admin/api-version.ts), has no schema offline; the Admin mock serves only
// that version's endpoint, so a request to any other version fails its test. The stable 2025-01 schema is no longer
// a second check: it predates `context`, which replaced `customerSelection` in 2025-04, so no document can be valid in
// 2025-01 and free of deprecated fields in 2025-10 at once.
import { readFileSync } from "node:fs";
import { buildSchema, NoDeprecatedCustomRule, parse, specifiedRules, validate } from "graphql";
import type { DocumentNode, GraphQLError, GraphQLSchema } from "graphql";
import { sharedDataPath } from "./shared-data";

export const NEWEST_ADMIN_SCHEMA = "admin-unstable-2025-10-09";
export type AdminSchemaName = typeof NEWEST_ADMIN_SCHEMA;

export interface SchemaValidationError {
  schema: AdminSchemaName;
  message: string;
  locations?: ReadonlyArray<{ line: number; column: number }>;
}

let cached: GraphQLSchema | undefined;

/** The newest offline Admin schema, parsed once per test worker (about a second). */
export function loadAdminSchema(): GraphQLSchema {
  // assumeValid: the schema is Shopify's own; re-validating 1,800 types on every worker would only cost time.
  cached ??= buildSchema(
    readFileSync(sharedDataPath("shopify-admin-graphql", `${NEWEST_ADMIN_SCHEMA}.schema.graphql`), "utf8"),
    {
      assumeValid: true,
      assumeValidSDL: true,
    },
  );
  return cached;
}

const RULES = [...specifiedRules, NoDeprecatedCustomRule];

/**
 * Errors of the document against the newest schema, deprecated fields, arguments, input fields and enum values
 * included; a syntax error is reported as a validation error. An empty array means Cadence may send it.
 */
export function validateDocument(document: string | DocumentNode): SchemaValidationError[] {
  let errors: readonly GraphQLError[];
  try {
    errors = validate(loadAdminSchema(), typeof document === "string" ? parse(document) : document, RULES);
  } catch (error) {
    errors = [error as GraphQLError];
  }
  return errors.map((error) => ({
    schema: NEWEST_ADMIN_SCHEMA,
    message: error.message,
    ...(error.locations ? { locations: error.locations } : {}),
  }));
}
