import type { PrismaClient } from "@prisma/client";
import { config } from "../../app/config.server.ts";
import type { Database } from "../../app/db.server.ts";
import { DEMO_ACCESS_TOKEN } from "../../app/dev-shell/demo-session.ts";
import { installShop } from "../../app/ingest/install.ts";
import { redactShopNow } from "../../app/privacy/run-request.ts";
import { TokenCipher } from "../../app/sessions/token-cipher.ts";

// The demo shop looks installed to the app: a shop row and an offline session with the configured scopes, as
// Shopify's token exchange would leave them, its token sealed like any other. The token is a placeholder: the demo
// never calls Shopify.
export async function ensureDemoShop(
  prisma: PrismaClient,
  shop: string,
  scopes: string[],
  currencyCode: string,
): Promise<void> {
  await installShop(prisma, shop, currencyCode);
  const id = `offline_${shop}`;
  const accessToken = new TokenCipher(config().tokenKeys).seal(DEMO_ACCESS_TOKEN, {
    sessionId: id,
    column: "accessToken",
  });
  const session = { shop, state: "demo", isOnline: false, scope: scopes.join(","), accessToken };
  await prisma.session.upsert({ where: { id }, create: { id, ...session }, update: session });
}

/** Everything of the demo shop goes, as shop/redact would remove it, so the next start seeds it anew. */
export async function resetDemoShop(db: Database, shop: string): Promise<void> {
  const row = await db.prisma.shop.findUnique({ where: { domain: shop }, select: { id: true } });
  if (row) await redactShopNow(db, { id: row.id, domain: shop });
  else await db.prisma.session.deleteMany({ where: { shop } });
}
