import type { PrismaClient } from "@prisma/client";
import { DEMO_ACCESS_TOKEN } from "../../app/dev-shell/demo-session.ts";
import { installShop } from "../../app/ingest/install.ts";

// The demo shop looks installed to the app: a shop row and an offline session with the configured scopes, as
// Shopify's token exchange would leave them. The token is a placeholder: the demo never calls Shopify.
export async function ensureDemoShop(prisma: PrismaClient, shop: string, scopes: string[], currencyCode: string): Promise<void> {
  await installShop(prisma, shop, currencyCode);
  const id = `offline_${shop}`;
  const session = { shop, state: "demo", isOnline: false, scope: scopes.join(","), accessToken: DEMO_ACCESS_TOKEN };
  await prisma.session.upsert({ where: { id }, create: { id, ...session }, update: session });
}

export async function resetDemoShop(prisma: PrismaClient, shop: string): Promise<void> {
  await prisma.session.deleteMany({ where: { shop } });
  await prisma.shop.deleteMany({ where: { domain: shop } });
}
