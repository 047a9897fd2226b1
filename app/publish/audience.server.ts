import type { PrismaClient } from "@prisma/client";
import type { SqlExecutor } from "~/database/sql-executor";
import type { CustomerFacts } from "~/offers/personalise";
import { optedOutCustomers } from "~/offers/opt-out.server";
import type { ShopperStanding } from "~/offers/render-data";
import { customersBeingRedacted } from "~/privacy/gone";
import { getLoyaltyProgram } from "~/recompute/loyalty.server";
import { compareIds } from "~/ingest/shopify-ids";
import { CUSTOM_PREFIX } from "~/segments/classify";
import type { LoyaltyProgram } from "~/segments/tiers/program";
import { progressToward } from "~/segments/tiers/standing";

// What offers are targeted on, per customer, from the customer profile tables (written by the full pass and the refresh):
// the tier, the built-in segments, the lifecycle stage and RFM group as segment keys, the custom segments, the
// first order, and the opt-out. Customers without a profile yet (an opt-out from someone whose orders are not
// synced) get no labels: only "everyone" offers reach them.

export interface PublishShop {
  id: string;
  domain: string;
  currencyCode: string;
}

type ProfileRow = Awaited<ReturnType<typeof readProfiles>>[number];

function readProfiles(prisma: PrismaClient, shopId: string, customerIds?: readonly string[]) {
  return prisma.customerProfile.findMany({
    where: { shopId, ...(customerIds ? { customerShopifyId: { in: [...customerIds] } } : {}) },
    select: {
      customerShopifyId: true,
      tierId: true,
      tierName: true,
      segments: true,
      lifecycle: true,
      rfmGroup: true,
      orders: true,
      netSpendMinor: true,
      orders365: true,
      netSpend365Minor: true,
      firstOrderOn: true,
    },
  });
}

/** The shop's loyalty program, as the storefront's progress lines count it (null: no program yet). */
export async function shopProgram(prisma: PrismaClient, shopId: string): Promise<LoyaltyProgram | null> {
  return (await getLoyaltyProgram(prisma, shopId))?.program ?? null;
}

export async function loadCustomerFacts(
  prisma: PrismaClient,
  shop: PublishShop,
  customerIds?: readonly string[],
  preloaded?: { program: LoyaltyProgram | null },
): Promise<CustomerFacts[]> {
  const [profiles, optedOut, program, gone] = await Promise.all([
    readProfiles(prisma, shop.id, customerIds),
    optedOutCustomers(prisma, shop.id, customerIds),
    preloaded ? preloaded.program : shopProgram(prisma, shop.id),
    customersBeingRedacted(prisma, shop.id),
  ]);
  const byId = new Map(profiles.map((row) => [row.customerShopifyId, row]));
  // A customer whose redaction is pending is neither published nor answered for (app/privacy/gone.ts).
  const ids = new Set([...byId.keys(), ...optedOut, ...(customerIds ?? [])].filter((id) => !gone.has(id)));
  return [...ids]
    .sort(compareIds)
    .map((customerId) => customerFacts(shop, program, customerId, byId.get(customerId), optedOut.has(customerId)));
}

/** One customer's facts from their profile row (none yet: no labels) and opt-out. */
function customerFacts(
  shop: PublishShop,
  program: LoyaltyProgram | null,
  customerId: string,
  profile: ProfileRow | undefined,
  optedOut: boolean,
): CustomerFacts {
  const segments = profile?.segments ?? [];
  const builtIn = segments.filter((key) => !key.startsWith(CUSTOM_PREFIX));
  const labels = profile ? [...builtIn, profile.lifecycle, `rfm_${profile.rfmGroup}`] : [];
  return {
    shop: shop.domain,
    currency: shop.currencyCode,
    standing: profile ? shopperStanding(profile, program) : null,
    firstOrderAt: profile?.firstOrderOn ?? undefined,
    shopper: {
      kind: "customer",
      customerId,
      tierKey: profile?.tierId ?? undefined,
      segmentKeys: [...new Set(labels.filter((key) => /^[A-Za-z0-9_-]{1,64}$/.test(key)))],
      customSegmentIds: segments.filter((key) => key.startsWith(CUSTOM_PREFIX)),
      optedOut,
    },
  };
}

type ProfileText = Omit<ProfileRow, "netSpendMinor" | "netSpend365Minor" | "firstOrderOn"> & {
  netSpendMinor: string;
  netSpend365Minor: string;
  firstOrderOn: string | null;
  optedOut: boolean;
};

// The storefront asks for one customer at a time, on every beacon and offer request: one SQL statement on the app's
// executor instead of two Prisma queries (about a millisecond of CPU each request; bench:storefront). The same row as
// readProfiles, in Prisma's types (bigints and the date come as text, so no driver's parsing or time zone enters).
const ONE_CUSTOMER = `
  SELECT $2::text AS "customerShopifyId", p."tierId", p."tierName", p.segments, p.lifecycle, p."rfmGroup", p.orders,
         p."netSpendMinor"::text AS "netSpendMinor", p."orders365", p."netSpend365Minor"::text AS "netSpend365Minor",
         to_char(p."firstOrderOn", 'YYYY-MM-DD') AS "firstOrderOn", p."customerShopifyId" IS NOT NULL AS "hasProfile",
         EXISTS (SELECT 1 FROM "ShopperOptOut" o WHERE o."shopId" = $1 AND o."customerShopifyId" = $2 AND o."optedOut") AS "optedOut"
    FROM (SELECT 1) one
    LEFT JOIN "CustomerProfile" p ON p."shopId" = $1 AND p."customerShopifyId" = $2`;

/** loadCustomerFacts for one customer (who may have no profile yet), in one statement. */
export async function loadOneCustomerFacts(
  sql: SqlExecutor,
  shop: PublishShop,
  customerId: string,
  program: LoyaltyProgram | null,
): Promise<CustomerFacts> {
  const { rows } = await sql.query<ProfileText & { hasProfile: boolean }>(ONE_CUSTOMER, [shop.id, customerId]);
  const row = rows[0];
  if (!row) throw new Error("the one-customer query returned no row");
  const profile: ProfileRow | undefined = row.hasProfile
    ? {
        customerShopifyId: row.customerShopifyId,
        tierId: row.tierId,
        tierName: row.tierName,
        segments: row.segments,
        lifecycle: row.lifecycle,
        rfmGroup: row.rfmGroup,
        orders: row.orders,
        netSpendMinor: BigInt(row.netSpendMinor),
        orders365: row.orders365,
        netSpend365Minor: BigInt(row.netSpend365Minor),
        firstOrderOn: row.firstOrderOn ? new Date(`${row.firstOrderOn}T00:00:00Z`) : null,
      }
    : undefined;
  return customerFacts(shop, program, customerId, profile, row.optedOut);
}

// What the storefront shows about a shopper's tier. Progress is counted the way the program counts it
// (segments/tiers/standing.ts) when the profile holds that window's totals (lifetime, or the rolling 365 days); for
// other windows the storefront says "You're on your way to Gold" without an amount.
export function shopperStanding(
  profile: Pick<ProfileRow, "tierId" | "tierName" | "orders" | "netSpendMinor" | "orders365" | "netSpend365Minor">,
  program: LoyaltyProgram | null,
): ShopperStanding | null {
  if (!profile.tierId || !profile.tierName) return null;
  const index = program?.tiers.findIndex((tier) => tier.id === profile.tierId) ?? -1;
  const next = index >= 0 ? program?.tiers[index + 1] : undefined;
  if (!program || !next) return { tierKey: profile.tierId, tierName: profile.tierName };
  const value =
    program.window.kind === "lifetime"
      ? { spendMinor: Number(profile.netSpendMinor), orders: profile.orders }
      : program.window.kind === "rolling" && program.window.days === 365
        ? { spendMinor: Number(profile.netSpend365Minor), orders: profile.orders365 }
        : null;
  const progress = value ? progressToward(next, value, program) : null;
  return {
    tierKey: profile.tierId,
    tierName: profile.tierName,
    next: {
      tierName: next.name,
      remainingSpendMinor: progress?.spendMinor ?? undefined,
      remainingOrders: progress?.orders ?? undefined,
    },
  };
}
