import { requireAdminShop } from "~/admin-data/shop.server";
import type { AdminShop } from "~/admin-data/shop.server";
import { database } from "~/db.server";
import { authenticate } from "~/shopify.server";

/**
 * Every admin loader's and action's first step: Shopify's check of the session token (its own redirect or 401 when
 * there is none), then the shop's row, whose id scopes every query after it.
 */
export async function authenticatedShop(request: Request): Promise<AdminShop> {
  const { session } = await authenticate.admin(request);
  return requireAdminShop(database().prisma, session.shop);
}
