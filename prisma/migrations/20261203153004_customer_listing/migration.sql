-- DropIndex
DROP INDEX "CustomerProfile_shopId_netSpendMinor_customerShopifyId_idx";

-- CreateTable
CREATE TABLE "CustomerListing" (
    "shopId" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "tierId" TEXT,
    "tierName" TEXT,
    "rfmGroup" TEXT NOT NULL,
    "lifecycle" TEXT NOT NULL,
    "confidence" TEXT,
    "segments" TEXT[],
    "orders" INTEGER NOT NULL,
    "netSpendMinor" BIGINT NOT NULL,
    "lastOrderKey" DATE NOT NULL,
    "clvKey" BIGINT NOT NULL,

    CONSTRAINT "CustomerListing_pkey" PRIMARY KEY ("shopId","customerShopifyId")
);

-- CreateIndex
CREATE INDEX "CustomerListing_shopId_netSpendMinor_customerShopifyId_idx" ON "CustomerListing"("shopId", "netSpendMinor", "customerShopifyId");

-- CreateIndex
CREATE INDEX "CustomerListing_shopId_orders_customerShopifyId_idx" ON "CustomerListing"("shopId", "orders", "customerShopifyId");

-- CreateIndex
CREATE INDEX "CustomerListing_shopId_lastOrderKey_customerShopifyId_idx" ON "CustomerListing"("shopId", "lastOrderKey", "customerShopifyId");

-- CreateIndex
CREATE INDEX "CustomerListing_shopId_clvKey_customerShopifyId_idx" ON "CustomerListing"("shopId", "clvKey", "customerShopifyId");


-- The profiles already stored get their listing rows; from now on the profiles' writer keeps them.
INSERT INTO "CustomerListing" ("shopId", "customerShopifyId", "tierId", "tierName", "rfmGroup", "lifecycle", "confidence",
  "segments", "orders", "netSpendMinor", "lastOrderKey", "clvKey")
SELECT "shopId", "customerShopifyId", "tierId", "tierName", "rfmGroup", "lifecycle", "confidence", "segments", "orders",
  "netSpendMinor", COALESCE("lastOrderOn", DATE '0001-01-01'), COALESCE("clv12mMinor", -1)
FROM "CustomerProfile";
