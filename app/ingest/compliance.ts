import type { Prisma } from "@prisma/client";
import { z } from "zod";
import { customerOffersData, redactCustomerOffers } from "~/offers/redact.server";
import { customerSegmentationData, redactCustomerSegmentation } from "~/profiles/redact.server";
import { PayloadError } from "./order-payload";
import { numericId } from "./shopify-ids";
import type { ShopContext, TopicOutcome } from "./topic-outcome";

type Tx = Prisma.TransactionClient;

// Shopify's mandatory privacy webhooks. Cadence stores no names, emails, phones or addresses, so a customer is
// identified here only by Shopify IDs: the customer's and their orders'.

const customerRequestSchema = z.object({
  customer: z.object({ id: z.union([z.string(), z.number()]) }),
  orders_to_redact: z.array(z.union([z.string(), z.number()])).optional(),
  orders_requested: z.array(z.union([z.string(), z.number()])).optional(),
  data_request: z.object({ id: z.union([z.string(), z.number()]) }).optional(),
});

function parseCustomerRequest(topic: string, payload: unknown) {
  const parsed = customerRequestSchema.safeParse(payload);
  const customerId = parsed.success ? numericId(parsed.data.customer.id) : null;
  if (!parsed.success || !customerId) throw new PayloadError(`${topic} payload: customer.id is required`);
  const orderIds = (parsed.data.orders_to_redact ?? parsed.data.orders_requested ?? []).map(numericId);
  if (orderIds.some((id) => id === null)) throw new PayloadError(`${topic} payload: order IDs must be numeric`);
  return { customerId, orderIds: orderIds as string[], requestId: parsed.data.data_request?.id };
}

function customerOrders(shopId: string, customerId: string, orderIds: string[]): Prisma.OrderWhereInput {
  return { shopId, OR: [{ customerShopifyId: customerId }, { shopifyId: { in: orderIds } }] };
}

/** customers/redact: every row that identifies the customer goes; shop-level figures are recomputed from what remains. */
export async function redactCustomer(tx: Tx, shop: ShopContext, payload: unknown): Promise<TopicOutcome> {
  const { customerId, orderIds } = parseCustomerRequest("customers/redact", payload);
  // Refunds of the named orders that arrived before their order are not attached to an order row yet.
  await tx.refund.deleteMany({ where: { shopId: shop.id, orderShopifyId: { in: orderIds } } });
  await tx.order.deleteMany({ where: customerOrders(shop.id, customerId, orderIds) });
  await tx.customer.deleteMany({ where: { shopId: shop.id, shopifyId: customerId } });
  await tx.dataRequestExport.deleteMany({ where: { shopId: shop.id, customerShopifyId: customerId } });
  await redactCustomerSegmentation(tx, shop.id, customerId);
  await redactCustomerOffers(tx, shop.id, customerId);
  return { outcome: "applied", customerShopifyId: customerId };
}

/** customers/data_request: assembled as JSON and kept for the merchant, who hands it to the customer. */
export async function exportCustomerData(tx: Tx, shop: ShopContext, payload: unknown): Promise<TopicOutcome> {
  const { customerId, orderIds, requestId } = parseCustomerRequest("customers/data_request", payload);
  const customer = await tx.customer.findUnique({
    where: { shopId_shopifyId: { shopId: shop.id, shopifyId: customerId } },
    select: { shopifyId: true, shopifyCreatedAt: true, emailMarketingConsent: true, optedOut: true, optedOutAt: true },
  });
  const orders = await tx.order.findMany({
    where: customerOrders(shop.id, customerId, orderIds),
    select: {
      shopifyId: true,
      name: true,
      processedAt: true,
      currency: true,
      netMinor: true,
      refundedMinor: true,
      cancelledAt: true,
      lines: { select: { productId: true, variantId: true, productType: true, quantity: true, amountMinor: true } },
    },
    orderBy: { processedAt: "asc" },
  });
  const segmentation = await customerSegmentationData(tx, shop.id, customerId);
  const offers = await customerOffersData(tx, shop.id, customerId);
  const data = JSON.parse(
    JSON.stringify({ shop: shop.domain, customer, orders, segmentation, offers }, (_key, value) => (typeof value === "bigint" ? Number(value) : value)),
  ) as Prisma.InputJsonValue;
  const key = String(requestId ?? `customer-${customerId}`);
  await tx.dataRequestExport.upsert({
    where: { shopId_requestId: { shopId: shop.id, requestId: key } },
    create: { shopId: shop.id, requestId: key, customerShopifyId: customerId, data },
    update: { data },
  });
  return { outcome: "applied", detail: `data request ${key}: ${orders.length} orders` };
}

/** shop/redact (48 hours after uninstall): every row of the shop goes. */
export async function redactShop(tx: Tx, shop: ShopContext): Promise<TopicOutcome> {
  await tx.dataRequestExport.deleteMany({ where: { shopId: shop.id } });
  await tx.session.deleteMany({ where: { shop: shop.domain } });
  // Deliveries, customers, orders, lines and refunds cascade from the shop row.
  await tx.shop.delete({ where: { id: shop.id } });
  return { outcome: "applied" };
}
