import type { PrismaClient } from "@prisma/client";
import { minorToDecimal } from "~/money/decimal";

// The shoppers the local storefront preview can impersonate: a guest and the shop's customers with the most
// purchases, with what Cadence knows about each. Test and cancelled orders are not purchases.

export interface PreviewShopper {
  customerId: string;
  orders: number;
  netSpend: string;
  lastOrderAt: string | null;
}

export interface PreviewShop {
  domain: string;
  currencyCode: string;
  shoppers: PreviewShopper[];
}

export async function previewShoppers(prisma: PrismaClient, shopDomain: string, limit = 12): Promise<PreviewShop | null> {
  const shop = await prisma.shop.findUnique({ where: { domain: shopDomain }, select: { id: true, domain: true, currencyCode: true } });
  if (!shop) return null;
  const top = await prisma.order.groupBy({
    by: ["customerShopifyId"],
    where: { shopId: shop.id, test: false, cancelledAt: null, customerShopifyId: { not: null } },
    _count: { _all: true },
    _sum: { netMinor: true },
    _max: { processedAt: true },
    orderBy: [{ _count: { customerShopifyId: "desc" } }, { customerShopifyId: "asc" }],
    take: limit,
  });
  return {
    domain: shop.domain,
    currencyCode: shop.currencyCode,
    shoppers: top.map((row) => ({
      customerId: row.customerShopifyId as string,
      orders: row._count._all,
      netSpend: minorToDecimal(row._sum.netMinor ?? 0n, shop.currencyCode),
      lastOrderAt: row._max.processedAt?.toISOString() ?? null,
    })),
  };
}
