-- Refunds that arrive before their order are kept (orderId null until the order arrives), keyed by the order's
-- Shopify ID. Existing refunds take it from their order before the column becomes required.
ALTER TABLE "Refund" ADD COLUMN "orderShopifyId" TEXT;
UPDATE "Refund" r SET "orderShopifyId" = o."shopifyId" FROM "Order" o WHERE o."id" = r."orderId";
ALTER TABLE "Refund" ALTER COLUMN "orderShopifyId" SET NOT NULL;
ALTER TABLE "Refund" ALTER COLUMN "orderId" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "Refund_shopId_orderShopifyId_idx" ON "Refund"("shopId", "orderShopifyId");
