import { parse, visit } from "graphql";
import type { FieldNode } from "graphql";
import { describe, expect, test } from "vitest";
import * as appMetafields from "~/shopify-admin/operations/app-metafields";
import * as bulkOperation from "~/shopify-admin/operations/bulk-operation";
import { bulkCustomersQuery, bulkOrdersQuery } from "~/shopify-admin/operations/bulk-queries";
import * as codeDiscounts from "~/shopify-admin/operations/code-discounts";
import * as counts from "~/shopify-admin/operations/counts";
import * as customers from "~/shopify-admin/operations/customers";
import * as orders from "~/shopify-admin/operations/orders";
import * as segments from "~/shopify-admin/operations/segments";
import * as shop from "~/shopify-admin/operations/shop";
import type { AdminOperation } from "~/shopify-admin/operation";
import * as publishDocuments from "~/publish/admin-documents";
import { loadAdminSchema, validateDocument } from "../../support/admin-schema";

// Every document Cadence sends must be valid in the newest Admin schema available offline (the unstable 2025-10-09)
// and use nothing it marks deprecated (see test/support/admin-schema.ts).

function operationsOf(
  module: Record<string, unknown>,
): Array<[string, AdminOperation<unknown, Record<string, unknown>>]> {
  return Object.entries(module).filter(
    (entry): entry is [string, AdminOperation<unknown, Record<string, unknown>>] =>
      typeof entry[1] === "object" && entry[1] !== null && "document" in entry[1] && "kind" in entry[1],
  );
}

const OPERATIONS = [appMetafields, bulkOperation, codeDiscounts, counts, customers, orders, segments, shop].flatMap(
  operationsOf,
);
// The publisher's own documents (sent through adminGraphqlFunction).
const PUBLISH_DOCUMENTS: Array<[string, string]> = Object.entries(publishDocuments as Record<string, unknown>).flatMap(
  ([name, value]) => (typeof value === "string" ? [[name, value] as [string, string]] : []),
);

describe("Admin GraphQL documents", () => {
  loadAdminSchema();

  test("there are operations to check", () => {
    expect(OPERATIONS.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        "BULK_OPERATION_RUN_QUERY",
        "ORDERS_UPDATED_SINCE",
        "ORDER_REFUNDS",
        "CUSTOMERS_UPDATED_SINCE",
        "SHOP_INFO",
        "SEGMENT_CREATE",
        "DISCOUNT_CODE_BASIC_CREATE",
        "APP_CUSTOMER_METAFIELD_DEFINITIONS",
      ]),
    );
  });

  test.each(OPERATIONS)("%s is valid and uses no deprecated field", (_name, operation) => {
    expect(validateDocument(operation.document)).toEqual([]);
  });

  test("the publisher's documents are found", () => {
    expect(PUBLISH_DOCUMENTS.map(([name]) => name)).toEqual(
      expect.arrayContaining(["METAFIELDS_SET", "METAFIELDS_DELETE", "METAFIELD_DEFINITION_CREATE"]),
    );
  });

  test.each(PUBLISH_DOCUMENTS)("publisher document %s is valid and uses no deprecated field", (_name, document) => {
    expect(validateDocument(document)).toEqual([]);
  });

  test.each(OPERATIONS)("%s is named as its document says", (_name, operation) => {
    const definition = parse(operation.document).definitions[0];
    expect(definition && "name" in definition ? definition.name?.value : undefined).toBe(operation.name);
  });

  test("a document with an unknown field is reported", () => {
    const errors = validateDocument("query Broken { shop { id emailAddressOfTheOwner } }");
    expect(errors.map((error) => error.message)).toEqual([expect.stringContaining("emailAddressOfTheOwner")]);
  });

  // What Cadence sent before it moved off them: both deprecated in 2025-10, both now refused.
  test.each([
    [
      "customer consent",
      "query Old { customers(first: 1) { nodes { id emailMarketingConsent { marketingState } } } }",
      "Customer.emailMarketingConsent",
    ],
    [
      "discount customerSelection",
      'mutation Old { discountCodeBasicCreate(basicCodeDiscount: { code: "X", customerSelection: { all: true } }) { userErrors { message } } }',
      "DiscountCodeBasicInput.customerSelection",
    ],
  ])("a deprecated field is reported: %s", (_name, document, field) => {
    expect(validateDocument(document).map((error) => error.message)).toEqual([expect.stringContaining(field)]);
  });
});

describe("bulk queries", () => {
  const queries = [
    ["orders", bulkOrdersQuery()],
    ["orders updated after", bulkOrdersQuery({ updatedAfter: "2026-01-01T00:00:00Z" })],
    ["customers", bulkCustomersQuery()],
  ] as const;

  test.each(queries)("%s is a valid query with no deprecated field", (_name, query) => {
    expect(validateDocument(query)).toEqual([]);
  });

  // Shopify's bulk rules: connections through edges/node, at most five, nested at most two levels deep, and none
  // inside a list field (which is why refunds carry only their IDs).
  test.each(queries)("%s follows the bulk operation rules", (_name, query) => {
    const connections: number[] = [];
    let depth = 0;
    visit(parse(query), {
      Field: {
        enter(node: FieldNode) {
          const isConnection = node.selectionSet?.selections.some(
            (selection) => selection.kind === "Field" && selection.name.value === "edges",
          );
          if (isConnection) {
            depth += 1;
            connections.push(depth);
          }
          const selectsNodes = node.selectionSet?.selections.some(
            (selection) => selection.kind === "Field" && selection.name.value === "nodes",
          );
          expect(selectsNodes, `${node.name.value} uses nodes, which bulk queries do not allow`).toBeFalsy();
          if (node.name.value === "refunds") {
            expect(node.selectionSet?.selections.map((s) => (s.kind === "Field" ? s.name.value : s.kind))).toEqual([
              "id",
            ]);
          }
        },
        leave(node: FieldNode) {
          if (
            node.selectionSet?.selections.some(
              (selection) => selection.kind === "Field" && selection.name.value === "edges",
            )
          )
            depth -= 1;
        },
      },
    });
    expect(connections.length).toBeGreaterThan(0);
    expect(connections.length).toBeLessThanOrEqual(5);
    expect(Math.max(...connections)).toBeLessThanOrEqual(2);
  });
});
