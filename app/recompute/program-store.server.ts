import type { Prisma } from "@prisma/client";
import type { LoyaltyProgram } from "~/segments/tiers/program";
import { dateOfDay } from "./database.server";
import type { Day } from "~/profiles/days";
import type { ShopFacts } from "./facts.server";

// Loyalty program versions: the current one in LoyaltyProgram, every one (the current included) in
// LoyaltyProgramRevision, so statuses kept under an older version can be carried into the current one.

export async function saveProgramVersion(
  db: Prisma.TransactionClient,
  shop: ShopFacts,
  program: LoyaltyProgram,
  options: { source: "default" | "merchant"; effectiveOn: Day },
): Promise<number> {
  const latest = await db.loyaltyProgramRevision.findFirst({
    where: { shopId: shop.id },
    orderBy: { version: "desc" },
    select: { version: true },
  });
  const version = (latest?.version ?? 0) + 1;
  const definition = program as unknown as Prisma.InputJsonValue;
  const row = { version, definition, source: options.source, effectiveOn: dateOfDay(options.effectiveOn) as Date };
  await db.loyaltyProgramRevision.create({ data: { shopId: shop.id, ...row } });
  await db.loyaltyProgram.upsert({ where: { shopId: shop.id }, create: { shopId: shop.id, ...row }, update: row });
  return version;
}
