import type { PrismaClient } from "@prisma/client";
import type { CustomerFacts } from "~/offers/personalise";
import { optedOutCustomers } from "~/offers/opt-out.server";

// What the offers are targeted on, per customer: tier standing, segment keys, custom segments, opt-out and the
// first order. Until the segment tables (issue 4) are on this branch, customers come from synced customers and
// orders, with no tier and no segments: only "everyone" offers reach them.

export interface PublishShop {
  id: string;
  domain: string;
  currencyCode: string;
}

export async function loadCustomerFacts(prisma: PrismaClient, shop: PublishShop, customerIds?: readonly string[]): Promise<CustomerFacts[]> {
  const only = customerIds ? { in: [...customerIds] } : undefined;
  const [customers, firstOrders, optedOut] = await Promise.all([
    prisma.customer.findMany({ where: { shopId: shop.id, deletedAt: null, ...(only ? { shopifyId: only } : {}) }, select: { shopifyId: true } }),
    prisma.order.groupBy({
      by: ["customerShopifyId"],
      where: { shopId: shop.id, test: false, cancelledAt: null, customerShopifyId: only ?? { not: null } },
      _min: { processedAt: true },
    }),
    optedOutCustomers(prisma, shop.id, customerIds),
  ]);
  const firstOrderAt = new Map(firstOrders.map((row) => [row.customerShopifyId as string, row._min.processedAt ?? undefined]));
  const ids = new Set([...customers.map((row) => row.shopifyId), ...firstOrderAt.keys(), ...(customerIds ?? [])]);
  return [...ids].sort(compareIds).map((customerId) => ({
    shop: shop.domain,
    currency: shop.currencyCode,
    standing: null,
    firstOrderAt: firstOrderAt.get(customerId),
    shopper: { kind: "customer", customerId, segmentKeys: [], customSegmentIds: [], optedOut: optedOut.has(customerId) },
  }));
}

/** Numeric IDs in numeric order (they are strings: they can exceed what a JS number holds exactly). */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
