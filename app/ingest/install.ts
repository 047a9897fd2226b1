import type { PrismaClient } from "@prisma/client";

/** Creates or reactivates the shop's row; called after Shopify authenticates an install. */
export async function installShop(prisma: PrismaClient, domain: string, currencyCode?: string): Promise<void> {
  await prisma.shop.upsert({
    where: { domain },
    create: { domain, ...(currencyCode ? { currencyCode } : {}) },
    update: { uninstalledAt: null, ...(currencyCode ? { currencyCode } : {}) },
  });
}
