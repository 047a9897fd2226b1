import type { PrismaClient } from "@prisma/client";

export interface AdminShop {
  id: string;
  domain: string;
  currencyCode: string;
}

/** The installed shop behind a session; every admin-data query is scoped by its id. */
export function adminShop(prisma: PrismaClient, domain: string): Promise<AdminShop | null> {
  return prisma.shop.findUnique({ where: { domain }, select: { id: true, domain: true, currencyCode: true } });
}

/**
 * The same, for a loader or action: a session whose shop has no row (uninstalled and redacted, or never set up) gets
 * a 404 with a reason rather than an empty page that looks like a shop without customers.
 */
export async function requireAdminShop(prisma: PrismaClient, domain: string): Promise<AdminShop> {
  const shop = await adminShop(prisma, domain);
  if (!shop)
    throw new Response(`Cadence has no data for ${domain}: the app is not set up on this shop.`, { status: 404 });
  return shop;
}
