import type { Prisma } from "@prisma/client";
import { z } from "zod";
import { PayloadError } from "./order-payload";
import type { ShopContext, TopicOutcome } from "./topic-outcome";

type Tx = Prisma.TransactionClient;

/** app/uninstalled: the token is already revoked. Sessions go now, so a reinstall runs afterAuth again. */
export async function uninstallShop(tx: Tx, shop: ShopContext): Promise<TopicOutcome> {
  await tx.session.deleteMany({ where: { shop: shop.domain } });
  await tx.shop.update({ where: { id: shop.id }, data: { uninstalledAt: new Date() } });
  return { outcome: "applied" };
}

const scopesSchema = z.object({ current: z.array(z.string()) });

/** app/scopes_update: keeps the stored sessions' scopes true, so the library re-authorises when they shrink. */
export async function updateScopes(tx: Tx, shop: ShopContext, payload: unknown): Promise<TopicOutcome> {
  const parsed = scopesSchema.safeParse(payload);
  if (!parsed.success) throw new PayloadError("app/scopes_update payload: current must be a list of scopes");
  await tx.session.updateMany({ where: { shop: shop.domain }, data: { scope: parsed.data.current.join(",") } });
  return { outcome: "applied" };
}
