// Code discounts (discountCodeBasic*), for the code Cadence creates for an offer (app/publish/discounts/). The
// input is built by app/publish/discounts/discount-input.ts. Mutations return userErrors; callers check them with
// assertNoUserErrors.
import { defineOperation } from "../operation";
import type { AdminUserError } from "../errors";

export type DiscountStatus = "ACTIVE" | "EXPIRED" | "SCHEDULED";

export interface CodeDiscountNode {
  id: string;
  /** A union: only a basic code discount (Cadence's kind) carries these fields. */
  codeDiscount: { __typename: string; status?: DiscountStatus; title?: string };
}

const NODE_FIELDS = `id
    codeDiscount {
      __typename
      ... on DiscountCodeBasic { status title }
    }`;

interface NodePayload {
  codeDiscountNode: CodeDiscountNode | null;
  userErrors: AdminUserError[];
}

export const CODE_DISCOUNT_BY_ID = defineOperation<{ codeDiscountNode: CodeDiscountNode | null }, { id: string }>(
  `query CodeDiscountById($id: ID!) {
  codeDiscountNode(id: $id) {
    ${NODE_FIELDS}
  }
}`,
  { estimatedCost: 2 },
);

/** Shopify matches codes case-insensitively. */
export const CODE_DISCOUNT_BY_CODE = defineOperation<
  { codeDiscountNodeByCode: CodeDiscountNode | null },
  { code: string }
>(
  `query CodeDiscountByCode($code: String!) {
  codeDiscountNodeByCode(code: $code) {
    ${NODE_FIELDS}
  }
}`,
  { estimatedCost: 2 },
);

/** A mutation answering with the discount node and userErrors; only its name, arguments and field differ. */
function nodeMutation(name: string, variables: string, call: string): string {
  return `mutation ${name}(${variables}) {
  ${call} {
    codeDiscountNode {
      ${NODE_FIELDS}
    }
    userErrors { field message code }
  }
}`;
}

// Not idempotent: after a lost answer it is unknown whether the discount exists; the caller looks it up by code.
export const DISCOUNT_CODE_BASIC_CREATE = defineOperation<
  { discountCodeBasicCreate: NodePayload | null },
  { discount: Record<string, unknown> }
>(
  nodeMutation(
    "DiscountCodeBasicCreate",
    "$discount: DiscountCodeBasicInput!",
    "discountCodeBasicCreate(basicCodeDiscount: $discount)",
  ),
  { idempotent: false, estimatedCost: 10 },
);

export const DISCOUNT_CODE_BASIC_UPDATE = defineOperation<
  { discountCodeBasicUpdate: NodePayload | null },
  { id: string; discount: Record<string, unknown> }
>(
  nodeMutation(
    "DiscountCodeBasicUpdate",
    "$id: ID!, $discount: DiscountCodeBasicInput!",
    "discountCodeBasicUpdate(id: $id, basicCodeDiscount: $discount)",
  ),
  { idempotent: true, estimatedCost: 10 },
);

export const DISCOUNT_CODE_ACTIVATE = defineOperation<{ discountCodeActivate: NodePayload | null }, { id: string }>(
  nodeMutation("DiscountCodeActivate", "$id: ID!", "discountCodeActivate(id: $id)"),
  { idempotent: true, estimatedCost: 10 },
);

/** Ends the discount now (Shopify sets its end date): a paused or archived offer's code stops working. */
export const DISCOUNT_CODE_DEACTIVATE = defineOperation<{ discountCodeDeactivate: NodePayload | null }, { id: string }>(
  nodeMutation("DiscountCodeDeactivate", "$id: ID!", "discountCodeDeactivate(id: $id)"),
  { idempotent: true, estimatedCost: 10 },
);

export const DISCOUNT_CODE_DELETE = defineOperation<
  { discountCodeDelete: { deletedCodeDiscountId: string | null; userErrors: AdminUserError[] } | null },
  { id: string }
>(
  `mutation DiscountCodeDelete($id: ID!) {
  discountCodeDelete(id: $id) {
    deletedCodeDiscountId
    userErrors { field message code }
  }
}`,
  { idempotent: true, estimatedCost: 10 },
);
