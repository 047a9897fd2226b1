import { z } from "zod";
import { PayloadError } from "./normalized";
import type { NormalizedCustomer } from "./normalized";
import { asPayloadError, describeIssues, optionalDate } from "./payload-fields";
import { idFromGid } from "./shopify-ids";

// customers/create and customers/update: only the ID and dates are read; the payload's name, email, phone, addresses
// and (in versions before 2025-01) marketing consent are not.
const customerSchema = z.object({
  admin_graphql_api_id: z.string(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
});

export function normalizeCustomerPayload(payload: unknown): NormalizedCustomer {
  const parsed = customerSchema.safeParse(payload);
  if (!parsed.success) throw new PayloadError(`customer payload: ${describeIssues(parsed.error)}`);
  const customer = parsed.data;
  return asPayloadError("customer payload", () => ({
    shopifyId: idFromGid(customer.admin_graphql_api_id, "Customer"),
    shopifyCreatedAt: optionalDate(customer.created_at, "created_at"),
    sourceUpdatedAt: optionalDate(customer.updated_at, "updated_at"),
  }));
}

const deletedCustomerSchema = z.object({ admin_graphql_api_id: z.string() });

/** customers/delete carries little more than the ID. */
export function deletedCustomerId(payload: unknown): string {
  const parsed = deletedCustomerSchema.safeParse(payload);
  if (!parsed.success) throw new PayloadError(`customers/delete payload: ${describeIssues(parsed.error)}`);
  return asPayloadError("customers/delete payload", () => idFromGid(parsed.data.admin_graphql_api_id, "Customer"));
}
