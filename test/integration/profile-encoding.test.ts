import { beforeAll, describe, expect, test } from "vitest";
import { runFullPass } from "~/recompute/full-pass.server";
import { database } from "~/db.server";
import { orderRow } from "../support/orders";
import { appUnderTest, installTestShop } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";

// Profiles are written as hand-built array literals (app/recompute/write-results.server.ts): values that need
// quoting inside an array inside an array must come back exactly as they went in.

const SHOP = "profile-encoding.myshopify.com";
const AWKWARD = ['Mugs "XL" \\ {cups}, set', 'Tea, "green"', "Plain"];
let app: AppUnderTest;
let shopId: string;

beforeAll(async () => {
  app = await appUnderTest();
  shopId = await installTestShop(app, SHOP);
  await app.prisma.customer.create({ data: { shopId, shopifyId: "7900000001" } });
  const at = new Date("2026-02-01T10:00:00Z");
  await app.prisma.order.create({
    data: {
      ...orderRow(shopId, "7900000001", at, 9000n),
      shopifyId: "9900000001",
      lineAmountsByType: { [AWKWARD[0]!]: 5000, [AWKWARD[1]!]: 3000, [AWKWARD[2]!]: 1000 },
    },
  });
});

describe("profile values that need quoting", () => {
  test("product types with quotes, backslashes, braces and commas are stored exactly", async () => {
    const result = await runFullPass(database(), shopId, {});
    expect(result.status).toBe("done");
    const profile = await app.prisma.customerProfile.findUniqueOrThrow({
      where: { shopId_customerShopifyId: { shopId, customerShopifyId: "7900000001" } },
    });
    expect(profile.topProductTypes).toEqual(AWKWARD);
    expect(profile.netSpendMinor).toBe(9000n);
    const listing = await app.prisma.customerListing.findUniqueOrThrow({
      where: { shopId_customerShopifyId: { shopId, customerShopifyId: "7900000001" } },
    });
    expect(listing).toMatchObject({
      orders: 1,
      netSpendMinor: 9000n,
      segments: profile.segments,
      lifecycle: profile.lifecycle,
    });
  });
});
