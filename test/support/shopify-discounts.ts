import { metafieldDefinitionInputs } from "~/storefront-contract/metafields";
import { ConnectionDropped } from "./shopify-admin-mock";
import type { Resolver } from "./shopify-admin-mock";

// Shopify's side of native segments and code discounts, as resolvers for the Admin API mock (which validates every
// document, coerces the variables against both schemas' input types, and checks every answer's shape). It keeps
// state: Cadence's customer metafield definitions in the app's namespace, segments whose ShopifyQL must name a
// defined metafield with an operator its type allows, and code discounts whose code is unique and whose customer
// segments must exist. Status follows the dates, as Shopify's does. `refuseNext` answers with userErrors (nothing
// applied); `loseNextAnswer` applies the change and then drops the connection, as a timeout after Shopify's write.

export const APP_NAMESPACE = "app--4242";

interface FakeSegment {
  id: string;
  name: string;
  query: string;
}

export interface FakeDiscount {
  id: string;
  input: Record<string, unknown>;
  startsAt: string;
  endsAt: string | null;
}

type UserError = { field: string[] | null; message: string; code?: string };

export class FakeShopifyDiscounts {
  readonly segments = new Map<string, FakeSegment>();
  readonly discounts = new Map<string, FakeDiscount>();
  /** Metafield definitions by key (customer, in APP_NAMESPACE), with their type. */
  readonly definitions = new Map<string, string>();
  private next = 100;
  private readonly refusals = new Map<string, UserError[]>();
  private readonly lost = new Set<string>();

  constructor(options: { withoutDefinitions?: string[] } = {}) {
    for (const definition of metafieldDefinitionInputs())
      if (definition.ownerType === "CUSTOMER" && !options.withoutDefinitions?.includes(definition.key))
        this.definitions.set(definition.key, definition.type);
  }

  refuseNext(operationName: string, userErrors: UserError[]): this {
    this.refusals.set(operationName, userErrors);
    return this;
  }

  loseNextAnswer(operationName: string): this {
    this.lost.add(operationName);
    return this;
  }

  discountByCode(code: string): FakeDiscount | undefined {
    return [...this.discounts.values()].find(
      (discount) => String(discount.input.code).toLowerCase() === code.toLowerCase(),
    );
  }

  resolvers(): Record<string, Resolver> {
    const mutation = this.mutation.bind(this);
    return {
      AppCustomerMetafieldDefinitions: () => ({
        metafieldDefinitions: { nodes: [...this.definitions.keys()].map((key) => ({ namespace: APP_NAMESPACE, key })) },
      }),
      CadenceMetafieldDefinitionCreate: (variables) => {
        const definition = variables.definition as { key: string; type: string; ownerType: string };
        if (this.definitions.has(definition.key) && definition.ownerType === "CUSTOMER")
          return {
            metafieldDefinitionCreate: {
              createdDefinition: null,
              userErrors: [
                {
                  field: ["definition", "key"],
                  message: "Key is in use for Customer metafields on the 'app' namespace.",
                  code: "TAKEN",
                },
              ],
            },
          };
        if (definition.ownerType === "CUSTOMER") this.definitions.set(definition.key, definition.type);
        const id = `gid://shopify/MetafieldDefinition/${(this.next += 1)}`;
        return {
          metafieldDefinitionCreate: {
            createdDefinition: { id, key: definition.key, namespace: APP_NAMESPACE, ownerType: definition.ownerType },
            userErrors: [],
          },
        };
      },
      CadenceMetafieldDefinitionUpdate: (variables) => {
        const definition = variables.definition as { key: string; ownerType: string };
        if (definition.ownerType !== "CUSTOMER" || !this.definitions.has(definition.key))
          return {
            metafieldDefinitionUpdate: {
              updatedDefinition: null,
              userErrors: [{ field: ["definition"], message: "Definition not found.", code: "NOT_FOUND" }],
            },
          };
        return {
          metafieldDefinitionUpdate: {
            updatedDefinition: {
              id: `gid://shopify/MetafieldDefinition/${definition.key}`,
              key: definition.key,
              namespace: APP_NAMESPACE,
            },
            userErrors: [],
          },
        };
      },
      SegmentById: (variables) => ({ segment: this.segments.get(String(variables.id)) ?? null }),
      // Shopify's search matches words, not whole names: a longer name containing the one asked for also comes back.
      SegmentsByName: (variables) => {
        const wanted = /^name:"(.*)"$/.exec(String(variables.query))?.[1] ?? "";
        return { segments: { nodes: [...this.segments.values()].filter((segment) => segment.name.includes(wanted)) } };
      },
      SegmentCreate: mutation(
        "SegmentCreate",
        (variables) => {
          const errors = this.segmentErrors(String(variables.name), String(variables.query), null);
          if (errors.length) return { segment: null, userErrors: errors };
          const segment = {
            id: `gid://shopify/Segment/${(this.next += 1)}`,
            name: String(variables.name),
            query: String(variables.query),
          };
          this.segments.set(segment.id, segment);
          return { segment, userErrors: [] };
        },
        { segment: null },
      ),
      SegmentUpdate: mutation(
        "SegmentUpdate",
        (variables) => {
          const segment = this.segments.get(String(variables.id));
          if (!segment) return { segment: null, userErrors: [{ field: ["id"], message: "Segment does not exist" }] };
          const errors = this.segmentErrors(String(variables.name), String(variables.query), segment.id);
          if (errors.length) return { segment: null, userErrors: errors };
          Object.assign(segment, { name: String(variables.name), query: String(variables.query) });
          return { segment, userErrors: [] };
        },
        { segment: null },
      ),
      SegmentDelete: mutation(
        "SegmentDelete",
        (variables) => {
          const id = String(variables.id);
          if (!this.segments.delete(id))
            return { deletedSegmentId: null, userErrors: [{ field: ["id"], message: "Segment does not exist" }] };
          return { deletedSegmentId: id, userErrors: [] };
        },
        { deletedSegmentId: null },
      ),
      CodeDiscountById: (variables) => ({ codeDiscountNode: this.node(this.discounts.get(String(variables.id))) }),
      CodeDiscountByCode: (variables) => ({
        codeDiscountNodeByCode: this.node(this.discountByCode(String(variables.code))),
      }),
      DiscountCodeBasicCreate: mutation(
        "DiscountCodeBasicCreate",
        (variables) => {
          const input = variables.discount as Record<string, unknown>;
          const errors = this.discountErrors(input, null);
          if (errors.length) return { codeDiscountNode: null, userErrors: errors };
          const discount: FakeDiscount = {
            id: `gid://shopify/DiscountCodeNode/${(this.next += 1)}`,
            input,
            startsAt: String(input.startsAt),
            endsAt: (input.endsAt as string | null) ?? null,
          };
          this.discounts.set(discount.id, discount);
          return { codeDiscountNode: this.node(discount), userErrors: [] };
        },
        { codeDiscountNode: null },
      ),
      DiscountCodeBasicUpdate: this.onDiscount("DiscountCodeBasicUpdate", (discount, variables) => {
        const input = variables.discount as Record<string, unknown>;
        const errors = this.discountErrors(input, discount.id);
        if (errors.length) return errors;
        Object.assign(discount, {
          input,
          startsAt: String(input.startsAt),
          endsAt: (input.endsAt as string | null) ?? null,
        });
        return [];
      }),
      DiscountCodeActivate: this.onDiscount("DiscountCodeActivate", (discount) => {
        if (discount.endsAt && Date.parse(discount.endsAt) <= Date.now()) discount.endsAt = null;
        return [];
      }),
      DiscountCodeDeactivate: this.onDiscount("DiscountCodeDeactivate", (discount) => {
        discount.endsAt = new Date(Date.now() - 1000).toISOString();
        return [];
      }),
      DiscountCodeDelete: mutation(
        "DiscountCodeDelete",
        (variables) => {
          const id = String(variables.id);
          if (!this.discounts.delete(id))
            return {
              deletedCodeDiscountId: null,
              userErrors: [{ field: ["id"], message: "Discount does not exist", code: "INVALID" }],
            };
          return { deletedCodeDiscountId: id, userErrors: [] };
        },
        { deletedCodeDiscountId: null },
      ),
    };
  }

  /** A mutation as Shopify answers it, unless a refusal or a lost answer was asked for. */
  private mutation(
    name: string,
    payload: (variables: Record<string, unknown>) => Record<string, unknown>,
    empty: Record<string, unknown>,
  ): Resolver {
    return (variables) => {
      const refusal = this.refusals.get(name);
      if (refusal) {
        this.refusals.delete(name);
        return { [field(name)]: { ...empty, userErrors: refusal } };
      }
      const answer = { [field(name)]: payload(variables) };
      if (this.lost.delete(name)) throw new ConnectionDropped(`the connection dropped after Shopify applied ${name}`);
      return answer;
    };
  }

  /** A mutation on an existing discount, answering with its node; `change` returns userErrors (empty: applied). */
  private onDiscount(
    name: string,
    change: (discount: FakeDiscount, variables: Record<string, unknown>) => UserError[],
  ): Resolver {
    return this.mutation(
      name,
      (variables) => {
        const discount = this.discounts.get(String(variables.id));
        if (!discount)
          return {
            codeDiscountNode: null,
            userErrors: [{ field: ["id"], message: "Discount does not exist", code: "INVALID" }],
          };
        const userErrors = change(discount, variables);
        return { codeDiscountNode: userErrors.length ? null : this.node(discount), userErrors };
      },
      { codeDiscountNode: null },
    );
  }

  status(discount: FakeDiscount): "ACTIVE" | "EXPIRED" | "SCHEDULED" {
    const now = Date.now();
    if (Date.parse(discount.startsAt) > now) return "SCHEDULED";
    if (discount.endsAt && Date.parse(discount.endsAt) <= now) return "EXPIRED";
    return "ACTIVE";
  }

  private node(discount: FakeDiscount | undefined) {
    return discount
      ? {
          id: discount.id,
          codeDiscount: {
            __typename: "DiscountCodeBasic",
            status: this.status(discount),
            title: String(discount.input.title),
          },
        }
      : null;
  }

  // ShopifyQL as Cadence writes it: a defined metafield of the app's namespace, with an operator its type allows.
  private segmentErrors(name: string, query: string, self: string | null): UserError[] {
    if ([...this.segments.values()].some((segment) => segment.name === name && segment.id !== self))
      return [{ field: ["name"], message: "Name has already been taken" }];
    const match = /^metafields\.([a-z0-9-]+)\.([a-z_]+) (=|CONTAINS) '([^']*)'$/.exec(query);
    const type = match && match[1] === APP_NAMESPACE ? this.definitions.get(match[2]!) : undefined;
    const allowed = type === "single_line_text_field" ? "=" : type?.startsWith("list.") ? "CONTAINS" : null;
    if (!match || !allowed || match[3] !== allowed)
      return [{ field: ["query"], message: `Query is invalid: ${query}` }];
    return [];
  }

  private discountErrors(input: Record<string, unknown>, self: string | null): UserError[] {
    const code = String(input.code);
    const taken = this.discountByCode(code);
    if (taken && taken.id !== self)
      return [
        {
          field: ["basicCodeDiscount", "code"],
          message: "Code must be unique. Please try a different code.",
          code: "TAKEN",
        },
      ];
    const segments = (input.context as { customerSegments?: { add: string[] } }).customerSegments?.add ?? [];
    if (segments.some((id) => !this.segments.has(id)))
      return [
        {
          field: ["basicCodeDiscount", "context", "customerSegments", "add"],
          message: "Customer segment does not exist",
          code: "INVALID",
        },
      ];
    return [];
  }
}

// The payload field of a mutation named after it ("SegmentCreate" → "segmentCreate").
function field(operationName: string): string {
  return operationName[0]!.toLowerCase() + operationName.slice(1);
}

/**
 * The customers a segment query selects from the metafields Shopify holds (ownerId → key → { type, value }), the way
 * Shopify evaluates Cadence's two forms: `metafields.NS.key = 'v'` on a text metafield, `metafields.NS.key CONTAINS 'v'`
 * on a list of text. A customer without the metafield is not selected.
 */
export function segmentMembers(
  query: string,
  metafields: Map<string, Map<string, { type: string; value: string }>>,
  namespace = APP_NAMESPACE,
): Set<string> {
  const match = /^metafields\.([a-z0-9-]+)\.([a-z_]+) (=|CONTAINS) '([^']*)'$/.exec(query);
  if (!match || match[1] !== namespace) throw new Error(`not a query Shopify would accept here: ${query}`);
  const [, , key, operator, value] = match;
  const members = new Set<string>();
  for (const [owner, fields] of metafields) {
    const field = fields.get(key!);
    if (!owner.startsWith("gid://shopify/Customer/") || !field) continue;
    const selected =
      operator === "="
        ? field.type === "single_line_text_field" && field.value === value
        : field.type.startsWith("list.") && (JSON.parse(field.value) as string[]).includes(value!);
    if (selected) members.add(owner.slice("gid://shopify/Customer/".length));
  }
  return members;
}
