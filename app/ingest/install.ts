import type { PrismaClient } from "@prisma/client";
import type { ShopInfo } from "~/shopify-admin/operations/shop";
import { NOW_UTC } from "~/database/sql-conventions";
import type { SqlExecutor } from "~/database/sql-conventions";

/**
 * Creates or reactivates the shop's row; called after Shopify authenticates an install. Returns the shop's ID.
 * installedAt moves to now every time: a successful authentication proves the app is installed at this moment, so an
 * app/uninstalled or shop/redact triggered before it belongs to an earlier install (topics/lifecycle.ts).
 */
export async function installShop(prisma: PrismaClient, domain: string, currencyCode?: string): Promise<string> {
  const installedAt = new Date();
  const shop = await prisma.shop.upsert({
    where: { domain },
    create: { domain, installedAt, ...(currencyCode ? { currencyCode } : {}) },
    update: { uninstalledAt: null, installedAt, ...(currencyCode ? { currencyCode } : {}) },
    select: { id: true },
  });
  return shop.id;
}

/** What the shop-setup job learned from the Admin API: money is stored in this currency, days end in this zone. */
export async function recordShopInfo(sql: SqlExecutor, shopId: string, info: ShopInfo): Promise<void> {
  await sql.query(
    `UPDATE "Shop" SET "currencyCode" = $2, "ianaTimezone" = $3, "updatedAt" = ${NOW_UTC} WHERE "id" = $1`,
    [shopId, info.currencyCode, info.ianaTimezone],
  );
}
