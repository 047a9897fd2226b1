import type { Prisma } from "@prisma/client";
import { z } from "zod";
import { PayloadError } from "./order-payload";
import { idFromGid } from "./shopify-ids";
import type { ShopContext, TopicOutcome } from "./topic-outcome";

type Tx = Prisma.TransactionClient;

// Only the ID, dates and marketing consent are kept; the payload's name, email, phone and addresses are not.
const customerSchema = z.object({
  admin_graphql_api_id: z.string(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  email_marketing_consent: z.object({ state: z.string().nullish() }).nullish(),
});

function parseCustomer(payload: unknown) {
  const parsed = customerSchema.safeParse(payload);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`).join("; ");
    throw new PayloadError(`customer payload: ${reason}`);
  }
  try {
    return { ...parsed.data, shopifyId: idFromGid(parsed.data.admin_graphql_api_id, "Customer") };
  } catch (error) {
    throw new PayloadError(`customer payload: ${(error as Error).message}`);
  }
}

const optionalDate = (text: string | null | undefined) => (text ? new Date(text) : null);

/** customers/create, customers/update. */
export async function applyCustomer(tx: Tx, shop: ShopContext, payload: unknown): Promise<TopicOutcome> {
  const customer = parseCustomer(payload);
  const sourceUpdatedAt = optionalDate(customer.updated_at);
  const existing = await tx.customer.findUnique({
    where: { shopId_shopifyId: { shopId: shop.id, shopifyId: customer.shopifyId } },
    select: { sourceUpdatedAt: true },
  });
  if (existing?.sourceUpdatedAt && sourceUpdatedAt && existing.sourceUpdatedAt > sourceUpdatedAt) {
    return { outcome: "stale", detail: `customer ${customer.shopifyId} is newer in Cadence` };
  }
  const fields = {
    shopifyCreatedAt: optionalDate(customer.created_at),
    sourceUpdatedAt,
    emailMarketingConsent: customer.email_marketing_consent?.state ?? null,
    deletedAt: null,
  };
  await tx.customer.upsert({
    where: { shopId_shopifyId: { shopId: shop.id, shopifyId: customer.shopifyId } },
    create: { shopId: shop.id, shopifyId: customer.shopifyId, ...fields },
    update: fields,
  });
  return { outcome: "applied", customerShopifyId: customer.shopifyId };
}

/** customers/delete: the shopper is gone from Shopify; their orders stay in the shop's totals. */
export async function markCustomerDeleted(tx: Tx, shop: ShopContext, payload: unknown): Promise<TopicOutcome> {
  const customer = parseCustomer(payload);
  await tx.customer.upsert({
    where: { shopId_shopifyId: { shopId: shop.id, shopifyId: customer.shopifyId } },
    create: { shopId: shop.id, shopifyId: customer.shopifyId, deletedAt: new Date() },
    update: { deletedAt: new Date() },
  });
  return { outcome: "applied", customerShopifyId: customer.shopifyId };
}
