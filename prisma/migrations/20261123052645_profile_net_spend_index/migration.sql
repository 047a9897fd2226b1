-- CreateIndex
CREATE INDEX "CustomerProfile_shopId_netSpendMinor_customerShopifyId_idx" ON "CustomerProfile"("shopId", "netSpendMinor", "customerShopifyId");
